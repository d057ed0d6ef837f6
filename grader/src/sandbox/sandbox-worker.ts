import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { sandboxCommand, type SandboxLimits } from './bwrap-command';
import type { Observation, Wire, WorkerMessage } from './wire';

// The trusted end of one sandboxed worker process: starts it, sends call requests, enforces the wall-clock timeout,
// and the memory limit (resident memory of the whole sandbox, polled), and turns every way the worker can die into a
// plain reason string. The worker's stdout and stderr go to /dev/null: a flood of output costs the grader nothing,
// and a student's prints (which could echo hidden inputs) never reach the feedback.

export type CallOutcome = { kind: 'observed'; obs: Observation } | { kind: 'failed'; reason: string };
export type Loaded = { kind: 'ready'; exports: Record<string, string> } | { kind: 'load-error'; message: string } | { kind: 'failed'; reason: string };

const MAX_REPLY_BYTES = 64 * 1024 * 1024;
const MEMORY_POLL_MS = 50;

export class SandboxWorker {
  private child: ChildProcess;
  private death: string | undefined;
  private waiters = new Map<number, (o: CallOutcome) => void>();
  private loaded: Promise<Loaded>;
  private nextId = 1;
  private poll: NodeJS.Timeout;
  readonly exited: Promise<void>;

  constructor(harnessDir: string, moduleFile: string, private limits: SandboxLimits) {
    const cmd = sandboxCommand(harnessDir, moduleFile, limits);
    this.child = spawn(cmd.file, cmd.args, { stdio: ['pipe', 'ignore', 'ignore', 'pipe'], detached: true });
    let onLoaded!: (l: Loaded) => void;
    this.loaded = new Promise((r) => (onLoaded = r));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.fail(signal ? `the worker process was killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' ? ' (this is what reaching the memory limit looks like inside libtensorflow)' : ''}` : `the worker process exited with code ${code}`);
        onLoaded({ kind: 'failed', reason: this.death! });
        resolve();
      });
      this.child.on('error', (e) => {
        this.fail(`the sandbox could not start (${e.message}); is bubblewrap (bwrap) installed?`);
        onLoaded({ kind: 'failed', reason: this.death! });
        resolve();
      });
    });
    this.child.stdin!.on('error', () => undefined);
    this.readReplies(onLoaded);
    this.poll = setInterval(() => this.checkMemory(), MEMORY_POLL_MS);
    this.poll.unref();
  }

  load(): Promise<Loaded> {
    return this.loaded;
  }

  get dead(): string | undefined {
    return this.death;
  }

  async call(fn: string, args: Wire[], timeoutMs: number): Promise<CallOutcome> {
    if (this.death) return { kind: 'failed', reason: this.death };
    const id = this.nextId++;
    const outcome = new Promise<CallOutcome>((resolve) => this.waiters.set(id, resolve));
    const timer = setTimeout(() => this.kill(`${fn} did not return within ${(timeoutMs / 1000).toFixed(1)} s (time limit)`), timeoutMs);
    this.child.stdin!.write(JSON.stringify({ id, fn, args }) + '\n');
    const result = await outcome;
    clearTimeout(timer);
    return result;
  }

  kill(reason: string): void {
    this.fail(reason);
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    if (this.child.exitCode === null && this.child.signalCode === null) this.kill('closed by the grader');
    await this.exited;
  }

  private fail(reason: string): void {
    if (this.death) return;
    this.death = reason;
    clearInterval(this.poll);
    for (const w of this.waiters.values()) w({ kind: 'failed', reason });
    this.waiters.clear();
  }

  private readReplies(onLoaded: (l: Loaded) => void): void {
    let buffered = '';
    const pipe = this.child.stdio[3] as NodeJS.ReadableStream;
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REPLY_BYTES) return this.kill('the worker sent an oversized reply');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let msg: WorkerMessage;
        try {
          msg = JSON.parse(line) as WorkerMessage;
        } catch {
          return this.kill('the worker sent a malformed reply');
        }
        this.dispatch(msg, onLoaded);
      }
    });
  }

  private dispatch(msg: WorkerMessage, onLoaded: (l: Loaded) => void): void {
    if (msg.type === 'ready') onLoaded({ kind: 'ready', exports: msg.exports });
    else if (msg.type === 'load-error') onLoaded({ kind: 'load-error', message: msg.message });
    else {
      const w = this.waiters.get(msg.id);
      if (!w) return;
      this.waiters.delete(msg.id);
      w(msg.type === 'reply' ? { kind: 'observed', obs: msg.obs } : { kind: 'failed', reason: `the harness could not report the call: ${msg.message}` });
    }
  }

  private checkMemory(): void {
    const rssMb = treeRssMb(this.child.pid!);
    if (rssMb > this.limits.memoryMb) this.kill(`the submission used more than ${this.limits.memoryMb} MB of memory`);
  }
}

const PAGE_MB = 4096 / (1024 * 1024);

/**
 * Resident memory of a process and its descendants (children forked by main threads, which is how bwrap and node
 * start processes), from /proc. Tensor memory is native, so RSS counts it where V8's heap limit would not.
 */
export function treeRssMb(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_MB;
      const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (kids) stack.push(...kids.split(' ').map(Number));
    } catch {
      // the process ended between two reads
    }
  }
  return total;
}
