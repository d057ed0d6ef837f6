const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// tools/setup/python-env.sh against a real python3 and pip: one venv is created (the slow part, ~10 s) and reused.
const HELPER = path.join(__dirname, 'python-env.sh');
const REPO = path.resolve(__dirname, '..', '..');

let work;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-pyenv-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function helper(venv, requirements, ...modules) {
  return spawnSync('bash', [HELPER, venv, requirements, ...modules], { encoding: 'utf8', timeout: 5 * 60_000 });
}

function requirements(name, lines) {
  const file = path.join(work, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test(
  'creates the environment, installs the pins, and a second run with everything importable does nothing',
  () => {
    const venv = path.join(work, 'venv');
    const ok = requirements('ok.txt', ['six==1.17.0']);
    const first = helper(venv, ok, 'six');
    expect(first.stderr).toMatch(/installing .*ok\.txt/);
    expect(first.status).toBe(0);
    const version = execFileSync(path.join(venv, 'bin', 'python'), ['-c', 'import six; print(six.__version__)'], { encoding: 'utf8' });
    expect(version.trim()).toBe('1.17.0');
    const again = helper(venv, ok, 'six');
    expect([again.status, again.stderr]).toEqual([0, '']);
  },
  5 * 60_000,
);

test(
  'a requirement pip cannot find fails with one line naming the file, without retries or a traceback',
  () => {
    const bad = requirements('bad.txt', ['decaylab-no-such-package==0.0.0']);
    const r = helper(path.join(work, 'venv'), bad, 'decaylab_no_such_package');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    // pip's own reason follows the colon (normally its "No matching distribution found for decaylab-no-such-package").
    expect(lines[lines.length - 1]).toMatch(/^\[python-env\] error: pip could not install .*bad\.txt into .*: \S/);
    expect(lines.filter((l) => l.includes('error'))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Retrying|Traceback/);
  },
  5 * 60_000,
);

test('a missing requirements file is named', () => {
  const r = helper(path.join(work, 'none'), path.join(work, 'missing.txt'), 'six');
  expect([r.status, r.stderr.trim()]).toEqual([1, `[python-env] error: ${path.join(work, 'missing.txt')}: no such requirements file`]);
  expect(fs.existsSync(path.join(work, 'none'))).toBe(false);
});

test('no other tracked file creates a virtual environment or pip-installs by itself', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).split('\n');
  // lab-cli.ts only prints the command a student runs to install JupyterLab; tests may install what they check.
  const exempt = new Set(['tools/setup/python-env.sh', 'chapters/course/lab-cli.ts']);
  const code = tracked.filter((f) => /\.(sh|js|ts|py)$/.test(f) && !exempt.has(f) && !/\.test\.[jt]s$/.test(f));
  const offenders = code.filter((f) => /-m['"]?,? *['"]?venv|pip['"]?,? *['"]?install/.test(fs.readFileSync(path.join(REPO, f), 'utf8')));
  expect(offenders).toEqual([]);
});
