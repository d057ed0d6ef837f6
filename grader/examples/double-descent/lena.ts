// Example student: no singular-value cutoff, and lambda squared in ridge.
import * as tf from '@tensorflow/tfjs-node';

/** Given in the chapter: the thin SVD a = u diag(s) v^T through libtensorflow's Svd op. */
function svd(a: tf.Tensor2D): { s: tf.Tensor1D; u: tf.Tensor2D; v: tf.Tensor2D } {
  const backend = tf.backend() as any;
  const b = backend.binding;
  const [s, u, v] = backend.executeMultipleOutputs('Svd', [
    { name: 'compute_uv', type: b.TF_ATTR_BOOL, value: true },
    { name: 'full_matrices', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ], [a], 3);
  return { s, u, v };
}

export function reluFeatures(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.relu(tf.matMul(x, w)));
}

function throughSvd(phi: tf.Tensor2D, y: tf.Tensor2D, gain: (s: tf.Tensor1D) => tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const { s, u, v } = svd(phi);
    return tf.matMul(v, tf.matMul(u, y, true, false).mul(gain(s).expandDims(1)));
  });
}

export function minNormLeastSquares(phi: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return throughSvd(phi, y, (s) => s.reciprocal());
}

export function ridgeRegression(phi: tf.Tensor2D, y: tf.Tensor2D, lambda: number): tf.Tensor2D {
  return throughSvd(phi, y, (s) => s.div(s.square().add(lambda * lambda)));
}
