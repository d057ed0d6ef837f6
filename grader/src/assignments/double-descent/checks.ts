import * as tf from '@tensorflow/tfjs-node';
import fc from 'fast-check';
import * as ref from '@decaylab/solutions';
import { contractChecks, type ContractPlan } from '../../hidden/contract';
import type { Check } from '../../hidden/define-suite';
import { once, remember } from '../../hidden/draw-once';
import { fail } from '../../hidden/feedback';
import type { Probe } from '../../hidden/probe';
import { close, observe, readTensor, worstError, type Tolerance } from '../../hidden/read-result';
import { tensorToWire, type Wire } from '../../sandbox/wire';
import type { Misconception } from '../../core/misconception';
import { ddMisconceptions as M } from './variants';

// The double-descent assignment's hidden checks, one per test id in ./index.ts. Systems are seeded fast-check draws,
// tall or wide, compared with @decaylab/solutions. Known wrong variants are the reference itself called with the
// wrong knob (no cutoff, lambda squared, lambda ignored), or float64 feature maps.

type Host = { shape: number[]; values: Float32Array };
type System = { phi: Host; y: Host; lambda: number };
type Variant = Misconception & { result: () => Float32Array };

const SEED = 20260303;
const TOL: Tolerance = { atol: 1e-5, rtol: 1e-4 };
/** Both sides go through a float32 SVD; the systems are well conditioned, so 1e-3 relative is ample and still tight. */
const SOLVE_TOL: Tolerance = { atol: 2e-4, rtol: 2e-3 };

/** A grid of 2001 values in [-1, 1]: fc.float draws exponents uniformly, which makes most values tiny. */
const value = fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000);
const matrixOf = (m: number, n: number) =>
  fc.array(value, { minLength: m * n, maxLength: m * n }).map((v) => ({ shape: [m, n], values: Float32Array.from(v) }));
const system = (rows: fc.Arbitrary<[number, number]>) =>
  rows.chain(([n, N]) =>
    fc.record({ phi: matrixOf(n, N), y: fc.integer({ min: 1, max: 3 }).chain((k) => matrixOf(n, k)), lambda: fc.double({ min: 0.05, max: 2, noNaN: true }) }),
  );
const tall = system(fc.integer({ min: 4, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 2 }))));
const wide = system(fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: n + 2, max: n + 6 }))));
const either = fc.oneof(tall, wide);
const features = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }))
  .chain(([n, d, N]) => fc.tuple(matrixOf(n, d), matrixOf(d, N)));

const draw = <T>(key: string, arb: fc.Arbitrary<T>, n: number, salt: number): T[] => once(`dd/${key}`, () => fc.sample(arb, { seed: SEED + salt, numRuns: n }));
const w = (h: Host): Wire => tensorToWire(h.shape, h.values);
const tfOf = (h: Host) => tf.tensor2d(h.values, h.shape as [number, number]);
const solve = (compute: () => tf.Tensor) => tf.tidy(() => compute().dataSync() as Float32Array);

function minNorm(s: System, rcond?: number): Float32Array {
  return remember(s, `minNorm/${rcond}`, () => solve(() => ref.minNormLeastSquares(tfOf(s.phi), tfOf(s.y), rcond)));
}

function ridge(s: System, lambda: number): Float32Array {
  return remember(s, `ridge/${lambda}`, () => solve(() => ref.ridgeRegression(tfOf(s.phi), tfOf(s.y), lambda)));
}

async function checkSolver(
  probe: Probe,
  fn: 'minNormLeastSquares' | 'ridgeRegression',
  s: System,
  where: string,
  extra: Wire[],
  expected: Float32Array,
  variants: Variant[],
): Promise<void> {
  const got = readTensor((await observe(probe, fn, [w(s.phi), w(s.y), ...extra])).value, `the result of ${fn}`);
  const [N, k] = [s.phi.shape[1], s.y.shape[1]];
  if (got.values.length !== N * k)
    fail(`${fn} returned ${got.values.length} values; a [${N}, ${k}] solution has ${N * k} (one row per feature, one column per target)`);
  const err = worstError([got.values], [expected], SOLVE_TOL)!;
  if (err === 0) return;
  const v = variants.find((x) => close([got.values], [x.result()], SOLVE_TOL));
  fail(`${fn} differs from the expected solution ${where} (largest error beyond tolerance: ${err.toPrecision(3)})${v ? `: ${v.says}` : ''}`, v);
}

const minNormCases =
  (arb: fc.Arbitrary<System>, n: number, salt: number): Check =>
  async (probe) => {
    for (const [k, s] of draw(`minNorm/${salt}`, arb, n, salt).entries()) {
      await checkSolver(probe, 'minNormLeastSquares', s, `on random system ${k + 1} of ${n}`, [], minNorm(s), [
        { ...M.ridgeInstead, result: () => ridge(s, 1) },
      ]);
    }
  };

/** Two identical columns: one singular value is zero up to rounding, and 1/s of it must not enter the solution. */
function rankDeficient(): System {
  const [base] = draw('deficient', system(fc.constant<[number, number]>([6, 3])), 1, 7);
  const values = Array.from({ length: 6 }, (_, i) => [...base.phi.values.slice(i * 3, i * 3 + 3), base.phi.values[i * 3 + 2]]).flat();
  return { ...base, phi: { shape: [6, 4], values: Float32Array.from(values) } };
}

