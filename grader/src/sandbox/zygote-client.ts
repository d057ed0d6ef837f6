import { spawn, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CHANNEL_SOCKET, sandboxCommand, type SandboxLimits } from './bwrap-command';
import { readLines, type WorkerHello, type ZygoteCommand, type ZygoteMessage } from './wire';

// The trusted end of a sandbox's zygote: starts it, asks it for one worker per student, and pairs each forked worker
// with its channel connection by a one-time token. One zygote serves the whole Jest process, one fork at a time: a
// fork is asked for only once the previous worker has connected, so no worker can claim another's channel (a later
// worker inherits the zygote's memory, old tokens included, but those are spent). A zygote that dies or stops
// answering is replaced, and the fork retried once, so that it never costs a student points; a zygote that only
// failed to fork is retired rather than stopped, so the worker being tested at that moment is not lost.

export type WorkerExit = { code: number | null; signal: string | null };
export type ForkedWorker = {
  socket: net.Socket;
  /** Resident memory of the worker process, in MB (0 once it is gone). */
  rssMb: () => number;
  /** How the worker process ended, as the zygote saw it; undefined if the zygote ended first. */
  exited: Promise<WorkerExit | undefined>;
  kill: () => void;
};

/** node start plus libtensorflow's load, on a machine busy with other jobs. */
const START_ALLOWANCE_MS = 60_000;
const FORK_ALLOWANCE_MS = 15_000;
const MAX_HELLO_BYTES = 1024;
const PAGE_MB = 4096 / (1024 * 1024);

type PendingFork = { pid?: number; socket?: net.Socket; settle: (w: ForkedWorker | Error) => void };

class Zygote {
  private proc: ChildProcess | undefined;
  private readonly dir: string;
  private readonly server: net.Server;
  private readonly pending = new Map<string, PendingFork>();
  private readonly exits = new Map<number, (e: WorkerExit | undefined) => void>();
  /** Workers that ended before their fork was complete (killed from outside between hello and hand-over). */
  private readonly endedEarly = new Map<number, WorkerExit | undefined>();
  private started!: (e?: Error) => void;
  private readonly ready: Promise<void>;
  private readonly startTimer: NodeJS.Timeout;
  dead: string | undefined;
  retired = false;

  constructor(harnessDir: string, limits: SandboxLimits) {
    living.add(this);
    this.ready = new Promise((resolve, reject) => (this.started = (e) => (e ? reject(e) : resolve())));
    this.ready.catch(() => undefined);
    // Beside the harness, in the batch's run folder, which grade-batch removes whatever happens to this process.
    this.dir = fs.mkdtempSync(path.join(path.dirname(harnessDir), 'channel-'));
    fs.chmodSync(this.dir, 0o755);
    this.server = net.createServer((s) => this.greet(s));
    this.server.unref();
    this.server.on('error', (e) => this.die(`the channel socket failed (${e.message})`));
    this.server.listen(path.join(this.dir, CHANNEL_SOCKET), () => {
      // The sandbox runs as another (unprivileged) user when the grader is root; the token, not the mode, admits.
      fs.chmodSync(path.join(this.dir, CHANNEL_SOCKET), 0o777);
      this.spawn(harnessDir, limits);
    });
    this.startTimer = setTimeout(() => this.die(`the sandbox did not start within ${START_ALLOWANCE_MS / 1000} s`), START_ALLOWANCE_MS);
    this.startTimer.unref();
  }

  async fork(): Promise<ForkedWorker> {
    await this.ready;
    if (this.dead || this.retired) throw new Error(this.dead ?? 'the zygote is retired');
    const token = crypto.randomBytes(24).toString('hex');
    const forked = new Promise<ForkedWorker | Error>((settle) => this.pending.set(token, { settle }));
    const timer = setTimeout(() => this.abandon(token), FORK_ALLOWANCE_MS);
    this.command({ fork: token });
    const w = await forked;
    clearTimeout(timer);
    if (w instanceof Error) throw w;
    return w;
  }

  close(): void {
    this.die('closed by the grader');
  }

  /** No more forks from this zygote; it ends once its last worker has. */
  retire(): void {
    this.retired = true;
    if (this.exits.size === 0) this.die('retired');
  }

  private abandon(token: string): void {
    const p = this.pending.get(token);
    if (!p) return;
    this.pending.delete(token);
    if (p.pid !== undefined) this.command({ kill: p.pid });
    p.settle(new Error(`the zygote did not fork a worker within ${FORK_ALLOWANCE_MS / 1000} s`));
  }

