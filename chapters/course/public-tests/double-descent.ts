import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, type PublicTest } from './harness';

type Features = (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
type Solve = (phi: tf.Tensor2D, y: tf.Tensor2D, extra?: number) => tf.Tensor2D;

function solves(f: Record<string, unknown>, name: string, phi: number[][], y: number[][], want: number[], extra?: number) {
  const out = fn<Solve>(f, name)(tf.tensor2d(phi), tf.tensor2d(y), extra);
  expectValues(expectTensor(out, name, [phi[0].length, y[0].length]), want, name, 1e-4);
}

export const doubleDescentTests: PublicTest[] = [
  {
    name: 'reluFeatures([[1, -1]], I) = [[1, 0]]',
    run: (f) => {
      const out = fn<Features>(f, 'reluFeatures')(tf.tensor2d([[1, -1]]), tf.tensor2d([[1, 0], [0, 1]]));
      expectValues(expectTensor(out, 'reluFeatures', [1, 2]), [1, 0], 'reluFeatures');
    },
  },
  {
    name: 'reluFeatures has one row per example and one column per feature',
    run: (f) => {
      const out = fn<Features>(f, 'reluFeatures')(tf.ones([5, 3]), tf.ones([3, 7]));
      expectTensor(out, 'reluFeatures', [5, 7]);
    },
  },
  { name: 'minNormLeastSquares solves diag(2, 4) w = [2, 4]: w = [1, 1]', run: (f) => solves(f, 'minNormLeastSquares', [[2, 0], [0, 4]], [[2], [4]], [1, 1]) },
  {
    name: 'minNormLeastSquares picks the shortest of all w with w1 + w2 = 2: w = [1, 1]',
    run: (f) => solves(f, 'minNormLeastSquares', [[1, 1]], [[2]], [1, 1]),
  },
  {
    name: 'minNormLeastSquares fits [1, 2, 3] ~ w * [1, 1, 1] in least squares: w = 2',
    run: (f) => solves(f, 'minNormLeastSquares', [[1], [1], [1]], [[1], [2], [3]], [2]),
  },
  { name: 'ridgeRegression on 1 * w = 2 with lambda = 1: w = 2 / (1 + 1) = 1', run: (f) => solves(f, 'ridgeRegression', [[1]], [[2]], [1], 1) },
  {
    name: 'ridgeRegression on w1 + w2 = 2 with lambda = 1: w = [2/3, 2/3]',
    run: (f) => solves(f, 'ridgeRegression', [[1, 1]], [[2]], [2 / 3, 2 / 3], 1),
  },
];
