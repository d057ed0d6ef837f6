import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { REPO } from '../common/make-class';

// The service under test as a course would run it on one machine: `decaylab serve` with its own redis-server and no
// local workers, plus `workers` separately started `decaylab worker --jobs 1` processes (the scale-out shape).

const BIN = path.join(REPO, 'grader', 'bin', 'decaylab.js');
const ENV = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

export type Course = { base: string; dataDir: string; processes: ChildProcess[] };

function decaylab(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  return { child, output: () => output };
}

async function waitFor(what: string, p: { child: ChildProcess; output: () => string }, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = pattern.exec(p.output());
    if (m) return m;
    if (p.child.exitCode !== null) throw new Error(`${what} exited with ${p.child.exitCode}: ${p.output().slice(-400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s: ${p.output().slice(-400)}`);
}

export async function startCourse(dataDir: string, port: number, workers: number, extra: string[]): Promise<Course> {
  const server = decaylab(['serve', '--data', dataDir, '--port', String(port), '--workers', '0', '--rate', '1000', ...extra]);
  const processes = [server.child];
  const course: Course = { base: `http://127.0.0.1:${port}`, dataDir, processes };
  try {
    await waitFor('decaylab serve', server, /listening on (http:\/\/\S+)/, 60_000);
    const started = Array.from({ length: workers }, () => decaylab(['worker', '--data', dataDir, '--jobs', '1', ...extra]));
    processes.push(...started.map((w) => w.child));
    await Promise.all(started.map((w, i) => waitFor(`decaylab worker ${i + 1}`, w, /^worker \S+ grading/m, 60_000)));
    return course;
  } catch (e) {
    await stopCourse(course);
    throw e;
  }
}

/** `decaylab token` with `--roster <csv>` (student -> token) or `--staff` (the one token, as the only key). */
export async function issueTokens(dataDir: string, which: string[]): Promise<Map<string, string>> {
  const p = decaylab(['token', '--data', dataDir, ...which]);
  const code = await new Promise<number | null>((resolve) => p.child.once('close', resolve));
  if (code !== 0) throw new Error(`decaylab token exited with ${code}: ${p.output().slice(-400)}`);
  const lines = p.output().trim().split('\n');
  if (lines.length === 1) return new Map([[lines[0], '']]);
  return new Map(lines.slice(1).map((l) => l.split(',') as [string, string]));
}

/** SIGTERM to the workers and the server (each finishes what it holds), then SIGKILL to anything left in their groups. */
export async function stopCourse(course: Course): Promise<void> {
  await Promise.all(
    [...course.processes].reverse().map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(timer);
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group has ended
      }
    }),
  );
}
