import * as tf from '@tensorflow/tfjs-node';
import { minNormSolution, reluFeatures, type MinNormRoute } from '@decaylab/solutions';
import { minNormByGram } from './gauss-jordan';

/** Everything a sweep needs, as plain arrays so the NumPy peer gets the very same numbers. */
export interface SweepData {
  d: number;
  classes: number;
  n: number;
  nTest: number;
  xTrain: Float32Array; // [n, d]
  yTrain: Float32Array; // [n, classes], one-hot
  xTest: Float32Array; // [nTest, d]
  labelsTest: Int32Array;
  /** One random first layer per draw, [d, maxFeatures] row-major, N(0, 1/d); feature count N uses its first N columns. */
  weights: Float32Array[];
  maxFeatures: number;
}

export interface SweepPoint {
  features: number;
  /** Test classification error and Frobenius norm of the solution, averaged over draws. */
  testError: number;
  norm: number;
  /** The route minNormLeastSquares took in each draw (the solutions' solvers only). */
  routes?: MinNormRoute[];
}

/**
 * `solutions`: the reference minNormLeastSquares (native backend only); `solutions-svd`: the same with its Gram route
 * switched off, i.e. an SVD for every N; `gauss-jordan`: the tfjs-ops-only route for the pure-JS backend.
 */
export type Solver = 'solutions' | 'solutions-svd' | 'gauss-jordan';

/**
 * Chapter 3's model-wise double descent on the active tfjs backend: for every draw and feature count N, random ReLU
 * features, the minimum-norm least-squares fit to one-hot targets, and its test error.
 */
export function sweepTfjs(data: SweepData, grid: number[], solver: Solver): SweepPoint[] {
  const sums: SweepPoint[] = grid.map((features) => ({ features, testError: 0, norm: 0, ...(solver === 'gauss-jordan' ? {} : { routes: [] }) }));
  const xTrain = tf.tensor2d(data.xTrain, [data.n, data.d]);
  const yTrain = tf.tensor2d(data.yTrain, [data.n, data.classes]);
  const xTest = tf.tensor2d(data.xTest, [data.nTest, data.d]);
  const labels = tf.tensor1d(data.labelsTest, 'int32');
  for (const weights of data.weights) {
    const wAll = tf.tensor2d(weights, [data.d, data.maxFeatures]);
    grid.forEach((features, i) => {
      const [err, norm] = tf.tidy(() => {
        const w = wAll.slice([0, 0], [data.d, features]) as tf.Tensor2D;
        const phi = reluFeatures(xTrain, w);
        let beta: tf.Tensor2D;
        if (solver === 'gauss-jordan') {
          beta = minNormByGram(phi, yTrain);
        } else {
          const solution = minNormSolution(phi, yTrain, undefined, { svdOnly: solver === 'solutions-svd' });
          sums[i].routes?.push(solution.route);
          beta = solution.w;
        }
        const predicted = reluFeatures(xTest, w).matMul(beta).argMax(1);
        const wrong = predicted.notEqual(labels).sum();
        return [wrong.dataSync()[0] / data.nTest, beta.norm().dataSync()[0]];
      });
      sums[i].testError += err / data.weights.length;
      sums[i].norm += norm / data.weights.length;
    });
    wAll.dispose();
  }
  tf.dispose([xTrain, yTrain, xTest, labels]);
  return sums;
}
