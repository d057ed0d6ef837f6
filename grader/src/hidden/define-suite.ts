import type { Assignment } from '../core/assignment';
import { LANE_GLOBAL, LANE_SLOTS, type LaneBridge, type LaneStudent } from './lane-protocol';
import { SandboxedProbe } from '../sandbox/sandboxed-probe';
import { workerBackend } from '../sandbox/worker-backend';
import { closeZygotes } from '../sandbox/zygote-client';
import { studentId } from '../submission/load-submission';
import { InProcessProbe } from './in-process-probe';
import type { Probe } from './probe';
import { SUBMISSION_ENV } from './run-manifest';

// Declares the hidden suite of an assignment: one `test` per test id, inside one `describe` per slot. In a lane of
// the grading engine each slot takes the next student from the engine when it starts (and fetches the one after it
// ahead, so that its sandboxed worker loads while this one is tested); unisolated (DECAYLAB_SUBMISSION) there is one
// slot, the given file loaded into this process.

export type Check = (probe: Probe) => Promise<void>;

/** A slot's claim waits for the engine's next submission for as long as the engine is open. */
const NO_TIMEOUT = 2 ** 31 - 1;

export function defineHiddenSuite(assignment: Assignment, checks: Record<string, Check>): void {
  const missing = assignment.tests.filter((t) => !checks[t.id]).map((t) => t.id);
  if (missing.length) throw new Error(`hidden suite for ${assignment.id} lacks checks for ${missing.join(', ')}`);
  const lane = (globalThis as Record<string, unknown>)[LANE_GLOBAL] as LaneBridge | undefined;
  if (lane) return defineLane(assignment, checks, lane);
  const entry = process.env[SUBMISSION_ENV];
  if (!entry) throw new Error(`set ${SUBMISSION_ENV}=<submission file> (or grade through decaylab grade / grade-batch)`);
  describe(studentId(entry), () => {
    let probe: Probe;
    beforeAll(() => {
      probe = new InProcessProbe(entry);
    });
    afterAll(() => probe.close());
    for (const t of assignment.tests) test(t.id, () => checks[t.id](probe), 60_000);
  });
}

function defineLane(assignment: Assignment, checks: Record<string, Check>, lane: LaneBridge): void {
  const { harnessDir, limits, isolation } = lane.settings;
  const testTimeoutMs = limits.budgetMs + 30_000;
  const startWorker = workerBackend(isolation, (reason) => lane.forkServerFailed(reason));
  const probes = new Map<number, SandboxedProbe>();
  const probeFor = (s: LaneStudent) => {
    if (!probes.has(s.key)) probes.set(s.key, new SandboxedProbe(harnessDir, s.module, limits, startWorker));
    return probes.get(s.key)!;
  };
  afterAll(closeZygotes);
  for (let slot = 0; slot < LANE_SLOTS; slot++) {
    describe(`slot ${slot + 1}`, () => {
      let student: LaneStudent | null = null;
      beforeAll(async () => {
        student = await lane.claim(slot);
        if (!student) return;
        probeFor(student).warmUp();
        if (slot + 1 < LANE_SLOTS) void lane.prefetch(slot + 1).then((next) => next && probeFor(next).warmUp());
      }, NO_TIMEOUT);
      afterAll(async () => {
        if (!student) return;
        const probe = probeFor(student);
        probes.delete(student.key);
        await probe.close();
        lane.finished(student.key, probe.notes(), probe.loadFailed());
      }, testTimeoutMs);
      for (const t of assignment.tests) {
        test(
          t.id,
          async () => {
            if (student) await checks[t.id](probeFor(student));
          },
          testTimeoutMs,
        );
      }
    });
  }
}
