import * as tf from '@tensorflow/tfjs-node';
import { solveWithCholesky } from './cholesky';

/** Inverse power iteration: steps and start columns. Twelve steps put the estimate of ||g^-1|| within a factor 4 of the true value except with probability ~1e-6 per start vector (Kuczynski-Wozniakowski bound for random starts). */
const INVERSE_ITERATION_STEPS = 12;
const INVERSE_ITERATION_COLUMNS = 4;
const START_SEED = 20261201;

/**
 * An estimate of kappa(phi) = s_max / s_min from the Gram matrix g of phi (phi^T phi or phi phi^T, the smaller) and
 * its Cholesky factor l: sqrt(||g||_F * nu), where ||g||_F >= lambda_max(g) and nu <= ||g^-1||_2 is the growth of a
 * seeded block of vectors under inverse power iteration (two triangular solves with l per step, O(k^2)). The first
 * factor can only overestimate and the second only underestimate, so the estimate lands within a small factor of
 * kappa (see the tests); it is NaN when l holds NaNs (g not positive definite in float32).
 */
export function gramConditionEstimate(g: tf.Tensor2D, l: tf.Tensor2D): number {
  const estimate = tf.tidy(() => {
    const start = tf.randomNormal([g.shape[0], INVERSE_ITERATION_COLUMNS], 0, 1, 'float32', START_SEED);
    let v: tf.Tensor2D = start.div(start.norm('euclidean', 0));
    let growth: tf.Tensor = tf.scalar(0);
    for (let step = 0; step < INVERSE_ITERATION_STEPS; step++) {
      const u = solveWithCholesky(l, v);
      const norms = u.norm('euclidean', 0);
      growth = norms.max();
      v = u.div(norms);
    }
    return g.norm().mul(growth).sqrt();
  });
  const value = estimate.dataSync()[0];
  estimate.dispose();
  return value;
}
