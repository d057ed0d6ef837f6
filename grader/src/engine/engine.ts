import * as fs from 'fs';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import type { Isolation, IsolationChoice } from '../core/isolation';
import { GraderFault, UsageError } from '../core/errors';
import { gradedStudent } from '../core/grading-results';
import type { GradingLimits } from '../core/limits';
import type { GradedStudent, TestOutcome } from '../core/results';
import type { SubmissionRequest } from '../core/submission';
import { assignments, findAssignment } from '../assignments/registry';
import { prepareHarness } from '../sandbox/prepare-harness';
import { prepareSubmission } from '../submission/load-submission';
import { Lane, LaneState, type LaneExit } from './lane';
import { DEFAULT_LANE_SLOTS, type LaneMessage } from '../hidden/lane-protocol';
import type { ConfinementChoice } from '../sandbox/confinement';
import { createRunFolder } from './run-folder';
import { checkSandbox } from './sandbox-check';

// The grading engine: started once, fed submissions one at a time in any order, each promise settling as soon as
// that student is graded. grade, grade-batch, the course service and the benchmarks all grade through it.
//
// Submissions are compiled here (trusted: no student code runs in this process) and queued per assignment. Up to
// `jobs` lanes (lane.ts) run the hidden suites; a lane's slot asks for a student when it is free, so the load follows
// the work. A lane that dies costs nothing but time: the students it held are queued again at the front; the one it
// was testing gets a strike, and a student tested by two lanes that died gets 0 for the tests that did not finish.

export type { Isolation, IsolationChoice } from '../core/isolation';

export type EngineOptions = {
  /** Submissions graded at the same time (one per core by default in the CLI). */
  jobs: number;
  limits: GradingLimits;
  /** 'auto' (the default) uses the fork server and falls back to spawn where it cannot start. */
  isolation?: IsolationChoice;
  /**
   * Assignments whose lanes start with the engine, before any submission is given: Jest, the trusted reference and
   * the sandbox load while the caller compiles its first submission (`grade`'s one student).
   */
  warm?: Assignment[];
  /** Students a lane grades before it is replaced by a fresh one (DEFAULT_LANE_SLOTS unless said; `grade` needs 1). */
  slotsPerLane?: number;
  /** What the engine is doing, for progress displays and tests; never needed to get results. */
  onEvent?: (e: EngineEvent) => void;
};

export type EngineEvent =
  /** Which isolation 'auto' chose, and why, as a line for the user. */
  | { type: 'isolation'; isolation: Isolation; line: string }
  | { type: 'started'; id: string; assignment: string; lanePid: number | undefined }
  | { type: 'lane-ended'; lanePid: number | undefined; code: number | null; signal: string | null; regraded: string[] };

export interface Engine {
  /** The isolation in use (after 'auto' chose). */
  readonly isolation: Isolation;
  /** What confines the sandboxes on this machine (bubblewrap's namespaces, or a uid of its own where there are none). */
  readonly confinement: ConfinementChoice;
  /** Grades one submission; rejects only for a usage error (unknown assignment) or a fault of the grader itself. */
  grade(request: SubmissionRequest): Promise<GradedStudent>;
  /** Stops taking submissions, lets the ones already given finish, and ends every process the engine started. */
  close(): Promise<void>;
}

export async function startEngine(o: EngineOptions): Promise<Engine> {
  if (!Number.isInteger(o.jobs) || o.jobs < 1) throw new UsageError(`jobs must be a positive whole number (got ${o.jobs})`);
  const slots = o.slotsPerLane;
  if (slots !== undefined && (!Number.isInteger(slots) || slots < 1)) throw new UsageError(`slotsPerLane must be a positive whole number (got ${slots})`);
  const runDir = createRunFolder();
  try {
    const harnessDir = prepareHarness(path.join(runDir, 'harness'));
    const confinement = checkSandbox(harnessDir, o.limits);
    const engine = new GradingEngine(o, runDir, harnessDir, confinement);
    for (const a of o.warm ?? []) engine.warmUp(a);
    return engine;
  } catch (e) {
    fs.rmSync(runDir, { recursive: true, force: true });
    throw e;
  }
}

