import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-node';
import { mnistSubset, oneHot } from '@decaylab/datasets';
import type { MinNormRoute } from '@decaylab/solutions';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { pythonEnv, runPythonJson } from '../common/python-env';
import { fmt, formatSummary, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { sweepTfjs, type Solver, type SweepData, type SweepPoint } from './sweep';

const SCRIPT = 'bench/double-descent';
const USAGE = `Usage: node bench/dist/double-descent/main.js [--quick] [--runs 3] [--no-python] [--no-cpu]
  Chapter 3's random-ReLU-features sweep on an MNIST subset (min-norm least squares), timed end to end on the native
  backend (the solutions' minNormLeastSquares, and the same with an SVD for every N), in NumPy (bench/.venv; with
  OpenBLAS's default threads and with one thread) and on tfjs's pure-JS cpu backend (on a shorter grid: it has no SVD
  and is slow). The native and NumPy sweeps run in alternating rounds, each round in a rotated order.
  --quick      200 training digits and a short grid (CI)
  --runs       rounds of the native and NumPy sweeps (default 3; the cpu sweep runs once)
  --no-python  skip NumPy
  --no-cpu     skip the cpu backend and the short grid`;

interface Setup {
  n: number;
  nTest: number;
  draws: number;
  grid: number[];
  cpuGrid: number[];
}

const FULL: Setup = {
  n: 500,
  nTest: 1000,
  draws: 3,
  // Dense around the interpolation threshold N = n, where the peak is sharp.
  grid: [20, 50, 100, 160, 250, 350, 420, 460, 480, 490, 500, 510, 520, 540, 580, 650, 800, 1000, 1300, 1700, 2200, 2800, 3500, 4200, 5000],
  cpuGrid: [20, 100, 250, 450, 500, 550, 1000],
};
const QUICK: Setup = { n: 200, nTest: 400, draws: 1, grid: [20, 60, 120, 180, 200, 220, 300, 500, 1000], cpuGrid: [20, 100, 200, 400] };

function buildData(s: Setup): SweepData {
  const subset = mnistSubset({ seed: 0, train: s.n, test: s.nTest });
  const d = subset.train.d;
  const maxFeatures = Math.max(...s.grid, ...s.cpuGrid);
  const weights = Array.from({ length: s.draws }, (_, i) =>
    tf.tidy(() => Float32Array.from(tf.randomNormal([d, maxFeatures], 0, 1 / Math.sqrt(d), 'float32', 100 + i).dataSync())),
  );
  return {
    d,
    classes: subset.train.numClasses,
    n: s.n,
    nTest: s.nTest,
    xTrain: subset.train.x,
    yTrain: oneHot(subset.train.labels, subset.train.numClasses),
    xTest: subset.test.x,
    labelsTest: Int32Array.from(subset.test.labels),
    weights,
    maxFeatures,
  };
}

function writeData(data: SweepData): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-dd-'));
  const put = (name: string, a: Float32Array | Int32Array) => fs.writeFileSync(path.join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  put('x_train.f32', data.xTrain);
  put('y_train.f32', data.yTrain);
  put('x_test.f32', data.xTest);
  put('labels_test.i32', data.labelsTest);
  data.weights.forEach((w, i) => put(`w${i}.f32`, w));
  const { d, classes, n, nTest, maxFeatures } = data;
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ d, classes, n, nTest, maxFeatures, draws: data.weights.length }));
  return dir;
}

function timedSweep(data: SweepData, grid: number[], solver: Solver): { seconds: number; points: SweepPoint[] } {
  const t0 = process.hrtime.bigint();
  const points = sweepTfjs(data, grid, solver);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, points };
}

interface NumpyOut {
  numpy: string;
  grids: Record<string, { seconds: number[]; points: SweepPoint[] }>;
}

/** One implementation's rounds: seconds per round and the points of the last one. */
interface Timed {
  seconds: number[];
  points: SweepPoint[];
}

/** Test errors agree away from the threshold, where the system is well conditioned; near N = n they may not. */
function compareAwayFromPeak(label: string, a: SweepPoint[], b: SweepPoint[], n: number, tol: number): string[] {
  return a.flatMap((p, i) => {
    const far = p.features <= n / 2 || p.features >= 2 * n;
    const diff = Math.abs(p.testError - b[i].testError);
    return far && diff > tol ? [`${label}: test error differs by ${fmt(diff)} at N = ${p.features}`] : [];
  });
}

/** "svd 3" or "gram 2, svd 1": the routes minNormLeastSquares took over the draws at one N. */
function describeRoutes(routes: MinNormRoute[] | undefined): string {
  const counts = new Map<MinNormRoute, number>();
  for (const r of routes ?? []) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, c]) => `${r} ${c}`).join(', ');
}

