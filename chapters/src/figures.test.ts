import * as fs from 'fs';
import * as path from 'path';
import { CHAPTERS, CHAPTERS_ROOT } from './course-manifest';
import { outputText, readNotebook } from './notebook-file';

// Asserts the numbers behind the executed notebooks' figures, as recorded by `nx run chapters:execute` (the chapters'
// `test` script runs it first). Each expectation is a claim the notebook's prose makes about its plot.

const executed = process.env.DECAYLAB_EXECUTED_DIR ?? path.join(CHAPTERS_ROOT, '.executed');
type Row = Record<string, number | string>;

function figure(chapter: string, id: string): Row[] {
  const file = path.join(executed, chapter, 'solved', 'figures', `${id}.json`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx nx run chapters:execute\` first`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: Row[] }).rows;
}
const num = (r: Row, k: string) => r[k] as number;
const argmax = (rows: Row[], key: string) => rows.reduce((best, r) => (num(r, key) > num(best, key) ? r : best));

describe('the execution', () => {
  it.each(CHAPTERS.map((c) => c.dir))('ran %s, solved and student form, without problems', (dir) => {
    const outcome = JSON.parse(fs.readFileSync(path.join(executed, dir, 'outcome.json'), 'utf8')) as { problems: string[] };
    expect(outcome.problems).toEqual([]);
  });

  it.each(CHAPTERS.flatMap((c) => ['solved', 'student'].map((form) => [c.dir, form])))('ran %s (%s form) on the native backend', (dir, form) => {
    const nb = readNotebook(path.join(executed, dir, form, 'executed.ipynb'));
    const firstCode = nb.cells.find((c) => c.cell_type === 'code')!;
    expect((firstCode.outputs ?? []).map(outputText).join('')).toMatch(/on the 'tensorflow' backend/);
  });
});

describe('chapter 1: norms', () => {
  const ch = '01-norms';
  it('unit-ball boundary points have p-norm 1 (recomputed here in float64)', () => {
    for (const r of figure(ch, 'unit-balls')) {
      const p = String(r.p).match(/p = ([\d.]+|Infinity)/)![1];
      const [x, y] = [Math.abs(num(r, 'x')), Math.abs(num(r, 'y'))];
      const norm = p === 'Infinity' ? Math.max(x, y) : (x ** +p + y ** +p) ** (1 / +p);
      expect(Math.abs(norm - 1)).toBeLessThan(1e-5);
    }
  });

  it('power iteration converges: the error at 80 steps is 100 times below the error at 1 step', () => {
    const rows = figure(ch, 'power-iteration');
    expect(num(rows.at(-1)!, 'relative error')).toBeLessThan(num(rows[0], 'relative error') / 100);
  });

  it('L1 zeroes most irrelevant weights and keeps the large true ones; squared L2 zeroes none', () => {
    const rows = figure(ch, 'l1-vs-l2-weights');
    const l1 = rows.filter((r) => r.method === 'L1 (ISTA)');
    const l2 = rows.filter((r) => r.method === 'squared L2');
    expect(l1.filter((r) => num(r, 'index') >= 5 && Math.abs(num(r, 'weight')) < 1e-6).length).toBeGreaterThanOrEqual(25);
    for (const i of [0, 1, 2, 3]) expect(Math.abs(num(l1[i], 'weight'))).toBeGreaterThan(0.3);
    expect(l2.filter((r) => Math.abs(num(r, 'weight')) < 1e-6)).toHaveLength(0);
  });
});

