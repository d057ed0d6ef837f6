import * as tf from '@tensorflow/tfjs-node';
import { lpNorm } from './lp-norm';
import { checkTensor, checkPositiveInt } from '../validate';

/** ||A||_F = sqrt(sum_ij a_ij^2): the L2 norm of the matrix read as one long vector. */
export function frobeniusNorm(a: tf.Tensor2D): tf.Scalar {
  checkTensor('frobeniusNorm', 'a', a, 2);
  return lpNorm(a, 2);
}

/**
 * ||A||_2, the largest singular value, by power iteration on A^T A: v <- A^T A v / ||A^T A v||, then sigma = ||A v||.
 * The start vector is fixed (entries 1 + j/n, normalised), so the result is deterministic; it converges at the rate
 * (sigma_2 / sigma_1)^(2k), and a start vector orthogonal to the top singular vector is a measure-zero accident.
 */
export function spectralNorm(a: tf.Tensor2D, iterations = 100): tf.Scalar {
  checkTensor('spectralNorm', 'a', a, 2);
  checkPositiveInt('spectralNorm', 'iterations', iterations);
  const n = a.shape[1];
  if (a.size === 0) return tf.scalar(0);
  let v = tf.tidy(() => normalise(tf.range(0, n).div(n).add(1).reshape([n, 1])));
  for (let k = 0; k < iterations; k++) {
    const next = tf.tidy(() => normalise(a.transpose().matMul(a.matMul(v))));
    v.dispose();
    v = next;
  }
  const sigma = tf.tidy(() => a.matMul(v).square().sum().sqrt() as tf.Scalar);
  v.dispose();
  return sigma;
}

/** x / ||x||, leaving the zero vector at zero. */
function normalise(x: tf.Tensor): tf.Tensor {
  const norm = x.square().sum().sqrt();
  return x.div(tf.maximum(norm, tf.scalar(1e-30)));
}
