import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The fork server made to fail for real: fixtures/fork-server/without-fork-copies.py runs the grader under a seccomp
// filter in which madvise(MADV_DOFORK) fails, so every worker the zygote forks lacks its JavaScript heap and dies
// before it connects, while a freshly spawned node does not need that call. The same class is graded three times
// through the real CLI: with the fork server as it works here (the reference), under the filter with `auto`, and
// under the filter with `--isolation fork-server`.

const grader = path.join(__dirname, '..', '..');
const cli = path.join(grader, 'bin', 'decaylab.js');
const withoutForkCopies = path.join(grader, 'fixtures', 'fork-server', 'without-fork-copies.py');
const STUDENTS = ['alice.ts', 'chen.ts', 'dana.ts'];
const RUN_MS = 240_000;

type Run = { code: number | null; stdout: string; stderr: string };

function decaylab(args: string[], forkServerBroken: boolean): Promise<Run> {
  const [file, argv] = forkServerBroken ? ['python3', [withoutForkCopies, process.execPath, cli, ...args]] : [process.execPath, [cli, ...args]];
  return new Promise((resolve) => {
    execFile(file, argv, { encoding: 'utf8', timeout: RUN_MS, killSignal: 'SIGKILL' }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr }),
    );
  });
}

/** A results file without its timing, the one field that differs between two runs of the same class. */
function resultsOf(out: string, student: string): unknown {
  const results = JSON.parse(fs.readFileSync(path.join(out, `${student}.json`), 'utf8')) as { execution_time?: number };
  expect(results.execution_time).toEqual(expect.any(Number));
  delete results.execution_time;
  return results;
}

describe('when the fork server cannot start', () => {
  let dir: string;
  let reference: Run;
  const ids = STUDENTS.map((s) => s.replace(/\.ts$/, ''));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-fallback-'));
    fs.mkdirSync(path.join(dir, 'class'));
    for (const s of STUDENTS) fs.copyFileSync(path.join(grader, 'examples', 'submissions', s), path.join(dir, 'class', s));
    reference = await decaylab(
      ['grade-batch', path.join(dir, 'class'), '--assignment', 'decay', '--out', path.join(dir, 'reference'), '--isolation', 'fork-server'],
      false,
    );
  }, RUN_MS);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the reference run grades with the fork server, without a word about isolation', () => {
    expect(reference.stderr).not.toMatch(/isolation/);
    expect(reference.code).toBe(0);
  });

  test(
    'auto grades every student with spawn, results identical to the fork server, and says why in one line',
    async () => {
      const out = path.join(dir, 'auto');
      // Two lanes: each finds the fork server broken by itself; the engine switches once.
      const run = await decaylab(['grade-batch', path.join(dir, 'class'), '--assignment', 'decay', '--out', out, '--jobs', '2'], true);
      expect(run.code).toBe(0);
      const lines = run.stderr.split('\n').filter((l) => l.includes('isolation'));
      expect(lines).toEqual([expect.stringMatching(/^isolation: the fork server does not start here \(.+\); .*\(--isolation spawn\)$/)]);
      expect(lines[0]).toMatch(/the forked worker ended before it connected \((killed by SIG[A-Z]+|exit code \d+)\)/);
      for (const id of ids) expect(resultsOf(out, id)).toEqual(resultsOf(path.join(dir, 'reference'), id));
      expect(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'reference', 'gradebook.csv'), 'utf8'));
      // Not a class of zeros that happens to match: the reference gives full marks to alice.
      expect(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toMatch(/^alice,42,42/m);
    },
    RUN_MS,
  );

  test(
    '--isolation fork-server is a fault of the grader in one message, with no results written',
    async () => {
      const out = path.join(dir, 'fork-server');
      const run = await decaylab(
        ['grade-batch', path.join(dir, 'class'), '--assignment', 'decay', '--out', out, '--jobs', '1', '--isolation', 'fork-server'],
        true,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^decaylab: --isolation fork-server: the fork server does not start here \(the forked worker ended before it connected/m);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      for (const id of ids) expect(fs.existsSync(path.join(out, `${id}.json`))).toBe(false);
      expect(fs.existsSync(path.join(out, 'gradebook.csv'))).toBe(false);
    },
    RUN_MS,
  );
});
