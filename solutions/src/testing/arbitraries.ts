import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';

// fast-check generators for the decay tests: lists of float32 tensors of mixed rank (scalars, vectors, matrices,
// 3-d, empty dimensions) with parallel gradients, kept as float64 copies for the oracle.

export interface Case {
  shapes: number[][];
  params: Float64Array[];
  grads: Float64Array[];
}

const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });

const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 });

export const tensorCase = (maxTensors = 4): fc.Arbitrary<Case> =>
  fc.array(shape, { minLength: 0, maxLength: maxTensors }).chain((shapes) => {
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const vec = (n: number, lim: number) => fc.array(f32(-lim, lim), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
    return fc.record({
      shapes: fc.constant(shapes),
      params: fc.tuple(...sizes.map((n) => vec(n, 10))) as fc.Arbitrary<Float64Array[]>,
      grads: fc.tuple(...sizes.map((n) => vec(n, 10))) as fc.Arbitrary<Float64Array[]>,
    });
  });

export const toTensors = (shapes: number[][], values: Float64Array[]): tf.Tensor[] =>
  values.map((v, i) => tf.tensor(Float32Array.from(v), shapes[i], 'float32'));

/** |actual - expected| <= atol + rtol * |expected| elementwise; returns a message for the first violation. */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let j = 0; j < actual.length; j++) {
    const err = Math.abs(actual[j] - expected[j]);
    if (!(err <= atol + rtol * Math.abs(expected[j]))) {
      return `element ${j}: got ${actual[j]}, expected ${expected[j]} (error ${err})`;
    }
  }
  return null;
}

export function expectAllClose(actual: tf.Tensor[], expected: Float64Array[], rtol: number, atol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((t, i) => {
    const msg = closeTo(t.dataSync(), expected[i], rtol, atol);
    if (msg) throw new Error(`tensor ${i} (shape [${t.shape}]): ${msg}`);
  });
}

export const adamHyper = fc.record({
  lr: f32(1e-4, 0.1),
  beta1: fc.constantFrom(0, 0.5, 0.9),
  beta2: fc.constantFrom(0.9, 0.99, 0.999),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  decay: f32(0, 0.5),
});

/** Every property runs from this fixed seed so a failure reproduces exactly. */
export const runs = (numRuns = 60) => ({ seed: 20261125, numRuns });