  private spawn(harnessDir: string, limits: SandboxLimits): void {
    const cmd = sandboxCommand(harnessDir, this.dir, limits);
    const proc = spawn(cmd.file, cmd.args, { stdio: ['pipe', 'ignore', 'ignore', 'pipe'], detached: true });
    this.proc = proc;
    proc.unref();
    proc.on('error', (e) => this.die(`the sandbox could not start (${e.message}); is bubblewrap (bwrap) installed?`));
    proc.on('exit', (code, signal) => this.die(`the sandbox's zygote ended (${signal ?? `exit ${code}`})`));
    proc.stdin!.on('error', () => undefined);
    const out = proc.stdio[3] as net.Socket;
    out.unref();
    readLines(out, (line) => this.dispatch(JSON.parse(line) as ZygoteMessage));
  }

  private dispatch(m: ZygoteMessage): void {
    if (m.type === 'zygote-ready') {
      clearTimeout(this.startTimer);
      this.started();
    }
    else if (m.type === 'forked') {
      const p = this.pending.get(m.token);
      if (!p) return;
      p.pid = m.pid;
      this.exits.set(m.pid, (e) => this.endedEarly.set(m.pid, e));
      this.complete(m.token);
    } else {
      this.exits.get(m.pid)?.({ code: m.code, signal: m.signal });
      this.exits.delete(m.pid);
      if (this.retired && this.exits.size === 0) this.die('retired');
    }
  }

  /** A connection is a worker only if its first line is a token this zygote has just been asked to fork. */
  private greet(socket: net.Socket): void {
    let buffered = '';
    socket.setEncoding('utf8');
    const reject = () => socket.destroy();
    const timer = setTimeout(reject, FORK_ALLOWANCE_MS);
    const onData = (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) {
        if (buffered.length > MAX_HELLO_BYTES) reject();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      let hello: WorkerHello | undefined;
      try {
        hello = JSON.parse(buffered.slice(0, nl)) as WorkerHello;
      } catch {
        return reject();
      }
      const p = typeof hello?.token === 'string' ? this.pending.get(hello.token) : undefined;
      if (!p || p.socket) return reject();
      p.socket = socket;
      if (buffered.length > nl + 1) socket.unshift(buffered.slice(nl + 1));
      this.complete(hello.token);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
  }

  private complete(token: string): void {
    const p = this.pending.get(token)!;
    if (p.pid === undefined || !p.socket) return;
    this.pending.delete(token);
    const pid = p.pid;
    const exited = this.endedEarly.has(pid)
      ? Promise.resolve(this.endedEarly.get(pid))
      : new Promise<WorkerExit | undefined>((resolve) => this.exits.set(pid, resolve));
    let hostPid: number | undefined;
    const host = () => (hostPid ??= findHostPid(this.proc!.pid!, pid));
    p.settle({
      socket: p.socket,
      exited,
      rssMb: () => {
        const h = host();
        return h ? rssMb(h) : 0;
      },
      kill: () => {
        const h = host();
        if (h) killQuietly(h);
        else this.command({ kill: pid });
      },
    });
  }

  private command(c: ZygoteCommand): void {
    this.proc?.stdin!.write(JSON.stringify(c) + '\n');
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    living.delete(this);
    clearTimeout(this.startTimer);
    this.started(new Error(reason));
    for (const p of this.pending.values()) p.settle(new Error(reason));
    this.pending.clear();
    for (const resolve of this.exits.values()) resolve(undefined);
    this.exits.clear();
    if (this.proc?.pid) killQuietly(-this.proc.pid);
    this.server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const living = new Set<Zygote>();
let current: Zygote | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** A new worker from this process's zygote (started on first use), forks strictly one after another. */
export function forkWorker(harnessDir: string, limits: SandboxLimits): Promise<ForkedWorker> {
  const attempt = async (): Promise<ForkedWorker> => {
    for (let retry = 0; ; retry++) {
      if (!current || current.dead || current.retired) current = new Zygote(harnessDir, limits);
      try {
        return await current.fork();
      } catch (e) {
        current.retire();
        if (retry >= 1) throw e;
      }
    }
  };
  const next = queue.then(attempt, attempt);
  queue = next.catch(() => undefined);
  return next;
}

/** Stops every zygote of this process (the hidden suite's last step); workers end with their sandbox. */
export function closeZygotes(): void {
  for (const z of living) z.close();
}

/** The host pid of a process in the sandbox's pid namespace: the last field of NSpid in /proc/<pid>/status. */
export function findHostPid(root: number, nsPid: number): number | undefined {
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const nspid = /^NSpid:\s+(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1].trim().split(/\s+/);
      if (nspid && nspid.length > 1 && Number(nspid[nspid.length - 1]) === nsPid) return pid;
      const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (kids) stack.push(...kids.split(' ').map(Number));
    } catch {
      // ended between two reads
    }
  }
  return undefined;
}

export function rssMb(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_MB;
  } catch {
    return 0;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