/** Columns scaled so that the singular values spread over two orders of magnitude; rcond = 0.05 cuts some. */
function spreadSystem(): System {
  const [base] = draw('spread', system(fc.constant<[number, number]>([7, 4])), 1, 8);
  const scales = [1, 0.3, 0.03, 0.01];
  return { ...base, phi: { shape: [7, 4], values: base.phi.values.map((v, i) => v * scales[i % 4]) } };
}

const deficient = once('dd/deficient-system', rankDeficient);
const spread = once('dd/spread-system', spreadSystem);

function reluVariants(x: Host, wt: Host): Variant[] {
  const [n, d] = x.shape;
  const N = wt.shape[1];
  const map = (inner: (v: number) => number, outer: (v: number) => number) => () => {
    const out = new Float32Array(n * N);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let l = 0; l < d; l++) s += inner(x.values[i * d + l]) * wt.values[l * N + j];
        out[i * N + j] = outer(s);
      }
    return out;
  };
  const id = (v: number) => v;
  return [
    { ...M.noRelu, result: map(id, id) },
    { ...M.reluBeforeProduct, result: map((v) => Math.max(0, v), id) },
    { ...M.absolute, result: map(id, Math.abs) },
  ];
}

function contractPlan(): ContractPlan {
  const [x, wt] = draw('contract-features', features, 1, 9)[0];
  const [sys] = draw('contract-system', wide, 1, 10);
  const shaped = (fn: string, rows: number, cols: number) => (v: Wire) => {
    const t = readTensor(v, `the result of ${fn}`);
    if (t.shape.join() !== `${rows},${cols}`) fail(`${fn} returned shape [${t.shape}]; expected [${rows},${cols}]`);
    if (t.dtype !== 'float32') fail(`${fn} returned ${t.dtype}; the API is float32`);
  };
  const N = sys.phi.shape[1];
  const k = sys.y.shape[1];
  return [
    { fn: 'reluFeatures', args: [w(x), w(wt)], argNames: ['x', 'w'], expectShapes: shaped('reluFeatures', x.shape[0], wt.shape[1]) },
    { fn: 'minNormLeastSquares', args: [w(sys.phi), w(sys.y)], argNames: ['phi', 'y'], expectShapes: shaped('minNormLeastSquares', N, k) },
    { fn: 'ridgeRegression', args: [w(sys.phi), w(sys.y), sys.lambda], argNames: ['phi', 'y', 'lambda'], expectShapes: shaped('ridgeRegression', N, k) },
  ];
}

export const doubleDescentChecks: Record<string, Check> = {
  'reluFeatures.random': async (probe) => {
    const cases = draw('features', features, 8, 1);
    for (const [k, [x, wt]] of cases.entries()) {
      const got = readTensor((await observe(probe, 'reluFeatures', [w(x), w(wt)])).value, 'the result of reluFeatures');
      const expected = remember(x, 'relu', () => solve(() => ref.reluFeatures(tfOf(x), tfOf(wt))));
      if (got.values.length !== expected.length) fail(`reluFeatures returned ${got.values.length} values; an [n, N] result has ${expected.length}`);
      const err = worstError([got.values], [expected], TOL)!;
      if (err === 0) continue;
      const v = reluVariants(x, wt).find((variant) => close([got.values], [variant.result()], TOL));
      fail(
        `reluFeatures differs from the expected result on random case ${k + 1} of ${cases.length} (largest error beyond tolerance: ${err.toPrecision(3)})${v ? `: ${v.says}` : ''}`,
        v,
      );
    }
  },
  'minNormLeastSquares.tall': minNormCases(tall, 5, 2),
  'minNormLeastSquares.wide': minNormCases(wide, 5, 3),
  'minNormLeastSquares.rankDeficient': (probe) =>
    checkSolver(probe, 'minNormLeastSquares', deficient, 'on a system with two identical columns', [], minNorm(deficient), [
      { ...M.noCutoff, result: () => minNorm(deficient, 0) },
    ]),
  'minNormLeastSquares.rcond': (probe) =>
    checkSolver(probe, 'minNormLeastSquares', spread, 'with rcond = 0.05', [0.05], minNorm(spread, 0.05), [
      { ...M.rcondIgnored, result: () => minNorm(spread) },
    ]),
  'ridgeRegression.random': async (probe) => {
    const cases = draw('ridge', either, 8, 4);
    for (const [k, s] of cases.entries()) {
      await checkSolver(probe, 'ridgeRegression', s, `on random system ${k + 1} of ${cases.length}`, [s.lambda], ridge(s, s.lambda), [
        { ...M.lambdaSquared, result: () => ridge(s, s.lambda * s.lambda) },
        { ...M.lambdaIgnored, result: () => minNorm(s) },
        { ...M.halfLambda, result: () => ridge(s, s.lambda / 2) },
      ]);
    }
  },
  ...contractChecks(contractPlan),
};
