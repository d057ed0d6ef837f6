import * as fs from 'fs';
import type * as net from 'net';
import type { SandboxLimits } from './bwrap-command';
import { parseWorkerMessage } from './validate-worker-message';
import { readLines, type Observation, type Wire, type WorkerMessage } from './wire';
import type { StartWorker } from './worker-backend';
import { forkWorker, type ForkedWorker, type WorkerExit } from './zygote-client';

// The trusted end of one student's sandboxed worker: gets it forked, hands it the submission, sends call requests,
// enforces the wall-clock timeout and the memory limit (the worker's resident memory, polled; it cannot start other
// processes), and turns every way the worker can end into a plain reason string. The worker's stdout and stderr go
// to /dev/null: a flood of output costs the grader nothing, and a student's prints (which could echo hidden inputs)
// never reach the feedback.

export type CallOutcome = { kind: 'observed'; obs: Observation } | { kind: 'failed'; reason: string; timedOut?: true };
export type Loaded = { kind: 'ready'; exports: Record<string, string> } | { kind: 'load-error'; message: string } | { kind: 'failed'; reason: string };

/** The largest legitimate line: a reply holding a full budget of tensor elements (base64) with room to spare. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MEMORY_POLL_MS = 50;
const UNASKED = 'the worker sent a message it was not asked for';
/** A worker whose channel closed but whose process lingers (it can drop its own socket) is killed after this. */
const EXIT_GRACE_MS = 1000;

/** What the worker may send next: its load report once, then only replies to requests in flight. */
enum Channel {
  AwaitingLoad,
  Serving,
}

export class SandboxWorker {
  private worker: ForkedWorker | undefined;
  private channel = Channel.AwaitingLoad;
  private death: string | undefined;
  private waiters = new Map<number, (o: CallOutcome) => void>();
  private loaded: Promise<Loaded>;
  private onLoaded!: (l: Loaded) => void;
  private nextId = 1;
  private poll: NodeJS.Timeout | undefined;
  private markExited!: () => void;
  readonly exited: Promise<void>;

  constructor(
    harnessDir: string,
    private moduleFile: string,
    private limits: SandboxLimits,
    startWorker: StartWorker = forkWorker,
  ) {
    this.loaded = new Promise((r) => (this.onLoaded = r));
    this.exited = new Promise((r) => (this.markExited = r));
    startWorker(harnessDir, limits).then(
      (w) => this.attach(w),
      (e: Error) => {
        this.fail(`the sandbox could not start: ${e.message}`);
        this.markExited();
      },
    );
  }

  load(): Promise<Loaded> {
    return this.loaded;
  }

  get dead(): string | undefined {
    return this.death;
  }

  async call(fn: string, args: Wire[], timeoutMs: number): Promise<CallOutcome> {
    if (this.death || !this.worker) return { kind: 'failed', reason: this.death ?? 'the worker is not running' };
    const id = this.nextId++;
    const outcome = new Promise<CallOutcome>((resolve) => this.waiters.set(id, resolve));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.kill(`${fn} did not return within ${(timeoutMs / 1000).toFixed(1)} s (time limit)`);
    }, timeoutMs);
    this.worker.socket.write(JSON.stringify({ id, fn, args }) + '\n');
    const result = await outcome;
    clearTimeout(timer);
    return result.kind === 'failed' && timedOut ? { ...result, timedOut: true } : result;
  }

  kill(reason: string): void {
    this.fail(reason);
    this.worker?.kill();
  }

  async close(): Promise<void> {
    if (!this.death) this.kill('closed by the grader');
    await this.exited;
  }

  private attach(w: ForkedWorker): void {
    this.worker = w;
    w.socket.on('error', () => undefined);
    w.socket.on('close', () => void this.ended(w));
    if (this.death) return w.kill();
    this.readReplies(w.socket);
    w.socket.write(JSON.stringify({ module: fs.readFileSync(this.moduleFile, 'utf8') }) + '\n');
    this.poll = setInterval(() => this.checkMemory(), MEMORY_POLL_MS);
    this.poll.unref();
  }

  private async ended(w: ForkedWorker): Promise<void> {
    const linger = setTimeout(() => w.kill(), EXIT_GRACE_MS);
    const exit = await w.exited;
    clearTimeout(linger);
    this.fail(describeExit(exit));
    this.markExited();
  }

  private fail(reason: string): void {
    if (this.death) return;
    this.death = reason;
    clearInterval(this.poll);
    this.onLoaded({ kind: 'failed', reason });
    for (const w of this.waiters.values()) w({ kind: 'failed', reason });
    this.waiters.clear();
  }

  /**
   * Any line that is not a valid message, or not the one expected now, ends the worker: it is charged to this student
   * alone (its calls fail with the reason) and nothing thrown here can reach a shared callback.
   */
  private readReplies(socket: net.Socket): void {
    const onLine = (line: string): 'stop' | void => {
      if (this.death) return 'stop';
      try {
        const msg = parseWorkerMessage(line);
        const problem = msg ? this.dispatch(msg) : 'the worker broke the channel protocol (a line that is not a valid message)';
        if (problem === undefined) return;
        this.kill(problem);
      } catch (e) {
        this.kill(`the worker's message could not be handled (${(e as Error).message})`);
      }
      return 'stop';
    };
    readLines(socket, onLine, MAX_LINE_BYTES, () => this.kill('the worker sent an oversized reply'));
  }

  /** Delivers one valid message; returns why it is not acceptable now, if it is not. */
  private dispatch(msg: WorkerMessage): string | undefined {
    if (this.channel === Channel.AwaitingLoad) {
      if (msg.type === 'ready') this.onLoaded({ kind: 'ready', exports: msg.exports });
      else if (msg.type === 'load-error') this.onLoaded({ kind: 'load-error', message: msg.message });
      else return UNASKED;
      this.channel = Channel.Serving;
      return undefined;
    }
    if (msg.type !== 'reply' && msg.type !== 'reply-error') return UNASKED;
    const w = this.waiters.get(msg.id);
    if (!w) return UNASKED;
    this.waiters.delete(msg.id);
    // The harness's own error text may carry what a student's getter threw: it is not shown.
    w(
      msg.type === 'reply'
        ? { kind: 'observed', obs: msg.obs }
        : { kind: 'failed', reason: 'the value it returned could not be read (a getter or proxy in it threw)' },
    );
    return undefined;
  }

  private checkMemory(): void {
    if (this.worker!.rssMb() > this.limits.memoryMb) this.kill(`the submission used more than ${this.limits.memoryMb} MB of memory`);
  }
}

function describeExit(exit: WorkerExit | undefined): string {
  if (!exit) return 'the worker process ended (its sandbox was stopped)';
  if (exit.signal) {
    const memoryHint =
      exit.signal === 'SIGSEGV' || exit.signal === 'SIGABRT' ? ' (this is what reaching the memory limit looks like inside libtensorflow)' : '';
    return `the worker process was killed by ${exit.signal}${memoryHint}`;
  }
  return `the worker process exited with code ${exit.code}`;
}
