import type { GradingLimits } from '../core/limits';
import type { StartWorker } from './worker-backend';
import { SandboxWorker, type CallOutcome, type Loaded } from './sandbox-worker';
import type { Wire } from './wire';

// One student's view of the sandbox across all hidden tests. A worker that dies or hangs in one call is replaced for
// the next call, so a hang in one function does not cost the points of the others; the function that failed is not
// called again (its later calls fail with the same reason), which keeps the outcome deterministic and bounds restarts
// by the number of exported functions, all within the submission's total time budget. The first call of a student
// that hits the time limit is run once more in a fresh worker before it counts: under heavy load a forked worker has,
// rarely (about 1 in 1000 with five processes per core), stalled inside node (see grader/README.md, known limits), and
// that must not cost a student the function. A function that really loops costs twice its time limit, once.
// It is the hidden suites' Probe (hidden/probe.ts) by its shape: the sandbox does not import from the layer above.

/** Time a sandboxed node needs to load tfjs-node on a busy machine (about 0.6 s when idle). */
const LOAD_ALLOWANCE_MS = 10_000;

export class SandboxedProbe {
  private worker: SandboxWorker | undefined;
  private broken = new Map<string, string>();
  private started = 0;
  private notesList: string[] = [];
  private loadFailure: string | undefined;
  private couldNotLoad = false;
  private retriedTimeout = false;

  constructor(
    private harnessDir: string,
    private moduleFile: string,
    private limits: GradingLimits,
    private startWorker?: StartWorker,
  ) {}

  /** Starts the worker ahead of the first call, so that loading tfjs overlaps other students' tests. */
  warmUp(): void {
    if (!this.worker) this.worker = new SandboxWorker(this.harnessDir, this.moduleFile, this.limits, this.startWorker);
  }

  /** Loading gets the call time limit on top of what starting tfjs needs, so a module that hangs at load is stopped. */
  async exports(): Promise<Loaded> {
    this.warmUp();
    if (!this.started) this.started = Date.now();
    const worker = this.worker!;
    const timer = setTimeout(() => worker.kill('your module did not finish loading within the time limit'), this.limits.callTimeoutMs + LOAD_ALLOWANCE_MS);
    const loaded = await worker.load();
    clearTimeout(timer);
    return loaded;
  }

  async call(fn: string, args: Wire[]): Promise<CallOutcome> {
    const loaded = await this.exports();
    if (this.loadFailure) return { kind: 'failed', reason: this.loadFailure };
    if (loaded.kind !== 'ready') this.couldNotLoad = true;
    if (loaded.kind === 'load-error') return this.giveUp(`your module threw while loading: ${loaded.message}`);
    if (loaded.kind === 'failed') return this.giveUp(`your module could not be loaded: ${loaded.reason}`);
    if (loaded.exports[fn] === undefined) {
      return { kind: 'failed', reason: `your submission does not export ${fn} (it exports ${listNames(Object.keys(loaded.exports))})` };
    }
    const earlier = this.broken.get(fn);
    if (earlier) return { kind: 'failed', reason: `not run again: ${earlier}` };
    const left = this.timeLeft();
    if (left <= 0) return { kind: 'failed', reason: `not run: the submission used up its ${this.limits.budgetMs / 1000} s time budget` };
    let outcome = await this.worker!.call(fn, args, Math.min(this.limits.callTimeoutMs, left));
    if (outcome.kind === 'failed' && outcome.timedOut && !this.retriedTimeout) {
      this.retriedTimeout = true;
      await this.replaceWorker();
      const again = this.timeLeft();
      if ((await this.worker!.load()).kind === 'ready' && again > 0) outcome = await this.worker!.call(fn, args, Math.min(this.limits.callTimeoutMs, again));
    }
    if (outcome.kind === 'failed') {
      this.broken.set(fn, outcome.reason);
      await this.replaceWorker(outcome.reason);
    }
    return outcome;
  }

  private timeLeft(): number {
    return this.limits.budgetMs - (Date.now() - this.started);
  }

  notes(): string[] {
    return this.notesList;
  }

  loadFailed(): boolean {
    return this.couldNotLoad;
  }

  async close(): Promise<void> {
    await this.worker?.close();
  }

  private giveUp(reason: string): CallOutcome {
    this.loadFailure = reason;
    this.note(reason);
    return { kind: 'failed', reason };
  }

  private async replaceWorker(reason?: string): Promise<void> {
    if (reason) this.note(reason);
    await this.worker!.close();
    this.worker = new SandboxWorker(this.harnessDir, this.moduleFile, this.limits, this.startWorker);
  }

  private note(reason: string): void {
    if (!this.notesList.includes(reason)) this.notesList.push(reason);
  }
}

/** The first few export names, each cut short: the names are the student's, the feedback stays readable and bounded. */
function listNames(names: string[]): string {
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, 10).map((n) => (n.length > 40 ? `${n.slice(0, 40)}…` : n));
  return names.length > shown.length ? `${shown.join(', ')} and ${names.length - shown.length} more` : shown.join(', ');
}
