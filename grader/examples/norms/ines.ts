import * as tf from '@tensorflow/tfjs-node';

export function lpNorm(x: tf.Tensor, p: number): tf.Scalar {
  return tf.tidy(() => {
    if (x.size === 0) return tf.scalar(0);
    const a = x.abs();
    const big = a.max();
    if (p === Infinity) return big as tf.Scalar;
    const scale = tf.maximum(big, 1e-30);
    return a.div(scale).pow(p).sum().pow(1 / p).mul(scale) as tf.Scalar;
  });
}

export const l1Norm = (x: tf.Tensor): tf.Scalar => tf.tidy(() => x.abs().sum());
export const l2Norm = (x: tf.Tensor): tf.Scalar => lpNorm(x, 2);
export const linfNorm = (x: tf.Tensor): tf.Scalar => tf.tidy(() => (x.size === 0 ? tf.scalar(0) : x.abs().max()));
export const frobeniusNorm = (a: tf.Tensor2D): tf.Scalar => lpNorm(a, 2);

export function spectralNorm(a: tf.Tensor2D, iterations = 100): tf.Scalar {
  return tf.tidy(() => {
    const n = a.shape[1];
    let v: tf.Tensor = tf.linspace(1, 2 - 1 / n, n).reshape([n, 1]);
    v = v.div(v.norm());
    for (let k = 0; k < iterations; k++) {
      const next = a.transpose().matMul(a.matMul(v));
      v = next.div(tf.maximum(next.norm(), 1e-30));
    }
    return a.matMul(v).norm() as tf.Scalar;
  });
}
