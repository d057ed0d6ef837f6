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
import type { Variant } from '../../core/misconception';
import { frobeniusVariants, l1Variants, l2Variants, linfVariants, lpVariants, spectralVariants } from './variants';

// The norms assignment's hidden checks, one per test id in ./index.ts: seeded fast-check tensors (rank 0 to 3) and
// matrices, hand-picked cases that separate look-alike formulas, compared with @decaylab/solutions.

type Host = { shape: number[]; values: Float32Array };
type NormFn = 'lpNorm' | 'l1Norm' | 'l2Norm' | 'linfNorm' | 'frobeniusNorm' | 'spectralNorm';

const SEED = 20260101;
const TOL: Tolerance = { atol: 1e-5, rtol: 1e-4 };
/** Power iteration converges to float32 precision only up to the spectral gap; the test matrices have a wide one. */
const SPECTRAL_TOL: Tolerance = { atol: 1e-4, rtol: 1e-3 };

/** A grid of 4001 values in [-2, 2]: fc.float draws exponents uniformly, which makes most values tiny. */
const value = fc.integer({ min: -2000, max: 2000 }).map((v) => v / 1000);
const tensorOf = (shape: number[]) => fc.array(value, { minLength: size(shape), maxLength: size(shape) }).map((v) => ({ shape, values: Float32Array.from(v) }));
const anyTensor = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }).chain(tensorOf);
const matrix = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([m, n]) => tensorOf([m, n]));
/** A random matrix plus a positive rank-one spike: a clear gap between the top two singular values. */
const spiked = fc
  .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }))
  .chain(([m, n]) =>
    fc.tuple(
      tensorOf([m, n]),
      fc.array(
        fc.integer({ min: 500, max: 1000 }).map((v) => v / 1000),
        { minLength: m + n, maxLength: m + n },
      ),
    ),
  )
  .map(([noise, uv]) => {
    const [m, n] = noise.shape;
    const values = noise.values.map((x, k) => 0.25 * x + 4 * uv[Math.floor(k / n)] * uv[m + (k % n)]);
    return { shape: [m, n], values: Float32Array.from(values) };
  });

const draw = <T>(key: string, arb: fc.Arbitrary<T>, n: number, salt: number): T[] =>
  once(`norms/${key}`, () => fc.sample(arb, { seed: SEED + salt, numRuns: n }));
const w = (h: Host): Wire => tensorToWire(h.shape, h.values);
const host = (values: number[], shape = [values.length]): Host => ({ shape, values: Float32Array.from(values) });

function reference(fn: NormFn, x: Host, p?: number): number {
  return remember(x, `${fn}/${p}`, () =>
    tf.tidy(() => {
      const t = tf.tensor(x.values, x.shape);
      const out = fn === 'lpNorm' ? ref.lpNorm(t, p!) : fn === 'frobeniusNorm' || fn === 'spectralNorm' ? ref[fn](t as tf.Tensor2D) : ref[fn](t);
      return out.dataSync()[0];
    }),
  );
}

async function checkNorm(
  probe: Probe,
  fn: NormFn,
  x: Host,
  where: string,
  opts: { p?: number; tol?: Tolerance; variants?: Variant<(x: ArrayLike<number>, extra: number) => number>[] } = {},
): Promise<void> {
  const args: Wire[] = opts.p === undefined ? [w(x)] : [w(x), opts.p === Infinity ? { $n: 'Infinity' } : opts.p];
  const got = readTensor((await observe(probe, fn, args)).value, `the result of ${fn}`);
  if (got.values.length !== 1) fail(`${fn} returned a tensor with ${got.values.length} elements; it must be a scalar`);
  const expected = reference(fn, x, opts.p);
  const tol = opts.tol ?? TOL;
  const err = worstError([got.values], [[expected]], tol)!;
  if (err === 0) return;
  const extra = opts.p ?? (x.shape.length === 2 ? x.shape[1] : 0);
  const v = (opts.variants ?? []).find((variant) => close([got.values], [[variant.fn(x.values, extra)]], tol));
  fail(`${fn} differs from the expected result ${where} (largest error beyond tolerance: ${err.toPrecision(3)})${v ? `: ${v.says}` : ''}`, v);
}

