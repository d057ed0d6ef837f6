import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';

// `decaylab gradescope` without Gradescope: what the zip holds, with which permissions and settings, and its usage
// errors. (gradescope.test.ts runs the zip for real, as root.)

const grader = path.join(__dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-zip-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const decaylab = (...args: string[]) => spawnSync(process.execPath, [path.join(grader, 'bin', 'decaylab.js'), ...args], { encoding: 'utf8' });

test('the zip holds the scripts at its root (executable), its settings, the sources and nothing installed or built', () => {
  const file = path.join(out, 'autograder.zip');
  const r = decaylab('gradescope', '--assignment', 'norms', '--out', file, '--visibility', 'after_published', '--course-url', "https://x.example/it's/");
  expect(r.status).toBe(0);
  const entries = new AdmZip(file).getEntries();
  const byName = new Map(entries.map((e) => [e.entryName, e]));
  for (const s of ['setup.sh', 'run_autograder']) expect((byName.get(s)!.attr >>> 16) & 0o777).toBe(0o755);
  for (const f of [
    'package-lock.json',
    'grader/bin/decaylab.js',
    'grader/src/assignments/norms/norms.hidden.ts',
    'solutions/package.json',
    'tools/native-backend/provision.js',
  ]) {
    expect(byName.has(f)).toBe(true);
  }
  expect(entries.filter((e) => /(^|\/)(node_modules|dist|\.git)\/|native\/build\//.test(e.entryName))).toEqual([]);
  const settings = byName.get('decaylab-autograder.env')!.getData().toString();
  expect(settings).toContain("DECAYLAB_ASSIGNMENT='norms'");
  expect(settings).toContain("DECAYLAB_TEST_VISIBILITY='after_published'");
  // Sourced by bash: the quote in the URL must stay inside its value.
  fs.writeFileSync(path.join(out, 'settings.env'), settings);
  const sourced = spawnSync('bash', ['-c', '. "$1"; printf %s "$DECAYLAB_COURSE_URL"', 'bash', path.join(out, 'settings.env')], { encoding: 'utf8' });
  expect(sourced.stdout).toBe("https://x.example/it's/");
});

test('usage errors exit 2 with one line: unknown assignment, not a .zip, a course URL that is not http(s)', () => {
  for (const args of [
    ['--assignment', 'nope', '--out', path.join(out, 'a.zip')],
    ['--assignment', 'decay', '--out', path.join(out, 'a.tar')],
    ['--assignment', 'decay', '--out', path.join(out, 'a.zip'), '--course-url', 'javascript:alert(1)'],
    ['--assignment', 'decay', '--out', path.join(out, 'a.zip'), '--visibility', 'sometimes'],
  ]) {
    const r = decaylab('gradescope', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
  expect(fs.existsSync(path.join(out, 'a.zip'))).toBe(false);
});
