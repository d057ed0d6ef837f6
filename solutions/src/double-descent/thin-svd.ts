import * as tf from '@tensorflow/tfjs-node';

/** a = u diag(s) v^T with s descending, u: [m, k], v: [n, k], k = min(m, n). */
export interface ThinSvd {
  s: tf.Tensor1D;
  u: tf.Tensor2D;
  v: tf.Tensor2D;
}

/**
 * tfjs has no SVD, but libtensorflow under the native backend has the `Svd` op; this runs it directly. Requires the
 * `tensorflow` backend (tfjs-node).
 */
export function thinSvd(a: tf.Tensor2D): ThinSvd {
  const backend = tf.backend() as unknown as NativeBackend;
  if (tf.getBackend() !== 'tensorflow' || typeof backend.executeMultipleOutputs !== 'function') {
    throw new Error(`thinSvd: needs the tfjs-node 'tensorflow' backend, the active backend is '${tf.getBackend()}'`);
  }
  const b = backend.binding;
  const attrs = [
    { name: 'compute_uv', type: b.TF_ATTR_BOOL, value: true },
    { name: 'full_matrices', type: b.TF_ATTR_BOOL, value: false },
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
  ];
  const [s, u, v] = backend.executeMultipleOutputs('Svd', attrs, [a], 3);
  return { s: s as tf.Tensor1D, u: u as tf.Tensor2D, v: v as tf.Tensor2D };
}

interface NativeBackend {
  binding: { TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: object[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}