export function resolveAssignment(a: Assignment | string): Assignment {
  if (typeof a !== 'string') return a;
  const found = findAssignment(a);
  if (!found) throw new UsageError(`unknown assignment "${a}"; known: ${assignments.map((x) => x.id).join(', ')}`);
  return found;
}

enum EngineState {
  Open = 'open',
  /** No new submissions; the given ones are graded, then the lanes end. */
  Closing = 'closing',
  Closed = 'closed',
}

enum JobState {
  Queued = 'queued',
  /** A lane holds it for its next slot (its sandboxed worker may be loading). */
  Fetched = 'fetched',
  Testing = 'testing',
}

type Job = {
  key: number;
  assignment: Assignment;
  id: string;
  entry: string;
  /** Notes the caller asked for, ahead of the hidden suite's own. */
  callerNotes: string[];
  module: string;
  state: JobState;
  lane: Lane | undefined;
  /** Lanes that died while testing this student. */
  strikes: number;
  outcomes: Map<string, TestOutcome>;
  settle: (g: GradedStudent) => void;
  fail: (e: Error) => void;
};

/** A student whose testing ended two lanes keeps the tests that finished and gets 0 for the rest. */
const MAX_STRIKES = 2;
/** Lanes of one assignment that end before running anything, in a row, before the engine calls it a fault. */
const MAX_FAILED_STARTS = 2;
/** After the last student of a closing engine, how long its lanes get to run out their slots and exit. */
const CLOSE_GRACE_MS = 60_000;

