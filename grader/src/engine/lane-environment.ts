import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import NodeEnvironment from 'jest-environment-node';
import type { TestOutcome } from '../core/results';
import { LANE_ENV, LANE_GLOBAL, type LaneBridge, type LaneMessage, type LaneReply, type LaneSettings, type LaneStudent } from '../hidden/lane-protocol';
import type * as ZygoteClient from '../sandbox/zygote-client';

// The test environment of the hidden suites. In a lane (started by the engine, with an IPC channel) it is the
// suite's link to the engine: slots claim their students through it, and it reports every test's outcome the moment
// Jest's own runner says the test is done, then the student's notes, so each result leaves the lane as it is made.
// It runs in the lane's real node context, outside the sandboxed module registry of the test file, so it also hands
// the suite the sandbox's zygote that the lane started before Jest loaded (lane-sandbox.ts). Without a lane (the
// unisolated DECAYLAB_SUBMISSION mode) it is plain jest-environment-node.

/** The engine is gone (its process ended, even by kill -9): nobody would read this lane's results. */
const orphaned = () => process.exit(1);

export default class LaneEnvironment extends NodeEnvironment {
  private active: LaneStudent | null = null;
  /** The engine answered a waiting claim with none: no student will come to this lane again. */
  private exhausted = false;
  private zygotes: typeof ZygoteClient | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const raw = process.env[LANE_ENV];
    if (!raw || !process.send) return;
    this.global[LANE_GLOBAL] = this.bridge(JSON.parse(raw) as LaneSettings);
    // Loaded only in a lane: the unisolated run (the benchmarks' bare-jest peer) has no sandbox to pay for.
    this.zygotes = require('../sandbox/zygote-client') as typeof ZygoteClient;
    this.global[this.zygotes.ZYGOTE_AHEAD_GLOBAL] = this.zygotes.zygoteStartedAhead();
  }

  private bridge(settings: LaneSettings): LaneBridge {
    const fetched = new Map<number, Promise<LaneStudent | null>>();
    const waiting = new Map<number, (s: LaneStudent | null) => void>();
    process.once('disconnect', orphaned);
    process.on('message', (m: LaneReply) => {
      if (m.type !== 'claimed') return;
      waiting.get(m.slot)?.(m.student);
      waiting.delete(m.slot);
    });
    const ask = (slot: number, wait: boolean) => {
      const reply = new Promise<LaneStudent | null>((resolve) => waiting.set(slot, resolve));
      send({ type: 'claim', slot, wait });
      return reply;
    };
    return {
      settings,
      claim: async (slot) => {
        const ahead = await fetched.get(slot);
        fetched.delete(slot);
        const student = ahead ?? (await ask(slot, true));
        if (!student) this.exhausted = true;
        this.active = student;
        if (student) send({ type: 'start', key: student.key });
        return student;
      },
      prefetch: (slot) => {
        if (!fetched.has(slot)) fetched.set(slot, ask(slot, false));
        return fetched.get(slot)!;
      },
      finished: (key, notes, loadFailed) => {
        send({ type: 'done', key, notes, loadFailed });
        if (this.active?.key === key) this.active = null;
      },
      forkServerFailed: (reason) => send({ type: 'fork-server-failed', reason }),
    };
  }

  handleTestEvent(event: Circus.Event): void {
    // The remaining slots of an exhausted lane are dropped before their hooks run: the lane ends at once.
    if (event.name === 'run_describe_start' && this.exhausted && event.describeBlock.parent) {
      event.describeBlock.mode = 'skip';
      event.describeBlock.children = [];
    }
    if (event.name !== 'test_done' || !this.active) return;
    send({ type: 'test', key: this.active.key, outcome: outcomeOf(event.test) });
  }

  async teardown(): Promise<void> {
    // The channel would keep the lane alive after its run.
    process.off('disconnect', orphaned);
    if (process.env[LANE_ENV] && process.connected) process.disconnect();
    // A zygote started ahead that no slot took (the lane got no student).
    this.zygotes?.closeZygotes();
    await super.teardown();
  }
}

function send(m: LaneMessage): void {
  process.send?.(m);
}

/** The test title is the assignment's test id (define-suite declares `test(id, …)`). */
function outcomeOf(test: Circus.TestEntry): TestOutcome {
  const seconds = (test.duration ?? 0) / 1000;
  if (test.errors.length === 0) return { testId: test.name, passed: true, message: '', seconds };
  const first: unknown = test.errors[0];
  const error = (Array.isArray(first) ? (first[0] ?? first[1]) : first) as { name?: unknown; message?: unknown; misconception?: unknown } | undefined;
  // A check's verdict is a Feedback (hidden/feedback.ts), whose message is written for the student and whose
  // misconception (if the wrong answer matched one) is a typed field.
  if (error?.name === 'Feedback' && typeof error.message === 'string') {
    const misconception = typeof error.misconception === 'string' ? { misconception: error.misconception } : {};
    return { testId: test.name, passed: false, message: error.message, seconds, ...misconception };
  }
  const text = String(error?.message ?? error)
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')[0]
    .slice(0, 300);
  return { testId: test.name, passed: false, message: `the grader could not judge this test (${text})`, seconds };
}
