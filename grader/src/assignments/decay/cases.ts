import fc from 'fast-check';
import { once } from '../../hidden/draw-once';

// Seeded random inputs for the decay tests, drawn with fast-check: lists of one to three tensors of rank 0 to 3
// (scalars, vectors, matrices and beyond), values and hyper-parameters in ranges where float32 is comfortable.

export type HostTensor = { shape: number[]; values: Float32Array };
export type StepCase = { params: HostTensor[]; grads: HostTensor[]; lr: number; coef: number };
export type AdamCase = StepCase & { beta1: number; beta2: number; eps: number; steps: HostTensor[][] };

const SEED = 20260425;

const shape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
/** A grid of 4001 values in [-2, 2]: fc.float draws exponents uniformly, which makes most values tiny. */
const value = fc.integer({ min: -2000, max: 2000 }).map((v) => v / 1000);
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const tensorOf = (s: number[]) => fc.array(value, { minLength: size(s), maxLength: size(s) }).map((v) => ({ shape: s, values: Float32Array.from(v) }));
const listLike = (shapes: number[][]) => fc.tuple(...shapes.map(tensorOf));
const shapes = fc.array(shape, { minLength: 1, maxLength: 3 });

const stepCase = shapes.chain((ss) =>
  fc.record({
    params: listLike(ss),
    grads: listLike(ss),
    lr: fc.double({ min: 0.001, max: 0.3, noNaN: true }),
    coef: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  }),
);

const adamCase = (steps: number) =>
  shapes.chain((ss) =>
    fc.record({
      params: listLike(ss),
      grads: listLike(ss),
      steps: fc.array(listLike(ss), { minLength: steps, maxLength: steps }),
      lr: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
      coef: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      beta1: fc.double({ min: 0.8, max: 0.95, noNaN: true }),
      beta2: fc.double({ min: 0.9, max: 0.999, noNaN: true }),
      eps: fc.double({ min: 1e-8, max: 1e-6, noNaN: true }),
    }),
  );

/** `salt` keeps the tests' draws independent of each other while each stays fixed from run to run. */
export function sampleParamLists(n: number, salt: number): HostTensor[][] {
  return once(`params/${n}/${salt}`, () => fc.sample(shapes.chain(listLike), { seed: SEED + salt, numRuns: n }));
}

export function sampleStepCases(n: number, salt: number): StepCase[] {
  return once(`step/${n}/${salt}`, () => fc.sample(stepCase, { seed: SEED + salt, numRuns: n }));
}

export function sampleAdamCases(n: number, steps: number, salt: number): AdamCase[] {
  return once(`adam/${n}/${steps}/${salt}`, () => fc.sample(adamCase(steps), { seed: SEED + salt, numRuns: n }));
}

export function host(values: number[], shape: number[] = [values.length]): HostTensor {
  return { shape, values: Float32Array.from(values) };
}
