import { spawn, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { sandboxCommand, type SandboxLimits } from './bwrap-command';
import { residentMb } from './resident-memory';
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
/** A worker sends its hello as soon as it is connected; a connection silent for this long is not one. */
const HELLO_ALLOWANCE_MS = 5000;
/**
 * The channel folder: the grader may create, traverse and chmod in it, nobody may list it (not even its owner, the
 * sandbox's user when the grader is not root), so a socket's name is a secret of its fork.
 */
const CHANNEL_DIR_MODE = 0o311;

type PendingFork = { pid?: number; socket?: net.Socket; server: net.Server; settle: (w: ForkedWorker | Error) => void };

class Zygote {
  private proc: ChildProcess | undefined;
  private readonly dir: string;
  private readonly pending = new Map<string, PendingFork>();
  private readonly exits = new Map<number, (e: WorkerExit | undefined) => void>();
  /** Workers that ended before their fork was complete (killed from outside between hello and hand-over). */
  private readonly endedEarly = new Map<number, WorkerExit | undefined>();
  private started!: (e?: Error) => void;
  private readonly ready: Promise<void>;
  private readonly startTimer: NodeJS.Timeout;
  dead: string | undefined;
  retired = false;
  private spare: Promise<{ w: ForkedWorker; ended: () => boolean }> | undefined;

  constructor(harnessDir: string, limits: SandboxLimits) {
    living.add(this);
    this.ready = new Promise((resolve, reject) => (this.started = (e) => (e ? reject(e) : resolve())));
    this.ready.catch(() => undefined);
    // Beside the harness, in the batch's run folder, which grade-batch removes whatever happens to this process.
    this.dir = fs.mkdtempSync(path.join(path.dirname(harnessDir), 'channel-'));
    fs.chmodSync(this.dir, CHANNEL_DIR_MODE);
    this.spawn(harnessDir, limits);
    this.startTimer = setTimeout(() => this.die(`the sandbox did not start within ${START_ALLOWANCE_MS / 1000} s`), START_ALLOWANCE_MS);
    this.startTimer.unref();
  }

  /**
   * Has the zygote fork its first worker as soon as it has loaded, before any student is known: the worker's own start
   * (its seccomp filter, libtensorflow's context, the channel's hello) then overlaps the suite's start instead of
   * following the first claim. The worker waits for its submission like any other; the next fork() hands it over.
   */
  forkAhead(): void {
    if (this.spare) return;
    const spare = this.forkNow(true).then((w) => {
      let ended = false;
      void w.exited.then(() => (ended = true));
      return { w, ended: () => ended || w.socket.destroyed || w.socket.readableEnded };
    });
    spare.catch(() => undefined);
    this.spare = spare;
  }

  async fork(): Promise<ForkedWorker> {
    const spare = this.spare;
    this.spare = undefined;
    // A spare that could not be forked is this zygote's failed fork; one that ended while it waited is only replaced.
    if (spare) {
      const s = await spare;
      if (!s.ended()) return s.w;
      s.w.kill();
    }
    return this.forkNow();
  }

  /**
   * `early`: the command is sent before the zygote has said it is ready (it reads its commands once it has loaded), so
   * that it forks the moment it can, even while this process is too busy to hear it; the fork's allowance then starts
   * when this process hears that it is ready.
   */
  private async forkNow(early = false): Promise<ForkedWorker> {
    if (!early) await this.ready;
    if (this.dead || this.retired) throw new Error(this.dead ?? 'the zygote is retired');
    const token = crypto.randomBytes(24).toString('hex');
    const channel = crypto.randomBytes(12).toString('hex');
    const server = await this.listen(token, channel);
    if (this.dead) {
      server.close();
      throw new Error(this.dead);
    }
    const forked = new Promise<ForkedWorker | Error>((settle) => this.pending.set(token, { server, settle }));
    let timer: NodeJS.Timeout | undefined;
    const allow = () => {
      if (this.pending.has(token))
        timer = setTimeout(() => this.abandon(token, `the zygote did not fork a worker within ${FORK_ALLOWANCE_MS / 1000} s`), FORK_ALLOWANCE_MS);
    };
    this.command({ fork: token, channel });
    this.ready.then(allow, () => undefined);
    const w = await forked;
    clearTimeout(timer);
    server.close();
    if (w instanceof Error) throw w;
    return w;
  }

  /**
   * Each fork gets a socket of its own, under a random name in the unlistable channel folder, told only to the forked
   * worker. It admits one connection and then stops listening: no other worker can find it, and none can hold the
   * grader's descriptors by connecting (a refused connection costs the grader nothing).
   */
  private listen(token: string, channel: string): Promise<net.Server> {
    const file = path.join(this.dir, channel);
    const server = net.createServer((s) => {
      server.close();
      this.greet(s, token);
    });
    server.unref();
    return new Promise((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`the channel socket failed (${e.message})`)));
      server.listen(file, () => {
        // The sandbox runs as another (unprivileged) user when the grader is root; the secret name and the token admit.
        fs.chmodSync(file, 0o777);
        server.on('error', () => undefined);
        resolve(server);
      });
    });
  }

  close(): void {
    this.die('closed by the grader');
  }

  /** No more forks from this zygote; it ends once its last worker has. */
  retire(): void {
    this.retired = true;
    if (this.exits.size === 0) this.die('retired');
  }

  private abandon(token: string, reason: string): void {
    const p = this.pending.get(token);
    if (!p) return;
    this.pending.delete(token);
    if (p.pid !== undefined) this.command({ kill: p.pid });
    p.server.close();
    p.settle(new Error(reason));
  }

  private spawn(harnessDir: string, limits: SandboxLimits): void {
    const cmd = sandboxCommand(harnessDir, this.dir, limits);
    const proc = spawn(cmd.file, cmd.args, { env: cmd.env, stdio: ['pipe', 'ignore', 'ignore', 'pipe'], detached: true });
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
    } else if (m.type === 'forked') {
      const p = this.pending.get(m.token);
      if (!p) return;
      p.pid = m.pid;
      this.exits.set(m.pid, (e) => {
        this.endedEarly.set(m.pid, e);
        // It will never connect (its connection was refused, say): fork again now rather than after the allowance.
        if (!p.socket) this.abandon(m.token, `the forked worker ended before it connected (${e?.signal ? `killed by ${e.signal}` : `exit code ${e?.code}`})`);
      });
      this.complete(m.token);
    } else {
      this.exits.get(m.pid)?.({ code: m.code, signal: m.signal });
      this.exits.delete(m.pid);
      if (this.retired && this.exits.size === 0) this.die('retired');
    }
  }

  /** The one connection to a fork's socket is that fork's worker only if its first line is the fork's token. */
  private greet(socket: net.Socket, token: string): void {
    let buffered = '';
    socket.setEncoding('utf8');
    const timer = setTimeout(() => socket.destroy(), HELLO_ALLOWANCE_MS);
    const onData = (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) {
        if (buffered.length > MAX_HELLO_BYTES) socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.off('data', onData);
      let hello: WorkerHello | undefined;
      try {
        hello = JSON.parse(buffered.slice(0, nl)) as WorkerHello;
      } catch {
        return socket.destroy();
      }
      const p = this.pending.get(token);
      if (hello?.token !== token || !p || p.socket) return socket.destroy();
      p.socket = socket;
      if (buffered.length > nl + 1) socket.unshift(buffered.slice(nl + 1));
      this.complete(token);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.on('close', () => clearTimeout(timer));
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
        return h ? residentMb(h) : 0;
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
    for (const p of this.pending.values()) {
      p.server.close();
      p.settle(new Error(reason));
    }
    this.pending.clear();
    for (const resolve of this.exits.values()) resolve(undefined);
    this.exits.clear();
    if (this.proc?.pid) killQuietly(-this.proc.pid);
    try {
      fs.chmodSync(this.dir, 0o700);
    } catch {
      // already removed with the run folder
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const living = new Set<Zygote>();
let current: Zygote | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Where a lane's test environment hands the suite the zygote started with the lane: Jest gives the test file a module
 * registry of its own, so the suite's copy of this module is not the one that started it.
 */
export const ZYGOTE_AHEAD_GLOBAL = '__decaylabZygoteAhead';

export type ZygoteAhead = { harnessDir: string; memoryMb: number; zygote: Zygote };
let ahead: ZygoteAhead | undefined;

/** Starts this process's zygote and its first worker now, so that they load while the process does other work. */
export function startZygoteAhead(harnessDir: string, limits: SandboxLimits): void {
  if (ahead) return;
  const zygote = new Zygote(harnessDir, limits);
  zygote.forkAhead();
  ahead = { harnessDir, memoryMb: limits.memoryMb, zygote };
}

/** The zygote started ahead by this copy of the module and not taken yet, for handing to another copy. */
export function zygoteStartedAhead(): ZygoteAhead | undefined {
  const a = ahead;
  ahead = undefined;
  return a;
}

/** The zygote started ahead (by this copy or handed over), if it was started for the same sandbox. */
function takeAhead(harnessDir: string, limits: SandboxLimits): Zygote | undefined {
  const handed = globalThis as Record<string, unknown>;
  const a = ahead ?? (handed[ZYGOTE_AHEAD_GLOBAL] as ZygoteAhead | undefined);
  ahead = undefined;
  delete handed[ZYGOTE_AHEAD_GLOBAL];
  if (!a) return undefined;
  if (a.harnessDir !== harnessDir || a.memoryMb !== limits.memoryMb) {
    a.zygote.close();
    return undefined;
  }
  living.add(a.zygote);
  return a.zygote;
}

/** A new worker from this process's zygote (started on first use), forks strictly one after another. */
export function forkWorker(harnessDir: string, limits: SandboxLimits): Promise<ForkedWorker> {
  const attempt = async (): Promise<ForkedWorker> => {
    for (let retry = 0; ; retry++) {
      if (!current || current.dead || current.retired) current = (!current && takeAhead(harnessDir, limits)) || new Zygote(harnessDir, limits);
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
      const nspid = /^NSpid:\s+(.*)$/m
        .exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
        .trim()
        .split(/\s+/);
      if (nspid && nspid.length > 1 && Number(nspid[nspid.length - 1]) === nsPid) return pid;
      const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (kids) stack.push(...kids.split(' ').map(Number));
    } catch {
      // ended between two reads
    }
  }
  return undefined;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
