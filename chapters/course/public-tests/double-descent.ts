import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, type PublicTest } from './harness';

type Features = (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
type Solve = (phi: tf.Tensor2D, y: tf.Tensor2D, extra?: number) => tf.Tensor2D;

function solves(name: string, title: string, phi: number[][], y: number[][], want: number[], extra?: number): PublicTest {
  return {
    fn: name,
    name: title,
    run: (f) => {
      const call = `${name}(${JSON.stringify(phi)}, ${JSON.stringify(y)}${extra === undefined ? '' : `, ${extra}`})`;
      const out = fn<Solve>(f, name)(tf.tensor2d(phi), tf.tensor2d(y), extra);
      expectValues(expectTensor(out, call, [phi[0].length, y[0].length]), want, call, 1e-4);
    },
  };
}

export const doubleDescentTests: PublicTest[] = [
  {
    fn: 'reluFeatures',
    name: 'reluFeatures([[1, -1]], I) = [[1, 0]]',
    run: (f) => {
      const out = fn<Features>(f, 'reluFeatures')(
        tf.tensor2d([[1, -1]]),
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
      );
      expectValues(expectTensor(out, 'reluFeatures', [1, 2]), [1, 0], 'reluFeatures');
    },
  },
  {
    fn: 'reluFeatures',
    name: 'reluFeatures has one row per example and one column per feature',
    run: (f) => {
      expectTensor(fn<Features>(f, 'reluFeatures')(tf.ones([5, 3]), tf.ones([3, 7])), 'reluFeatures', [5, 7]);
    },
  },
  solves(
    'minNormLeastSquares',
    'minNormLeastSquares solves diag(2, 4) w = [2, 4]: w = [1, 1]',
    [
      [2, 0],
      [0, 4],
    ],
    [[2], [4]],
    [1, 1],
  ),
  solves('minNormLeastSquares', 'minNormLeastSquares picks the shortest of all w with w1 + w2 = 2: w = [1, 1]', [[1, 1]], [[2]], [1, 1]),
  solves('minNormLeastSquares', 'minNormLeastSquares fits [1, 2, 3] ~ w * [1, 1, 1] in least squares: w = 2', [[1], [1], [1]], [[1], [2], [3]], [2]),
  // Rank one: the second singular value is zero in exact arithmetic and rounding noise in float32; it must be dropped.
  solves(
    'minNormLeastSquares',
    'minNormLeastSquares on the rank-one [[1, 1], [2, 2]] w = [2, 4]: w = [1, 1]',
    [
      [1, 1],
      [2, 2],
    ],
    [[2], [4]],
    [1, 1],
  ),
  solves(
    'minNormLeastSquares',
    'minNormLeastSquares keeps the singular value 1e-3 of diag(1, 1e-3) by default: w = [1, 1000]',
    [
      [1, 0],
      [0, 1e-3],
    ],
    [[1], [1]],
    [1, 1000],
  ),
  solves(
    'minNormLeastSquares',
    'minNormLeastSquares with rcond = 0.01 drops the singular value 1e-3 of diag(1, 1e-3): w = [1, 0]',
    [
      [1, 0],
      [0, 1e-3],
    ],
    [[1], [1]],
    [1, 0],
    1e-2,
  ),
  {
    fn: 'minNormLeastSquares',
    name: 'minNormLeastSquares with 3 targets at once returns [features, targets] = [2, 3]',
    run: (f) => {
      const out = fn<Solve>(f, 'minNormLeastSquares')(
        tf.tensor2d([
          [1, 0],
          [0, 1],
          [1, 1],
        ]),
        tf.tensor2d([
          [1, 0, 2],
          [0, 1, 2],
          [1, 1, 4],
        ]),
      );
      expectValues(expectTensor(out, 'minNormLeastSquares', [2, 3]), [1, 0, 2, 0, 1, 2], 'minNormLeastSquares', 1e-4);
    },
  },
  solves('ridgeRegression', 'ridgeRegression on 1 * w = 2 with lambda = 1: w = 2 / (1 + 1) = 1', [[1]], [[2]], [1], 1),
  solves('ridgeRegression', 'ridgeRegression on w1 + w2 = 2 with lambda = 1: w = [2/3, 2/3]', [[1, 1]], [[2]], [2 / 3, 2 / 3], 1),
  solves(
    'ridgeRegression',
    'ridgeRegression with 2 targets: diag(1, 2) w = [[1, 0], [0, 2]], lambda = 2 gives [[1/3, 0], [0, 2/3]]',
    [
      [1, 0],
      [0, 2],
    ],
    [
      [1, 0],
      [0, 2],
    ],
    [1 / 3, 0, 0, 2 / 3],
    2,
  ),
];
