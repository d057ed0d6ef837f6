import { LANE_ENV, type LaneSettings } from '../hidden/lane-protocol';
import { startZygoteAhead } from '../sandbox/zygote-client';

// A lane's sandbox, started the moment the lane's process starts (bin/lane.js runs this before it loads Jest):
// on two cores, the sandbox's node and libtensorflow load beside Jest's start, the hidden suite's transform and the
// trusted side's tfjs, not after them. Under --isolation spawn there is no zygote to start.

export function startLaneSandbox(): void {
  const raw = process.env[LANE_ENV];
  if (!raw) return;
  const settings = JSON.parse(raw) as LaneSettings;
  if (settings.isolation !== 'spawn') startZygoteAhead(settings.harnessDir, settings.limits);
}
