import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// grade-batch stopped by a real kill -9 of its whole process group, then the same command again: only the missing
// students are graded, and gradebook.csv is byte for byte the one an uninterrupted run writes.

const grader = path.join(__dirname, '..', '..');
const bin = path.join(grader, 'bin', 'decaylab.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-resume-'));
const classDir = path.join(work, 'class');
const out = path.join(work, 'out');
const FAST = ['--test-timeout', '5', '--submission-timeout', '60', '--jobs', '2'];
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', TMPDIR: path.join(work, 'tmp') };
const students = ['alice.ts', 'bruno.ipynb', 'chen.ts', 'dana.ts', 'farah.ts', 'gus.ts'];

function gradeBatch(dest: string, ...extra: string[]) {
  const r = spawnSync(process.execPath, [bin, 'grade-batch', classDir, '--assignment', 'decay', '--out', dest, ...FAST, ...extra], {
    encoding: 'utf8',
    env,
    timeout: 240_000,
  });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status).toBe(0);
  return r.stdout;
}

const stamp = (file: string) => {
  const s = fs.statSync(file);
  return `${s.ino}:${s.mtimeMs}`;
};

beforeAll(() => {
  // TMPDIR (the engines' run folders) must be reachable by the sandboxes' users, as /tmp is.
  fs.chmodSync(work, 0o755);
  fs.mkdirSync(classDir, { recursive: true });
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  for (const s of students) fs.copyFileSync(path.join(grader, 'examples', 'submissions', s), path.join(classDir, s));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('kill -9 mid-batch, then the same command: the missing students are graded, the gradebook is identical', async () => {
  const child = spawn(process.execPath, [bin, 'grade-batch', classDir, '--assignment', 'decay', '--out', out, ...FAST], {
    env,
    detached: true,
    stdio: 'ignore',
  });
  let ended: number | null | undefined;
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve((ended = code))));
  // Killed once the first sandboxed student (not a compile error, which is instant) has its results file.
  const graded = () => students.filter((s) => fs.existsSync(path.join(out, `${s.replace(/\.\w+$/, '')}.json`)));
  while (!graded().some((s) => s !== 'gus.ts')) {
    if (ended !== undefined) throw new Error(`grade-batch ended (exit ${ended}) before it could be killed`);
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const before = graded();
  expect(before.length).toBeLessThan(students.length);
  expect(fs.existsSync(path.join(out, 'gradebook.csv'))).toBe(false);
  // Nothing of the killed run is left running (its lanes, sandboxes, workers are gone with it); zombies waiting for
  // their new parent to reap them are not running.
  await new Promise((r) => setTimeout(r, 1000));
  const rows = spawnSync('ps', ['-eo', 'pgid=,stat=,args='])
    .stdout.toString()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const left = rows.filter(([pgid, stat]) => Number(pgid) === child.pid && !stat.startsWith('Z'));
  expect(left).toEqual([]);

  const stamps = new Map(before.map((s) => [s, stamp(path.join(out, `${s.replace(/\.\w+$/, '')}.json`))]));
  const resumed = gradeBatch(out);
  const skipped = Number(/(\d+) of 6 students already graded/.exec(resumed)?.[1] ?? 0);
  expect(skipped).toBeGreaterThanOrEqual(1);
  expect(resumed).toMatch(new RegExp(`graded ${6 - skipped} of 6 submissions`));
  // The results written before the kill and recorded in the manifest were kept as they were.
  const kept = [...stamps].filter(([s, st]) => stamp(path.join(out, `${s.replace(/\.\w+$/, '')}.json`)) === st);
  expect(kept.length).toBeGreaterThanOrEqual(skipped);
  // The killed run's scratch folder was removed by the next engine.
  expect(fs.readdirSync(env.TMPDIR).filter((f) => f.startsWith('decaylab-run-'))).toEqual([]);

  const fresh = path.join(work, 'fresh');
  gradeBatch(fresh);
  expect(fs.readFileSync(path.join(out, 'gradebook.csv'))).toEqual(fs.readFileSync(path.join(fresh, 'gradebook.csv')));
}, 600_000);

test('a third run grades nothing, a changed submission is graded again, --force grades everyone', () => {
  expect(gradeBatch(out)).toMatch(/graded 0 of 6 submissions/);
  fs.appendFileSync(path.join(classDir, 'chen.ts'), '\n// resubmitted\n');
  expect(gradeBatch(out)).toMatch(/graded 1 of 6 submissions/);
  expect(gradeBatch(out, '--force')).toMatch(/graded 6 of 6 submissions/);
}, 600_000);