class GradingEngine implements Engine {
  private choice: IsolationChoice;
  private state = EngineState.Open;
  private readonly queues = new Map<string, Job[]>();
  private readonly jobs = new Map<number, Job>();
  private readonly lanes = new Set<Lane>();
  /** Lanes whose slot waits for a student, with that slot. */
  private readonly parked = new Map<Lane, number>();
  private readonly failedStarts = new Map<string, number>();
  private nextKey = 1;
  private closing: Promise<void> | undefined;
  private closed: (() => void) | undefined;
  private closeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: EngineOptions,
    private readonly runDir: string,
    private readonly harnessDir: string,
    readonly confinement: ConfinementChoice,
  ) {
    this.choice = o.isolation ?? 'auto';
  }

  get isolation(): Isolation {
    return this.choice === 'auto' ? 'fork-server' : this.choice;
  }

  grade(request: SubmissionRequest): Promise<GradedStudent> {
    try {
      return this.enqueue(request);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise<void>((resolve) => (this.closed = resolve));
    this.state = EngineState.Closing;
    this.retireIdle();
    this.finishIfDone();
    return this.closing;
  }

  /** Starts a lane for `a` now, if one is free, so that it is ready when a student of `a` comes. */
  warmUp(a: Assignment): void {
    if (this.lanes.size < this.o.jobs && ![...this.lanes].some((l) => l.assignment.id === a.id)) this.startLane(a);
  }

  private enqueue(request: SubmissionRequest): Promise<GradedStudent> {
    if (this.state !== EngineState.Open) throw new UsageError('the grading engine is closed');
    const a = resolveAssignment(request.assignment);
    if (typeof request.id !== 'string' || request.id.length === 0) throw new UsageError('a submission needs a non-empty student id');
    const key = this.nextKey++;
    const entry = 'path' in request ? path.resolve(request.path) : this.saveUpload(key, request.filename, request.bytes);
    const prepared = prepareSubmission(entry, request.id);
    const shownEntry = 'path' in request ? entry : request.filename;
    const callerNotes = request.warning ? [request.warning] : [];
    if ('error' in prepared) {
      const notes = [...callerNotes, prepared.error];
      return Promise.resolve(
        gradedStudent(a, {
          id: request.id,
          entry: shownEntry,
          status: prepared.status,
          outcomes: new Map(),
          notes,
          missingReason: `not run: ${prepared.error.split('\n')[0]}`,
        }),
      );
    }
    const module = path.join(this.runDir, `student-${key}.js`);
    // Read only by the trusted lane, which sends it to the student's worker: no sandbox uid may open another's module.
    fs.writeFileSync(module, prepared.js, { mode: 0o600 });
    return new Promise<GradedStudent>((settle, fail) => {
      const job: Job = {
        key,
        assignment: a,
        id: request.id,
        entry: shownEntry,
        callerNotes,
        module,
        state: JobState.Queued,
        lane: undefined,
        strikes: 0,
        outcomes: new Map(),
        settle,
        fail,
      };
      this.jobs.set(key, job);
      this.queueOf(a).push(job);
      this.dispatch(a);
    });
  }

  private saveUpload(key: number, filename: string, bytes: Uint8Array): string {
    const dir = path.join(this.runDir, 'uploads', String(key));
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(filename || 'submission');
    const file = path.join(dir, name === '.' || name === '..' ? 'submission' : name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  private queueOf(a: Assignment): Job[] {
    if (!this.queues.has(a.id)) this.queues.set(a.id, []);
    return this.queues.get(a.id)!;
  }

  /** Hands queued students of `a` to its waiting lanes, then starts or frees lanes for what is left. */
  private dispatch(a: Assignment): void {
    const queue = this.queueOf(a);
    for (const [lane, slot] of this.parked) {
      if (queue.length === 0) break;
      if (lane.assignment.id !== a.id) continue;
      this.parked.delete(lane);
      this.hand(lane, slot, queue.shift()!);
    }
    if (queue.length === 0) return;
    const ofA = [...this.lanes].filter((l) => l.assignment.id === a.id && l.state !== LaneState.Retiring);
    let wanted = queue.length - ofA.filter((l) => l.state === LaneState.Starting).length;
    while (wanted-- > 0 && this.lanes.size < this.o.jobs) this.startLane(a);
    // Every lane is taken by other assignments: free one that is waiting for work.
    if (ofA.length === 0 && this.lanes.size >= this.o.jobs) {
      const idle = [...this.parked.keys()].find((l) => l.assignment.id !== a.id);
      if (idle) this.retire(idle);
    }
  }

  private startLane(a: Assignment): void {
    const lane = new Lane(
      a,
      { harnessDir: this.harnessDir, limits: this.o.limits, isolation: this.choice, slots: this.o.slotsPerLane ?? DEFAULT_LANE_SLOTS },
      { message: (l, m) => this.onMessage(l, m), ended: (l, e) => this.onEnded(l, e) },
    );
    this.lanes.add(lane);
  }

  private hand(lane: Lane, slot: number, job: Job): void {
    job.state = JobState.Fetched;
    job.lane = lane;
    lane.answer(slot, { key: job.key, id: job.id, module: job.module });
  }

  private onMessage(lane: Lane, m: LaneMessage): void {
    const job = 'key' in m ? this.jobs.get(m.key) : undefined;
    if ('key' in m && job?.lane !== lane) return;
    switch (m.type) {
      case 'claim': {
        this.failedStarts.delete(lane.assignment.id);
        const next = this.state === EngineState.Closed || lane.state === LaneState.Retiring ? undefined : this.queueOf(lane.assignment).shift();
        if (next) this.hand(lane, m.slot, next);
        else if (!m.wait || lane.state === LaneState.Retiring) lane.answer(m.slot, null);
        else if (this.state === EngineState.Closing || this.starved().length > 0) this.retire(lane, m.slot);
        else this.parked.set(lane, m.slot);
        return;
      }
      case 'start':
        job!.state = JobState.Testing;
        this.o.onEvent?.({ type: 'started', id: job!.id, assignment: job!.assignment.id, lanePid: lane.pid });
        return;
      case 'test':
        job!.outcomes.set(m.outcome.testId, m.outcome);
        return;
      case 'done':
        this.finish(job!, m.notes, m.loadFailed ? 'load-error' : 'graded');
        return;
      case 'fork-server-failed':
        this.forkServerFailed(lane, m.reason);
        return;
    }
  }

  /**
   * Under 'auto' the engine switches to spawn, once: each lane has fallen back by itself, new lanes start with spawn,
   * and a later report (from another lane) changes nothing. Asked for the fork server, the engine cannot grade as
   * asked: the students of that lane and the queued ones fail with a fault of the grader, never a score of 0.
   */
  private forkServerFailed(lane: Lane, reason: string): void {
    if (this.choice === 'auto') {
      this.choice = 'spawn';
      this.o.onEvent?.({
        type: 'isolation',
        isolation: 'spawn',
        line: `isolation: the fork server does not start here (${reason}); each student now gets a fresh sandboxed node (--isolation spawn)`,
      });
    } else if (this.choice === 'fork-server') {
      const fault = new GraderFault(
        `--isolation fork-server: the fork server does not start here (${reason}); grade with --isolation spawn, or auto to fall back by itself`,
      );
      const failed = [...this.jobs.values()].filter((j) => j.lane === lane || j.state === JobState.Queued);
      for (const queue of this.queues.values()) queue.splice(0);
      for (const job of failed) this.fault(job, fault);
      this.finishIfDone();
    }
  }

  private onEnded(lane: Lane, exit: LaneExit): void {
    const a = lane.assignment;
    this.lanes.delete(lane);
    this.parked.delete(lane);
    const held = [...this.jobs.values()].filter((j) => j.lane === lane);
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    for (const job of held.reverse()) {
      job.lane = undefined;
      if (job.state === JobState.Testing) job.strikes++;
      if (job.strikes >= MAX_STRIKES) {
        const note = `the grader's test process ended twice while testing this submission (${how}); the tests that had not finished score 0`;
        this.finish(job, [note], 'graded', note);
        continue;
      }
      job.state = JobState.Queued;
      job.outcomes.clear();
      this.queueOf(a).unshift(job);
    }
    this.o.onEvent?.({
      type: 'lane-ended',
      lanePid: lane.pid,
      code: exit.code,
      signal: exit.signal,
      regraded: held.filter((j) => this.jobs.has(j.key)).map((j) => j.id),
    });
    if (!lane.ran) {
      const failures = (this.failedStarts.get(a.id) ?? 0) + 1;
      this.failedStarts.set(a.id, failures);
      if (failures >= MAX_FAILED_STARTS) this.faultAll(a, new GraderFault(`the hidden suite of ${a.id} did not start (${how}):\n${exit.stderrTail}`));
    }
    for (const other of this.queues.keys()) this.dispatch(resolveAssignment(other));
    this.finishIfDone();
  }

  private finish(job: Job, notes: string[], status: 'graded' | 'load-error', missingReason = 'not run (no result from the hidden suite)'): void {
    this.jobs.delete(job.key);
    fs.rmSync(job.module, { force: true });
    try {
      job.settle(
        gradedStudent(job.assignment, { id: job.id, entry: job.entry, status, outcomes: job.outcomes, notes: [...job.callerNotes, ...notes], missingReason }),
      );
    } catch (e) {
      job.fail(e as Error);
    }
    this.finishIfDone();
  }

  private faultAll(a: Assignment, fault: GraderFault): void {
    for (const job of this.queueOf(a).splice(0)) this.fault(job, fault);
    this.failedStarts.delete(a.id);
  }

  /** A job a lane still holds keeps its module file until the run folder goes: the lane may yet read it. */
  private fault(job: Job, fault: GraderFault): void {
    this.jobs.delete(job.key);
    if (!job.lane) fs.rmSync(job.module, { force: true });
    job.fail(fault);
  }

  /** Assignments with queued students and no lane of their own. */
  private starved(): string[] {
    return [...this.queues]
      .filter(([id, q]) => q.length > 0 && ![...this.lanes].some((l) => l.assignment.id === id && l.state !== LaneState.Retiring))
      .map(([id]) => id);
  }

  private retire(lane: Lane, slot = this.parked.get(lane)): void {
    this.parked.delete(lane);
    lane.retire();
    if (slot !== undefined) lane.answer(slot, null);
  }

  private retireIdle(): void {
    for (const lane of [...this.parked.keys()]) if (this.queueOf(lane.assignment).length === 0) this.retire(lane);
  }

  private finishIfDone(): void {
    if (this.state !== EngineState.Closing || this.jobs.size > 0) return;
    this.retireIdle();
    // A lane started ahead (warm) that no student needed: nothing of it is worth waiting for.
    for (const lane of this.lanes) if (lane.state === LaneState.Starting) lane.kill();
    if (this.lanes.size > 0) {
      // Lanes run out their remaining slots in well under a second; one that does not is stopped.
      this.closeTimer ??= setTimeout(() => this.lanes.forEach((l) => l.kill()), CLOSE_GRACE_MS);
      return;
    }
    clearTimeout(this.closeTimer);
    this.state = EngineState.Closed;
    fs.rmSync(this.runDir, { recursive: true, force: true });
    this.closed?.();
  }
}