/** "1.62x (1.55, 1.70, 1.61)": the ratio of medians and each round's own ratio, row over reference. */
function ratioCell(row: number[], reference: number[]): string {
  const perRound = row.map((s, i) => fmt(s / reference[i], 3)).join(', ');
  return `${fmt(summarize(row).median / summarize(reference).median, 3)}x${row.length > 1 ? ` (${perRound})` : ''}`;
}

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'no-python': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const quick = args.quick as boolean;
  const runs = positiveInt(SCRIPT, 'runs', args.runs as string | undefined, quick ? 1 : 3);
  const setup = quick ? QUICK : FULL;
  const short = !args['no-cpu'];
  const loadAtStart = os.loadavg();
  if (tf.getBackend() !== 'tensorflow') fail(SCRIPT, `needs the tfjs-node backend, active backend is ${tf.getBackend()}`);

  const data = buildData(setup);
  const oneDraw: SweepData = { ...data, weights: data.weights.slice(0, 1) };
  const env = args['no-python'] ? ({ python: null, reason: '--no-python' } as const) : pythonEnv(['numpy'], !quick);
  const numpyNote = env.python === null ? `skipped: ${env.reason}` : '';
  const dir = env.python === null ? undefined : writeData(data);

  // Untimed first, by every implementation: kernels and buffers are set up on first use (seconds on this machine).
  const warmup = [setup.grid[0], setup.n, setup.grid[setup.grid.length - 1]];
  // Every implementation runs once per round; the order rotates so that a change in the shared machine's load
  // falls on all of them alike.
  const timed = new Map<string, Timed>();
  const record = (key: string, seconds: number, points: SweepPoint[]) => {
    console.error(`${SCRIPT}: ${key} ${fmt(seconds)} s`);
    const t = timed.get(key) ?? { seconds: [], points: [] };
    t.seconds.push(seconds);
    t.points = points;
    timed.set(key, t);
  };
  let numpyLabel = '';
  const numpyRound = (python: string, versions: string, key: string, blasThreads: number | null) => () => {
    const grids = { full: { grid: setup.grid, draws: setup.draws }, ...(short ? { short: { grid: setup.cpuGrid, draws: 1 } } : {}) };
    const plan = { grids, runs: 1, blasThreads, warmup };
    const out = runPythonJson<NumpyOut>(python, 'numpy_double_descent.py', [dir!, JSON.stringify(plan)]);
    numpyLabel = `NumPy ${out.numpy} (${versions})`;
    record(`${key}/full`, out.grids.full.seconds[0], out.grids.full.points);
    if (short) record(`${key}/short`, out.grids.short.seconds[0], out.grids.short.points);
  };
  const nativeRound = (solver: Solver, grid: 'full' | 'short') => () => {
    const r = grid === 'full' ? timedSweep(data, setup.grid, solver) : timedSweep(oneDraw, setup.cpuGrid, solver);
    record(`${solver}/${grid}`, r.seconds, r.points);
  };
  const steps: (() => void)[] = [nativeRound('solutions', 'full'), nativeRound('solutions-svd', 'full')];
  if (short) steps.push(nativeRound('solutions', 'short'));
  if (env.python !== null) steps.push(numpyRound(env.python, env.versions, 'numpy', null), numpyRound(env.python, env.versions, 'numpy-1', 1));
  try {
    for (const solver of ['solutions', 'solutions-svd'] as const) sweepTfjs(oneDraw, warmup, solver);
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < steps.length; i++) steps[(i + round) % steps.length]();
    }
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }

  let cpu: Timed | undefined;
  if (short) {
    await tf.setBackend('cpu');
    tf.env().set('PROD', true);
    const r = timedSweep(oneDraw, setup.cpuGrid, 'gauss-jordan');
    cpu = { seconds: [r.seconds], points: r.points };
    await tf.setBackend('tensorflow');
  }

  const native = timed.get('solutions/full')!;
  const timeRows: string[][] = [];
  const timeRow = (grid: string, impl: string, t: Timed | undefined, reference: Timed, note = numpyNote) => {
    const s = t && summarize(t.seconds);
    timeRows.push([grid, impl, s ? formatSummary(s) : note, s ? String(s.runs) : '', t ? ratioCell(t.seconds, reference.seconds) : '']);
  };
  const fullLabel = `${setup.grid.length} N x ${setup.draws} draw(s)`;
  timeRow(fullLabel, 'tfjs-node (solutions: reluFeatures, minNormLeastSquares)', native, native);
  timeRow(fullLabel, 'tfjs-node, minNormLeastSquares with an SVD for every N', timed.get('solutions-svd/full'), native);
  timeRow(fullLabel, 'NumPy (lstsq), OpenBLAS default threads', timed.get('numpy/full'), native);
  timeRow(fullLabel, 'NumPy (lstsq), OPENBLAS_NUM_THREADS=1', timed.get('numpy-1/full'), native);
  if (short) {
    const nativeShort = timed.get('solutions/short')!;
    const shortLabel = `${setup.cpuGrid.length} N x 1 draw`;
    timeRow(shortLabel, 'tfjs-node (solutions)', nativeShort, nativeShort);
    timeRow(shortLabel, 'NumPy (lstsq), OpenBLAS default threads', timed.get('numpy/short'), nativeShort);
    timeRow(shortLabel, 'NumPy (lstsq), OPENBLAS_NUM_THREADS=1', timed.get('numpy-1/short'), nativeShort);
    timeRow(shortLabel, 'tfjs cpu backend (Gram + Gauss-Jordan in tfjs ops)', cpu, nativeShort);
  }

  // Correctness of the timed computations: the peak sits at the threshold and the implementations agree off it.
  const problems: string[] = [];
  const svdOnly = timed.get('solutions-svd/full')!.points;
  for (const [label, points] of [
    ['native', native.points],
    ['native, SVD for every N', svdOnly],
  ] as const) {
    const peak = points.reduce((a, b) => (b.testError > a.testError ? b : a));
    const allowed = quick ? peak.features >= setup.n / 1.5 && peak.features <= setup.n * 1.5 : peak.features === setup.n;
    const where = quick ? `within a factor 1.5 of n = ${setup.n}` : `at N = n = ${setup.n}`;
    if (!allowed) problems.push(`${label}: test-error peak at N = ${peak.features}, not ${where}`);
  }
  problems.push(...compareAwayFromPeak('native: Gram route vs SVD for every N', native.points, svdOnly, setup.n, 0.01));
  const np = timed.get('numpy/full')?.points;
  if (np) problems.push(...compareAwayFromPeak('native vs NumPy', native.points, np, setup.n, 0.02));
  const np1 = timed.get('numpy-1/full')?.points;
  if (np1) problems.push(...compareAwayFromPeak('native vs NumPy (one thread)', native.points, np1, setup.n, 0.02));
  if (cpu) problems.push(...compareAwayFromPeak('native vs cpu', timed.get('solutions/short')!.points, cpu.points, setup.n, 0.02));
  const routeDiff = Math.max(...native.points.map((p, i) => Math.abs(p.testError - svdOnly[i].testError)));

  const curve = native.points.map((p, i) => [
    String(p.features),
    describeRoutes(p.routes),
    fmt(p.testError),
    fmt(svdOnly[i].testError),
    np ? fmt(np[i].testError) : '',
    fmt(p.norm),
    fmt(svdOnly[i].norm),
    np ? fmt(np[i].norm) : '',
  ]);

  console.log(`Machine: ${describeMachine()} (at the end; at the start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')})`);
  console.log(
    `MNIST subset: ${setup.n} training digits (balanced), ${setup.nTest} test digits, 784 pixels; ReLU features with N(0, 1/784) weights; one-hot targets.`,
  );
  if (numpyLabel) console.log(numpyLabel);
  console.log(`\n### Double-descent sweep, seconds end to end (features, min-norm solve, test error), median (min-max) over ${runs} round(s)\n`);
  console.log(markdownTable(['grid', 'implementation', 'seconds', 'runs', 'time / tfjs-node (per round)'], timeRows));
  console.log(`\n### The curve (mean over ${setup.draws} draw(s)): route, test error and the Frobenius norm of the solution w\n`);
  const curveHeaders = ['N', 'route (draws)', 'error tfjs-node', 'error SVD only', 'error NumPy', 'norm(w) tfjs-node', 'norm(w) SVD only', 'norm(w) NumPy'];
  console.log(markdownTable(curveHeaders, curve));
  if (problems.length > 0) fail(SCRIPT, `the implementations disagree:\n  ${problems.join('\n  ')}`);
  console.log(
    `\ncheck: peak at N = n = ${setup.n}${quick ? ' (within a factor 1.5)' : ''}; ` +
      `the Gram route and an SVD for every N differ by at most ${fmt(routeDiff)} in test error` +
      ` (0.01 allowed away from the peak); NumPy and the cpu backend agree within 0.02 away from the peak.`,
  );
}

main().catch((e: Error) => fail(SCRIPT, e.message));
