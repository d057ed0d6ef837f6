import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import { LANE_ENV, type LaneMessage, type LaneReply, type LaneSettings, type LaneStudent } from '../hidden/lane-protocol';

// One lane: a Jest process (bin/lane.js) running one assignment's hidden suite (jest.hidden.config.js, in band) whose slots
// take students from the engine over node's IPC channel. The engine sees only typed messages and, at the end, how
// the process ended; which students it held when it ended is the engine's business.

export enum LaneState {
  /** Jest is starting: no slot has asked for a student yet. */
  Starting = 'starting',
  Running = 'running',
  /** No more students: every claim is answered with none, and the lane runs out its slots. */
  Retiring = 'retiring',
  Ended = 'ended',
}

export type LaneExit = { code: number | null; signal: NodeJS.Signals | null; stderrTail: string };

export type LaneEvents = {
  message: (lane: Lane, m: LaneMessage) => void;
  ended: (lane: Lane, exit: LaneExit) => void;
};

const HIDDEN_CONFIG = path.join(__dirname, '..', '..', 'jest.hidden.config.js');
const LANE_PROGRAM = path.join(__dirname, '..', '..', 'bin', 'lane.js');
const STDERR_TAIL = 4000;

export class Lane {
  state = LaneState.Starting;
  /** True once the suite has sent anything: a lane that ends without is a suite that does not start. */
  ran = false;
  readonly pid: number | undefined;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(
    readonly assignment: Assignment,
    settings: LaneSettings,
    private readonly events: LaneEvents,
  ) {
    const args = [LANE_PROGRAM, HIDDEN_CONFIG, assignment.hiddenSuite];
    const env = { ...process.env, [LANE_ENV]: JSON.stringify(settings), TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' };
    this.child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.pid = this.child.pid;
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-STDERR_TAIL)));
    this.child.on('message', (m: LaneMessage) => {
      this.ran = true;
      if (this.state === LaneState.Starting) this.state = LaneState.Running;
      this.events.message(this, m);
    });
    this.child.on('error', (e) => (this.stderr += `\n${e.message}`));
    this.child.on('exit', (code, signal) => {
      this.state = LaneState.Ended;
      this.events.ended(this, { code, signal, stderrTail: this.stderr.trim() });
    });
  }

  answer(slot: number, student: LaneStudent | null): void {
    if (this.state === LaneState.Ended || !this.child.connected) return;
    const reply: LaneReply = { type: 'claimed', slot, student };
    this.child.send(reply, (e) => e && undefined);
  }

  retire(): void {
    if (this.state !== LaneState.Ended) this.state = LaneState.Retiring;
  }

  kill(): void {
    if (this.state !== LaneState.Ended) this.child.kill('SIGKILL');
  }
}
