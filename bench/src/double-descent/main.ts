import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-node';
import { mnistSubset, oneHot } from '@decaylab/datasets';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { pythonEnv, runPythonJson } from '../common/python-env';
import { fmt, formatSummary, summarize, type Summary } from '../common/stats';
import { markdownTable } from '../common/table';
import { sweepTfjs, type Solver, type SweepData, type SweepPoint } from './sweep';

const SCRIPT = 'bench/double-descent';
const USAGE = `Usage: node bench/dist/double-descent/main.js [--quick] [--runs 3] [--no-python] [--no-cpu]
  Chapter 3's random-ReLU-features sweep on an MNIST subset (min-norm least squares), timed end to end on the native
  backend, in NumPy (bench/.venv) and on tfjs's pure-JS cpu backend (on a shorter grid: it has no SVD and is slow).
  --quick      200 training digits and a short grid (CI)
  --runs       repetitions of the native and NumPy sweeps (default 3; the cpu sweep runs once)
  --no-python  skip NumPy
  --no-cpu     skip the cpu backend`;

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
  const put = (name: string, a: Float32Array | Int32Array) =>
    fs.writeFileSync(path.join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  put('x_train.f32', data.xTrain);
  put('y_train.f32', data.yTrain);
  put('x_test.f32', data.xTest);
  put('labels_test.i32', data.labelsTest);
  data.weights.forEach((w, i) => put(`w${i}.f32`, w));
  const { d, classes, n, nTest, maxFeatures } = data;
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ d, classes, n, nTest, maxFeatures, draws: data.weights.length }));
  return dir;
}

function timedSweep(data: SweepData, grid: number[], solver: Solver, runs: number): { seconds: number[]; points: SweepPoint[] } {
  const seconds: number[] = [];
  let points: SweepPoint[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    points = sweepTfjs(data, grid, solver);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds, points };
}

interface NumpyOut {
  numpy: string;
  grids: Record<string, { seconds: number[]; points: SweepPoint[] }>;
}

/** Test errors agree away from the threshold, where the system is well conditioned; near N = n they may not. */
function compareAwayFromPeak(label: string, a: SweepPoint[], b: SweepPoint[], n: number, tol: number): string[] {
  return a.flatMap((p, i) => {
    const far = p.features <= n / 2 || p.features >= 2 * n;
    const diff = Math.abs(p.testError - b[i].testError);
    return far && diff > tol ? [`${label}: test error differs by ${fmt(diff)} at N = ${p.features}`] : [];
  });
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
  if (tf.getBackend() !== 'tensorflow') fail(SCRIPT, `needs the tfjs-node backend, active backend is ${tf.getBackend()}`);

  const data = buildData(setup);
  const oneDraw: SweepData = { ...data, weights: data.weights.slice(0, 1) };
  const problems: string[] = [];
  const timeRows: string[][] = [];
  const timeRow = (grid: string, impl: string, s: Summary | undefined, peer: Summary | undefined, note = '') =>
    timeRows.push([grid, impl, s ? formatSummary(s) : note, s ? String(s.runs) : '', s && peer ? `${fmt(s.median / peer.median, 2)}x` : '']);

  const native = timedSweep(data, setup.grid, 'svd', runs);
  const nativeShort = args['no-cpu'] ? undefined : timedSweep(oneDraw, setup.cpuGrid, 'svd', runs);

  let numpy: NumpyOut | undefined;
  let numpyNote = '';
  const env = args['no-python'] ? ({ python: null, reason: '--no-python' } as const) : pythonEnv(['numpy'], !quick);
  if (env.python === null) {
    numpyNote = `skipped: ${env.reason}`;
  } else {
    const dir = writeData(data);
    try {
      const grids = { full: { grid: setup.grid, draws: setup.draws }, short: { grid: setup.cpuGrid, draws: 1 } };
      numpy = runPythonJson<NumpyOut>(env.python, 'numpy_double_descent.py', [dir, JSON.stringify({ grids, runs })]);
      numpyNote = `NumPy ${numpy.numpy} (${env.versions})`;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  let cpu: { seconds: number[]; points: SweepPoint[] } | undefined;
  if (!args['no-cpu']) {
    await tf.setBackend('cpu');
    tf.env().set('PROD', true);
    cpu = timedSweep(oneDraw, setup.cpuGrid, 'gram', 1);
    await tf.setBackend('tensorflow');
  }

  const nativeS = summarize(native.seconds);
  const fullLabel = `${setup.grid.length} N x ${setup.draws} draw(s)`;
  timeRow(fullLabel, 'tfjs-node (solutions: reluFeatures, minNormLeastSquares)', nativeS, nativeS);
  timeRow(fullLabel, 'NumPy (lstsq)', numpy && summarize(numpy.grids.full.seconds), nativeS, numpyNote);
  if (nativeShort) {
    const shortS = summarize(nativeShort.seconds);
    const shortLabel = `${setup.cpuGrid.length} N x 1 draw`;
    timeRow(shortLabel, 'tfjs-node (solutions)', shortS, shortS);
    timeRow(shortLabel, 'NumPy (lstsq)', numpy && summarize(numpy.grids.short.seconds), shortS, numpyNote);
    timeRow(shortLabel, 'tfjs cpu backend (Gram + Gauss-Jordan in tfjs ops)', cpu && summarize(cpu.seconds), shortS);
  }

  // Correctness of the timed computations: the peak sits at the threshold and the implementations agree off it.
  const peak = native.points.reduce((a, b) => (b.testError > a.testError ? b : a));
  if (peak.features < setup.n / 1.5 || peak.features > setup.n * 1.5) {
    problems.push(`native: test-error peak at N = ${peak.features}, not within a factor 1.5 of n = ${setup.n}`);
  }
  if (numpy) problems.push(...compareAwayFromPeak('native vs NumPy', native.points, numpy.grids.full.points, setup.n, 0.02));
  if (cpu && nativeShort) problems.push(...compareAwayFromPeak('native vs cpu', nativeShort.points, cpu.points, setup.n, 0.02));

  const np = numpy?.grids.full.points;
  const curve = native.points.map((p, i) => [
    String(p.features),
    fmt(p.testError),
    np ? fmt(np[i].testError) : '',
    fmt(p.norm),
    np ? fmt(np[i].norm) : '',
  ]);

  console.log(`Machine: ${describeMachine()}`);
  console.log(`MNIST subset: ${setup.n} training digits (balanced), ${setup.nTest} test digits, 784 pixels; ReLU features with N(0, 1/784) weights; one-hot targets.\n`);
  console.log('### Double-descent sweep, seconds end to end (features, min-norm solve, test error), median (min-max)\n');
  console.log(markdownTable(['grid', 'implementation', 'seconds', 'runs', 'time / tfjs-node'], timeRows));
  console.log(`\n### The curve (mean over ${setup.draws} draw(s)): test error and the Frobenius norm of the solution w\n`);
  console.log(markdownTable(['N', 'error tfjs-node', 'error NumPy', 'norm(w) tfjs-node', 'norm(w) NumPy'], curve));
  if (problems.length > 0) fail(SCRIPT, `the implementations disagree:\n  ${problems.join('\n  ')}`);
  console.log(`\ncheck: peak at N = ${peak.features} (n = ${setup.n}); implementations agree within 0.02 away from the peak.`);
}

main().catch((e: Error) => fail(SCRIPT, e.message));
