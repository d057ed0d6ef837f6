import * as tf from '@tensorflow/tfjs-node';
import { checkTensor } from '../validate';

/**
 * ||x||_p = (sum_i |x_i|^p)^(1/p) over every entry of x, for p >= 1, and max_i |x_i| for p = Infinity. Entries are
 * divided by max|x_i| before the power so that |x_i|^p neither overflows nor underflows in float32 for large p.
 * The norm of an empty tensor is 0.
 */
export function lpNorm(x: tf.Tensor, p: number): tf.Scalar {
  checkTensor('lpNorm', 'x', x);
  if (typeof p !== 'number' || Number.isNaN(p) || p < 1) {
    throw new Error(`lpNorm: p must be a number >= 1 (or Infinity), got ${String(p)}`);
  }
  return tf.tidy(() => {
    if (x.size === 0) return tf.scalar(0);
    const a = x.abs().flatten();
    const top = a.max();
    if (p === Infinity) return top as tf.Scalar;
    // Any positive scale works mathematically; max|x_i| keeps every ratio in [0, 1]. The floor avoids 0/0 for x = 0.
    const scale = tf.maximum(top, tf.scalar(1e-30));
    return a
      .div(scale)
      .pow(p)
      .sum()
      .pow(1 / p)
      .mul(scale) as tf.Scalar;
  });
}

export function l1Norm(x: tf.Tensor): tf.Scalar {
  checkTensor('l1Norm', 'x', x);
  return tf.tidy(() => x.abs().sum());
}

/** Euclidean norm, scaled like lpNorm so that squares of large entries do not overflow. */
export function l2Norm(x: tf.Tensor): tf.Scalar {
  checkTensor('l2Norm', 'x', x);
  return lpNorm(x, 2);
}

export function linfNorm(x: tf.Tensor): tf.Scalar {
  checkTensor('linfNorm', 'x', x);
  return tf.tidy(() => (x.size === 0 ? tf.scalar(0) : x.abs().max()));
}
