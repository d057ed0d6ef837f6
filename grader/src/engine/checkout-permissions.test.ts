import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// As root the sandbox runs as an unprivileged uid of its own, which cannot traverse root's home or a mktemp -d
// folder. A checkout there must still grade; what the sandbox cannot reach must be named, with the fix.

const repo = path.join(__dirname, '..', '..', '..');
const asRoot = process.getuid?.() === 0;
// The 0700 checkout is made by bind-mounting this one inside a mktemp -d folder, in a mount namespace of the test's own.
const canMount = asRoot && spawnSync('unshare', ['--mount', 'true']).status === 0;
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

(canMount ? describe : describe.skip)('grading from folders other users cannot traverse (as root)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-0700-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a checkout inside a 0700 folder grades as it does anywhere', () => {
    expect(fs.statSync(work).mode & 0o777).toBe(0o700);
    const checkout = path.join(work, 'checkout');
    fs.mkdirSync(checkout);
    const out = path.join(work, 'alice.json');
    const script =
      'mount --bind "$1" "$2" && cd "$2" && exec node grader/bin/decaylab.js grade grader/examples/submissions/alice.ts --assignment decay --out "$3"';
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', repo, checkout, out], {
      encoding: 'utf8',
      env,
      timeout: 240_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).score).toBe(42);
  }, 240_000);

  test('a TMPDIR the sandbox cannot reach is named, with the folder in the way and the fix', () => {
    const tmp = fs.mkdtempSync(path.join(work, 'tmp-'));
    const r = spawnSync(
      process.execPath,
      [
        path.join(repo, 'grader', 'bin', 'decaylab.js'),
        'grade',
        path.join(repo, 'grader', 'examples', 'submissions', 'alice.ts'),
        '--assignment',
        'decay',
        '--out',
        path.join(work, 'x.json'),
      ],
      {
        encoding: 'utf8',
        env: { ...env, TMPDIR: tmp },
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot reach the run folder (under TMPDIR) at ${tmp}/decaylab-run-`);
    expect(r.stderr).toContain(`${tmp} is mode 0700`);
    expect(r.stderr).toContain(`chmod o+x ${tmp}`);
    expect(r.stderr).not.toMatch(/user namespaces/);
  }, 120_000);
});
