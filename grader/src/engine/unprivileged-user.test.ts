import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// A TA usually grades from an ordinary account. As root the grader gives each sandbox a uid of its own; as anyone
// else it must still sandbox, keep its caches per user, and give the same scores.

const grader = path.join(__dirname, '..', '..');
const bin = path.join(grader, 'bin', 'decaylab.js');
const asRoot = process.getuid?.() === 0;
// Only where root can act as `nobody` and `nobody` can read this checkout (a clone inside a private home cannot).
const nobodyCanRun = asRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', bin]).status === 0;

(nobodyCanRun ? describe : describe.skip)('grading from an unprivileged account (tests run as root, graded as nobody)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-unprivileged-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  function grade(submission: string, out: string, user?: string) {
    const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', XDG_CACHE_HOME: path.join(work, `cache-${user ?? 'root'}`) };
    const argv = [process.execPath, bin, 'grade', submission, '--assignment', 'decay', '--out', out, '--test-timeout', '5'];
    const r = user
      ? spawnSync('runuser', ['-u', user, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv], { encoding: 'utf8' })
      : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env });
    return { code: r.status, stderr: r.stderr, results: r.status === 0 ? JSON.parse(fs.readFileSync(out, 'utf8')) : null };
  }

  it('grades a submission with the same per-test scores as root', () => {
    fs.chmodSync(work, 0o777);
    const submission = path.join(work, 'student.ts');
    fs.copyFileSync(path.join(grader, 'fixtures', 'misconceptions', 'adamw-l2-in-gradient.ts'), submission);
    fs.chmodSync(submission, 0o644);
    const byNobody = grade(submission, path.join(work, 'nobody.json'), 'nobody');
    expect(byNobody.stderr).toBe('');
    expect(byNobody.code).toBe(0);
    const byRoot = grade(submission, path.join(work, 'root.json'));
    expect(byRoot.code).toBe(0);
    const perTest = (r: { tests: { name: string; score: number }[] }) => r.tests.map((t) => [t.name, t.score]);
    expect(perTest(byNobody.results)).toEqual(perTest(byRoot.results));
    expect(byNobody.results.score).toBeLessThan(byNobody.results.max_score);
  });
});