const P_VALUES = [1, 1.5, 2, 3, 7];
const randomCases =
  (
    fn: NormFn,
    arb: fc.Arbitrary<Host>,
    n: number,
    salt: number,
    variants: Variant<(x: ArrayLike<number>, extra: number) => number>[],
    tol?: Tolerance,
  ): Check =>
  async (probe) => {
    const cases = draw(`${fn}/${n}/${salt}`, arb, n, salt);
    for (const [k, x] of cases.entries()) await checkNorm(probe, fn, x, `on random case ${k + 1} of ${n}`, { variants, tol });
  };

function contractPlan(): ContractPlan {
  const scalar = (fn: string) => (v: Wire) => {
    const t = readTensor(v, `the result of ${fn}`);
    if (t.shape.length !== 0) fail(`${fn} returned shape [${t.shape}]; a tf.Scalar has shape []`);
    if (t.dtype !== 'float32') fail(`${fn} returned ${t.dtype}; the API is float32`);
  };
  const x = w(host([0.5, -1.5, 2, 0.25, -3, 1], [2, 3]));
  const one = (fn: string, args: Wire[], names: string[]) => ({ fn, args, argNames: names, expectShapes: scalar(fn) });
  return [
    one('lpNorm', [x, 3], ['x', 'p']),
    one('l1Norm', [x], ['x']),
    one('l2Norm', [x], ['x']),
    one('linfNorm', [x], ['x']),
    one('frobeniusNorm', [x], ['a']),
    one('spectralNorm', [x], ['a']),
  ];
}

export const normsChecks: Record<string, Check> = {
  'lpNorm.random': async (probe) => {
    const cases = draw('lp', anyTensor, 10, 1);
    for (const [k, x] of cases.entries()) {
      await checkNorm(probe, 'lpNorm', x, `on random case ${k + 1} of ${cases.length}`, { p: P_VALUES[k % P_VALUES.length], variants: lpVariants });
    }
  },
  'lpNorm.infinity': (probe) => checkNorm(probe, 'lpNorm', host([0.5, -3, 2, 1]), 'for p = Infinity', { p: Infinity }),
  'lpNorm.root': (probe) => checkNorm(probe, 'lpNorm', host([3, -4, 1]), 'on a hand-picked case', { p: 3, variants: lpVariants }),
  'lpNorm.absolute': (probe) => checkNorm(probe, 'lpNorm', host([-1, 2, -3]), 'on a hand-picked case', { p: 3, variants: lpVariants }),
  'l1Norm.random': randomCases('l1Norm', anyTensor, 6, 2, l1Variants),
  'l2Norm.random': randomCases('l2Norm', anyTensor, 6, 3, l2Variants),
  'l2Norm.largeEntries': (probe) => checkNorm(probe, 'l2Norm', host([3e30, -4e30, 1e30]), 'for entries around 1e30', { variants: l2Variants }),
  'linfNorm.random': randomCases('linfNorm', anyTensor, 6, 4, linfVariants),
  'frobeniusNorm.random': randomCases('frobeniusNorm', matrix, 6, 5, frobeniusVariants),
  'spectralNorm.random': randomCases('spectralNorm', spiked, 6, 6, spectralVariants, SPECTRAL_TOL),
  'spectralNorm.notFrobenius': (probe) =>
    checkNorm(probe, 'spectralNorm', host([1, 2, -2, 1, 0, 1], [3, 2]), 'on a hand-picked case', { variants: spectralVariants, tol: SPECTRAL_TOL }),
  ...contractChecks(contractPlan),
};

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