describe('chapter 2: L2 versus weight decay', () => {
  const ch = '02-l2-vs-decay';
  it('D2L: at lambda = 3 the test loss is far below lambda = 0 and the training loss above it', () => {
    const rows = figure(ch, 'd2l-curves');
    const final = (lambda: string, split: string) => num(rows.filter((r) => r.lambda === lambda && r.split === split).at(-1)!, 'loss');
    expect(final('lambda = 3', 'test')).toBeLessThan(final('lambda = 0', 'test') / 100);
    expect(final('lambda = 3', 'train')).toBeGreaterThan(final('lambda = 0', 'train'));
  });

  it('D2L sweep: training loss grows with lambda; test loss falls all the way to lambda = 100, towards 0.5 Var(y)', () => {
    const rows = figure(ch, 'd2l-lambda-sweep');
    const losses = (split: string) => rows.filter((r) => r.split === split).map((r) => num(r, 'loss'));
    const [train, test] = [losses('train'), losses('test')];
    for (let i = 1; i < train.length; i++) expect(train[i]).toBeGreaterThan(train[i - 1]);
    for (let i = 1; i < test.length; i++) expect(test[i]).toBeLessThan(test[i - 1]);
    expect(test.at(-1)!).toBeGreaterThan(0.003);
    expect(test.at(-1)!).toBeLessThan(0.012);
  });

  it('mechanism: AdamW shrinks every group to about 0.37; Adam + L2 spares the noisy group and zeroes the quiet one', () => {
    const rows = figure(ch, 'adam-mechanism');
    const at = (method: string, sigma: string) => num(rows.find((r) => r.method === method && r.sigma === `sigma = ${sigma}`)!, 'mean final weight');
    for (const s of ['10', '1', '0.01']) expect(Math.abs(at('AdamW', s) - Math.exp(-1))).toBeLessThan(0.08);
    expect(at('Adam + L2', '10')).toBeGreaterThan(0.8);
    expect(Math.abs(at('Adam + L2', '1') - Math.exp(-1))).toBeLessThan(0.08);
    expect(Math.abs(at('Adam + L2', '0.01'))).toBeLessThan(0.05);
  });

  it('grid: the learning rate moves the test error more than any decay setting does within a learning rate', () => {
    const rows = figure(ch, 'lr-wd-grid');
    for (const method of ['Adam + L2', 'AdamW']) {
      const byLr = new Map<number, number[]>();
      for (const r of rows.filter((x) => x.method === method)) byLr.set(num(r, 'lr'), [...(byLr.get(num(r, 'lr')) ?? []), num(r, 'test error %')]);
      const means = [...byLr.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
      const withinLr = Math.max(...[...byLr.values()].map((v) => Math.max(...v) - Math.min(...v)));
      expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(withinLr);
    }
  });
});

describe('chapter 3: double descent', () => {
  const ch = '03-double-descent';
  const n = 500;
  it('model-wise: test error and coefficient norm both peak within a factor 1.5 of N = n', () => {
    const test = figure(ch, 'model-wise').filter((r) => r.split === 'test');
    const peak = num(argmax(test, 'error'), 'N');
    expect(peak).toBeGreaterThanOrEqual(n / 1.5);
    expect(peak).toBeLessThanOrEqual(n * 1.5);
    const normPeak = num(argmax(figure(ch, 'model-wise-norm'), 'norm'), 'N');
    expect(normPeak).toBeGreaterThanOrEqual(n / 1.5);
    expect(normPeak).toBeLessThanOrEqual(n * 1.5);
  });

  it('model-wise: zero training error from N = n on, and the widest model beats the classical optimum', () => {
    const rows = figure(ch, 'model-wise');
    for (const r of rows.filter((x) => x.split === 'train' && num(x, 'N') >= n)) expect(num(r, 'error')).toBe(0);
    const test = rows.filter((r) => r.split === 'test');
    const classical = Math.min(...test.filter((r) => num(r, 'N') < n).map((r) => num(r, 'error')));
    expect(num(test.at(-1)!, 'error')).toBeLessThan(classical);
  });

  it('ridge: lambda = 1 more than halves the error at N = n, and the peak shrinks as lambda grows', () => {
    const rows = figure(ch, 'ridge');
    const at = (fit: string, N: number) => num(rows.find((r) => r.fit === fit && r.N === N)!, 'test error');
    expect(at('ridge 1', n)).toBeLessThan(at('min-norm', n) / 2);
    const peaks = ['min-norm', 'ridge 0.01', 'ridge 0.1', 'ridge 1'].map((fit) => Math.max(...rows.filter((r) => r.fit === fit).map((r) => num(r, 'test error'))));
    for (let i = 1; i < peaks.length; i++) expect(peaks[i]).toBeLessThan(peaks[i - 1]);
  });

  it('sample-wise: with N = 500 features the min-norm test error peaks within a factor 1.5 of n = 500; ridge does not', () => {
    const rows = figure(ch, 'sample-wise');
    const minNorm = rows.filter((r) => r.fit === 'min-norm');
    const peak = num(argmax(minNorm, 'test error'), 'n');
    expect(peak).toBeGreaterThanOrEqual(500 / 1.5);
    expect(peak).toBeLessThanOrEqual(500 * 1.5);
    const ridge = (k: number) => num(rows.find((r) => r.fit === 'ridge 1' && r.n === k)!, 'test error');
    expect(ridge(500)).toBeLessThan(num(minNorm.find((r) => r.n === 500)!, 'test error') / 2);
  });
});
