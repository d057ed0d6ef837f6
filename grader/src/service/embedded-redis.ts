import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import IORedis from 'ioredis';
import { GraderFault } from '../core/errors';

// The redis-server that `decaylab serve` runs for a course on one machine: append-only file on (fsync on every write,
// so a 202 means the job is on disk), data under `<data>/redis`, loopback only, a password kept beside the data, and
// restarted on the same port if it dies. It gets SIGTERM when its parent dies (setpriv --pdeathsig), so a kill -9 of
// the server never leaves a second redis-server writing the same files.

export enum RedisState {
  Starting = 'starting',
  Running = 'running',
  Restarting = 'restarting',
  Stopping = 'stopping',
  Stopped = 'stopped',
}

export type RedisEvents = { onRestart?: (reason: string) => void; onGiveUp?: (reason: string) => void };

const READY_TIMEOUT_MS = 20_000;
const MAX_RESTARTS_PER_MINUTE = 5;

export class EmbeddedRedisError extends GraderFault {}

export class EmbeddedRedis {
  private state = RedisState.Starting;
  private child: ChildProcess | undefined;
  private restarts: number[] = [];

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly password: string,
    private readonly events: RedisEvents,
  ) {}

  /** Starts (or restarts, on the same files) the Redis of a data folder and resolves once it answers. */
  static async start(dataDir: string, events: RedisEvents = {}): Promise<EmbeddedRedis> {
    const redisDir = path.join(dataDir, 'redis');
    fs.mkdirSync(redisDir, { recursive: true, mode: 0o700 });
    await waitForPreviousToEnd(path.join(redisDir, 'redis.pid'));
    const recorded = readUrlFile(dataDir);
    const password = recorded?.password || randomBytes(24).toString('hex');
    const port = recorded && (await portIsFree(recorded.port)) ? recorded.port : await freePort();
    const redis = new EmbeddedRedis(dataDir, port, password, events);
    await redis.launch();
    fs.writeFileSync(urlFile(dataDir), `${redis.url}\n`, { mode: 0o600 });
    return redis;
  }

  get url(): string {
    return `redis://:${this.password}@127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get current(): RedisState {
    return this.state;
  }

  /** Shuts Redis down cleanly (it flushes the append-only file) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.state === RedisState.Stopped) return;
    this.state = RedisState.Stopping;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.state = RedisState.Stopped;
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.state = RedisState.Stopped;
  }

  private async launch(): Promise<void> {
    const redisDir = path.join(this.dataDir, 'redis');
    const conf = path.join(redisDir, 'redis.conf');
    fs.writeFileSync(conf, configText(redisDir, this.port, this.password), { mode: 0o600 });
    const log = fs.openSync(path.join(redisDir, 'redis.log'), 'a');
    const child = spawn('setpriv', ['--pdeathsig', 'TERM', 'redis-server', conf], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child = child;
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (e) => reject(new EmbeddedRedisError(`cannot start redis-server (${e.message}); run tools/setup/system-deps.sh`))),
    );
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    await Promise.race([spawnError, this.waitReady(child)]);
    this.state = RedisState.Running;
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new EmbeddedRedisError(
          `redis-server exited at start (${child.exitCode ?? child.signalCode}); see ${path.join(this.dataDir, 'redis', 'redis.log')}`,
        );
      }
      if (await answers(this.url)) return;
      await sleep(100);
    }
    throw new EmbeddedRedisError(`redis-server did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${path.join(this.dataDir, 'redis', 'redis.log')}`);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.state !== RedisState.Running) return;
    const reason = `redis-server exited (${signal ?? `code ${code}`})`;
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < 60_000), now];
    if (this.restarts.length > MAX_RESTARTS_PER_MINUTE) {
      this.state = RedisState.Stopped;
      this.events.onGiveUp?.(`${reason} ${this.restarts.length} times within a minute`);
      return;
    }
    this.state = RedisState.Restarting;
    this.events.onRestart?.(reason);
    // Restarted on the same port and files: clients (ioredis) reconnect by themselves and find every job again.
    setTimeout(() => {
      if (this.state !== RedisState.Restarting) return;
      this.launch().catch((e: Error) => {
        this.state = RedisState.Stopped;
        this.events.onGiveUp?.(e.message);
      });
    }, 300);
  }
}

/** The URL of the embedded Redis of a data folder, for `decaylab token` and workers on the same machine. */
export function embeddedRedisUrl(dataDir: string): string | undefined {
  const file = urlFile(dataDir);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

function urlFile(dataDir: string): string {
  return path.join(dataDir, 'redis.url');
}

function readUrlFile(dataDir: string): { password: string; port: number } | undefined {
  const url = embeddedRedisUrl(dataDir);
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return { password: decodeURIComponent(u.password), port: Number(u.port) };
  } catch {
    return undefined;
  }
}

function configText(dir: string, port: number, password: string): string {
  return [
    `port ${port}`,
    'bind 127.0.0.1',
    'protected-mode yes',
    `dir ${dir}`,
    'pidfile redis.pid',
    'appendonly yes',
    // Every write reaches the disk before Redis answers: a submission acknowledged with 202 survives a power cut.
    'appendfsync always',
    'save ""',
    // BullMQ's keys must never be evicted.
    'maxmemory-policy noeviction',
    `requirepass ${password}`,
    'daemonize no',
    '',
  ].join('\n');
}

/** A redis-server of a previous run of this data folder that is still ending (SIGTERM from its dead parent). */
async function waitForPreviousToEnd(pidFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (!Number.isInteger(pid) || !isRedisServer(pid)) return;
    if (Date.now() > deadline) {
      throw new EmbeddedRedisError(`another redis-server (pid ${pid}) is using ${path.dirname(pidFile)}; stop the other \`decaylab serve\` first`);
    }
    await sleep(100);
  }
}

function isRedisServer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis-server');
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
