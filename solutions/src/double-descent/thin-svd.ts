import * as tf from '@tensorflow/tfjs-node';
import { runNativeOp } from './native-op';

/** a = u diag(s) v^T with s descending, u: [m, k], v: [n, k], k = min(m, n). */
export interface ThinSvd {
  s: tf.Tensor1D;
  u: tf.Tensor2D;
  v: tf.Tensor2D;
}

/** tfjs has no SVD, but libtensorflow under the native backend has the `Svd` op; this runs it directly. */
export function thinSvd(a: tf.Tensor2D): ThinSvd {
  const [s, u, v] = runNativeOp('thinSvd', 'Svd', { compute_uv: true, full_matrices: false }, [a], 3);
  return { s: s as tf.Tensor1D, u: u as tf.Tensor2D, v: v as tf.Tensor2D };
}
