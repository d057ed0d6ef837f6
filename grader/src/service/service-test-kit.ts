import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type IORedis from 'ioredis';
import type { GradingLimits } from '../core/limits';
import { startService, type RunningService } from './course-service';

// What the service's tests share: the real `decaylab` launcher as a child process, HTTP calls, and polling.

export const GRADER = path.join(__dirname, '..', '..');
export const BIN = path.join(GRADER, 'bin', 'decaylab.js');
export const EXAMPLES = path.join(GRADER, 'examples', 'submissions');
/** Low limits keep the tests short; the honest examples finish far inside them. */
export const FAST_LIMITS = ['--test-timeout', '2', '--submission-timeout', '40', '--memory', '1024'];

/** FAST_LIMITS for a service started in the test process. */
export const FAST_GRADING_LIMITS: GradingLimits = { callTimeoutMs: 2000, budgetMs: 40_000, memoryMb: 1024 };

/** `decaylab serve` in the test process, on a free loopback port: on its own redis-server under `dataDir`, or `redisUrl`. */
export function startTestService(
  dataDir: string,
  o: { redisUrl?: string; workers: number; maxUploadBytes: number; ratePerMinute: number },
): Promise<RunningService> {
  return startService({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    limits: FAST_GRADING_LIMITS,
    stallSeconds: 30,
    log: () => undefined,
    onFatal: (reason) => {
      throw new Error(reason);
    },
    ...o,
  });
}

export type Upload = { student: string; filename: string; bytes: Buffer };

/** The example class as uploads: the student id is the entry's name, a folder entry uploads its one file. */
export function exampleUploads(): Upload[] {
  return fs
    .readdirSync(EXAMPLES)
    .sort()
    .map((entry) => {
      const full = path.join(EXAMPLES, entry);
      const file = fs.statSync(full).isDirectory() ? path.join(full, fs.readdirSync(full)[0]) : full;
      return { student: entry.replace(/\.(ts|js|ipynb)$/, ''), filename: path.basename(file), bytes: fs.readFileSync(file) };
    });
}

export type Reply = { status: number; headers: Headers; json: any; text: string };

export async function call(
  base: string,
  method: string,
  route: string,
  o: { token?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers };
  const r = await fetch(`${base}${route}`, { method, headers, body: o.body, signal: AbortSignal.timeout(20_000) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, json, text };
}

export function submit(base: string, token: string, assignment: string, u: Upload): Promise<Reply> {
  return call(base, 'POST', `/v1/assignments/${assignment}/submissions`, {
    token,
    headers: { 'content-type': 'application/octet-stream', 'x-filename': u.filename },
    body: u.bytes,
  });
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** A `decaylab` child in its own process group, so that kill -9 can take it with everything it started. */
export class DecaylabProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    this.child.stdout!.on('data', (b: Buffer) => (this.stdout += b.toString()));
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return until(
      `${pattern} from decaylab ${this.pid} (stderr: ${this.stderr.slice(-300)})`,
      async () => {
        if (this.child.exitCode !== null) throw new Error(`exited with ${this.child.exitCode}: ${this.stderr.slice(-500)}`);
        return pattern.exec(this.stdout) ?? undefined;
      },
      timeoutMs,
      100,
    );
  }

  /** kill -9 of the whole process group. */
  async kill9(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill9(), 60_000);
    await this.exited;
    clearTimeout(timer);
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // the group has ended
    }
  }
}

export function runDecaylab(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = new DecaylabProcess(args);
  return p.exited.then(({ code }) => ({ code, stdout: p.stdout, stderr: p.stderr }));
}

/**
 * What to look for in Redis to find a copy of an upload: a marker the upload carries, as text, as hex, and as the part
 * of the upload's base64 that encodes the marker alone (the bytes travel base64 in the job).
 */
export function copiesOf(bytes: Buffer, marker: string): string[] {
  const at = bytes.indexOf(marker);
  if (at < 0) throw new Error(`the upload does not contain its marker ${marker}`);
  const b64 = bytes.toString('base64');
  const inside = b64.slice(4 * Math.ceil(at / 3), 4 * Math.floor((at + marker.length) / 3));
  return [marker, Buffer.from(marker).toString('hex'), inside];
}

/** Every key of the Redis (strings, hashes, lists, sets, sorted sets, streams) whose content holds one of `needles`. */
export async function keysHolding(redis: IORedis, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of batch) {
      const type = await redis.type(key);
      const content =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : undefined;
      if (content === undefined) throw new Error(`key ${key} has a type the scan does not read: ${type}`);
      const text = JSON.stringify(content);
      if (needles.some((n) => text.includes(n))) found.push(key);
    }
  } while (cursor !== '0');
  return found;
}
