import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHAPTERS_ROOT } from '../src/course-manifest';
import { loadExercises } from './check-notebook';
import { FunctionStatus, runPublicTests } from './check-run';

// `npm run check`'s reading of a saved notebook, and its answers to notebooks that are wrong in the ways students' are.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-check-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cell = (source: string, tags: string[] = []) => ({ cell_type: 'code', source, metadata: { tags }, outputs: [], execution_count: null });
function notebook(name: string, cells: object[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

const IMPORT = "import * as tf from '@tensorflow/tfjs-node';\n";

describe('loading the exercise cells of a notebook', () => {
  it('takes only the exercise cells, in order, as one module, and finds functions they declare without exporting', () => {
    const file = notebook('norms.ipynb', [
      cell(IMPORT + 'const helper = (x: tf.Tensor) => tf.tidy(() => x.abs().sum());', ['exercise']),
      cell("throw new Error('a scratch cell');"),
      cell('function l1Norm(x: tf.Tensor): tf.Scalar {\n  return helper(x) as tf.Scalar;\n}', ['exercise']),
    ]);
    // Jest's own require, so that the cells get the TensorFlow.js instance this test's public tests use.
    const fns = loadExercises(file, ['l1Norm', 'l2Norm'], require);
    expect(typeof fns.l1Norm).toBe('function');
    expect(fns.l2Norm).toBeUndefined();
    const r = runPublicTests('norms', fns);
    expect(r.functions.find((f) => f.fn === 'l1Norm')!.status).toBe(FunctionStatus.Pass);
    expect(r.functions.find((f) => f.fn === 'l2Norm')!.failure!.message).toBe(
      'l2Norm is missing (not declared in the exercise cells, or not passed to check())',
    );
  });

  it('names the notebook and the line when the exercise cells do not compile', () => {
    const file = notebook('broken.ipynb', [cell(IMPORT + 'function l1Norm(x: tf.Tensor {\n  return x;\n}', ['exercise'])]);
    expect(() => loadExercises(file, ['l1Norm'])).toThrow(new RegExp(`^${file}: the exercise cells do not compile \\(line 2 of the exercise cells\\): `));
  });

  it('says when no cell is tagged exercise, and when the cells throw while loading', () => {
    expect(() => loadExercises(notebook('untagged.ipynb', [cell('const a = 1;')]), ['l1Norm'])).toThrow(/no code cell is tagged "exercise"/);
    const throwing = notebook('throwing.ipynb', [cell("throw new Error('boom');", ['exercise'])]);
    expect(() => loadExercises(throwing, ['l1Norm'])).toThrow(`${throwing}: running the exercise cells failed: boom`);
  });
});

describe('the check command', () => {
  const cli = path.join(CHAPTERS_ROOT, 'dist', 'course', 'check-cli.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, INIT_CWD: dir } });

  it('refuses a notebook it cannot place, with one line and exit 1', () => {
    const r = run('mine.ipynb');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "check: mine.ipynb: not one of the course's notebooks (norms.ipynb, l2-vs-decay.ipynb, double-descent.ipynb); say which with --assignment <id>",
    );
  });

  it('checks a renamed notebook with --assignment and reports a missing file on its own line', () => {
    const file = notebook('my-norms.ipynb', [
      cell(IMPORT + 'function linfNorm(x: tf.Tensor): tf.Scalar {\n  return tf.tidy(() => x.abs().max());\n}', ['exercise']),
    ]);
    const r = run(path.basename(file), 'gone.ipynb', '--assignment', 'norms');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^ {2}pass {2}linfNorm +1\/1 public tests pass$/m);
    expect(r.stdout).toMatch(/^ {2}FAIL {2}lpNorm +lpNorm is missing/m);
    expect(r.stdout).toContain('norms: gone.ipynb: no such notebook');
  });
});
