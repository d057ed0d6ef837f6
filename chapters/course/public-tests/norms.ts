import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, type PublicTest } from './harness';

type Norm = (x: tf.Tensor) => tf.Scalar;
type Lp = (x: tf.Tensor, p: number) => tf.Scalar;
type Spectral = (a: tf.Tensor2D, iterations?: number) => tf.Scalar;

const scalar = (f: Record<string, unknown>, name: string, x: tf.Tensor, want: number, ...rest: number[]) => {
  const out = fn<(x: tf.Tensor, ...r: number[]) => tf.Scalar>(f, name)(x, ...rest);
  expectValues(expectTensor(out, name, []), [want], `${name}(${x.shape.length === 1 ? `[${x.dataSync()}]` : `shape [${x.shape}]`}${rest.length ? `, ${rest}` : ''})`);
};

export const normsTests: PublicTest[] = [
  { name: 'lpNorm([3, -4], 2) = 5', run: (f) => scalar(f, 'lpNorm', tf.tensor([3, -4]), 5, 2) },
  { name: 'lpNorm([1, -2, 3], 1) = 6', run: (f) => scalar(f, 'lpNorm', tf.tensor([1, -2, 3]), 6, 1) },
  { name: 'lpNorm([1, 1, 1, 1], 3) = 4^(1/3)', run: (f) => scalar(f, 'lpNorm', tf.tensor([1, 1, 1, 1]), Math.cbrt(4), 3) },
  { name: 'lpNorm([1, -2, 3], Infinity) = 3', run: (f) => scalar(f, 'lpNorm', tf.tensor([1, -2, 3]), 3, Infinity) },
  {
    name: 'lpNorm rejects p < 1 with an Error',
    run: (f) => {
      let threw = false;
      try {
        fn<Lp>(f, 'lpNorm')(tf.tensor([1, 2]), 0.5);
      } catch (e) {
        threw = !/not implemented yet/.test(String(e));
        if (!threw) throw e;
      }
      if (!threw) throw new Error('lpNorm(x, 0.5) should throw: for p < 1 it is not a norm');
    },
  },
  { name: 'l1Norm of [[1, -2], [3, -4]] = 10', run: (f) => scalar(f, 'l1Norm', tf.tensor2d([[1, -2], [3, -4]]), 10) },
  { name: 'l2Norm of [[1, -2], [3, -4]] = sqrt(30)', run: (f) => scalar(f, 'l2Norm', tf.tensor2d([[1, -2], [3, -4]]), Math.sqrt(30)) },
  { name: 'linfNorm of [[1, -2], [3, -4]] = 4', run: (f) => scalar(f, 'linfNorm', tf.tensor2d([[1, -2], [3, -4]]), 4) },
  { name: 'frobeniusNorm([[1, 2], [3, 4]]) = sqrt(30)', run: (f) => scalar(f, 'frobeniusNorm', tf.tensor2d([[1, 2], [3, 4]]), Math.sqrt(30)) },
  { name: 'spectralNorm(diag(3, 1)) = 3', run: (f) => scalar(f, 'spectralNorm', tf.tensor2d([[3, 0], [0, 1]]), 3) },
  { name: 'spectralNorm([[1, 1], [1, 1]]) = 2 (rank one)', run: (f) => scalar(f, 'spectralNorm', tf.tensor2d([[1, 1], [1, 1]]), 2) },
  {
    name: 'spectralNorm <= frobeniusNorm on a 3 x 2 matrix',
    run: (f) => {
      const a = tf.tensor2d([[1, 2], [0, -1], [2, 1]]);
      const s = fn<Spectral>(f, 'spectralNorm')(a).dataSync()[0];
      const fro = fn<Norm>(f, 'frobeniusNorm')(a).dataSync()[0];
      if (!(s <= fro + 1e-5 && s > 0)) throw new Error(`expected 0 < spectral <= Frobenius, got ${s} and ${fro}`);
    },
  },
];
