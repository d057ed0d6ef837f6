import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, formatNumber, NotImplemented, type PublicTest } from './harness';

type Lp = (x: tf.Tensor, p: number) => tf.Scalar;
type Spectral = (a: tf.Tensor2D, iterations?: number) => tf.Scalar;

const show = (x: tf.Tensor) => (x.rank === 1 ? `[${Array.from(x.dataSync()).map(formatNumber).join(', ')}]` : `a tensor of shape [${x.shape}]`);

/** A test that `name(x, ...rest)` is the scalar `want`. */
const scalarTest = (name: string, title: string, x: () => tf.Tensor, want: number, ...rest: number[]): PublicTest => ({
  fn: name,
  name: title,
  run: (f) => {
    const input = x();
    const call = `${name}(${show(input)}${rest.length ? `, ${rest}` : ''})`;
    const out = fn<(x: tf.Tensor, ...r: number[]) => tf.Scalar>(f, name)(input, ...rest);
    expectValues(expectTensor(out, call, []), [want], call);
  },
});

const m = () =>
  tf.tensor2d([
    [1, -2],
    [3, -4],
  ]);

export const normsTests: PublicTest[] = [
  scalarTest('lpNorm', 'lpNorm([3, -4], 2) = 5', () => tf.tensor([3, -4]), 5, 2),
  scalarTest('lpNorm', 'lpNorm([1, -2, 3], 1) = 6', () => tf.tensor([1, -2, 3]), 6, 1),
  scalarTest('lpNorm', 'lpNorm([1, 1, 1, 1], 3) = 4^(1/3)', () => tf.tensor([1, 1, 1, 1]), Math.cbrt(4), 3),
  scalarTest('lpNorm', 'lpNorm([-1, -1], 3) = 2^(1/3) (absolute values before the power)', () => tf.tensor([-1, -1]), Math.cbrt(2), 3),
  scalarTest('lpNorm', 'lpNorm([1, -2, 3], Infinity) = 3', () => tf.tensor([1, -2, 3]), 3, Infinity),
  {
    fn: 'lpNorm',
    name: 'lpNorm rejects p < 1 with an Error',
    run: (f) => {
      let threw = false;
      try {
        fn<Lp>(f, 'lpNorm')(tf.tensor([1, 2]), 0.5);
      } catch (e) {
        if (e instanceof NotImplemented) throw e;
        threw = true;
      }
      if (!threw) throw new Error('lpNorm(x, 0.5) should throw: for p < 1 it is not a norm');
    },
  },
  scalarTest('l1Norm', 'l1Norm of [[1, -2], [3, -4]] = 10', m, 10),
  scalarTest('l1Norm', 'l1Norm of a [2, 2, 2] tensor of ones = 8, a scalar', () => tf.ones([2, 2, 2]), 8),
  scalarTest('l2Norm', 'l2Norm of [[1, -2], [3, -4]] = sqrt(30)', m, Math.sqrt(30)),
  // Squaring 4e20 overflows float32 (max about 3.4e38): the norm must scale by the largest entry first.
  scalarTest('l2Norm', 'l2Norm([3e20, -4e20]) = 5e20 without overflowing', () => tf.tensor([3e20, -4e20]), 5e20),
  scalarTest('linfNorm', 'linfNorm of [[1, -2], [3, -4]] = 4', m, 4),
  scalarTest(
    'frobeniusNorm',
    'frobeniusNorm([[1, 2], [3, 4]]) = sqrt(30)',
    () =>
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    Math.sqrt(30),
  ),
  scalarTest(
    'spectralNorm',
    'spectralNorm(diag(3, 1)) = 3',
    () =>
      tf.tensor2d([
        [3, 0],
        [0, 1],
      ]),
    3,
  ),
  scalarTest(
    'spectralNorm',
    'spectralNorm([[1, 1], [1, 1]]) = 2 (rank one)',
    () =>
      tf.tensor2d([
        [1, 1],
        [1, 1],
      ]),
    2,
  ),
  {
    fn: 'spectralNorm',
    name: 'spectralNorm of a 3 x 2 matrix lies between its largest column norm and its Frobenius norm sqrt(11)',
    run: (f) => {
      const s = expectTensor(
        fn<Spectral>(
          f,
          'spectralNorm',
        )(
          tf.tensor2d([
            [1, 2],
            [0, -1],
            [2, 1],
          ]),
        ),
        'spectralNorm',
        [],
      ).dataSync()[0];
      if (!(s >= Math.sqrt(6) - 1e-5 && s <= Math.sqrt(11) + 1e-5))
        throw new Error(`spectralNorm should lie in [sqrt(6), sqrt(11)] = [2.449, 3.317], got ${formatNumber(s)}`);
    },
  },
];
