import * as tf from '@tensorflow/tfjs-node';

/**
 * Solves g x = b for a symmetric positive-definite g with Gauss-Jordan elimination written in tfjs ops only, so it
 * runs on the pure-JS `cpu` backend, which has no SVD, Cholesky or triangular solve. No pivoting: SPD matrices do not
 * need it. One step i turns column i into e_i with a single rank-one update: A <- A - (A[:, i] - e_i) A[i, :] / A[i, i].
 */
export function solveSpd(g: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const k = g.shape[0];
  let a = tf.concat([g, b], 1) as tf.Tensor2D;
  for (let i = 0; i < k; i++) {
    const next = tf.tidy(() => {
      const row = a.slice([i, 0], [1, -1]);
      const scaled = row.div(row.slice([0, i], [1, 1]));
      const col = a.slice([0, i], [-1, 1]).sub(tf.oneHot([i], k).reshape([k, 1]));
      return a.sub(col.matMul(scaled)) as tf.Tensor2D;
    });
    a.dispose();
    a = next;
  }
  const x = a.slice([0, k], [-1, -1]) as tf.Tensor2D;
  a.dispose();
  return x;
}

/**
 * Minimum-norm least squares through the smaller Gram matrix: (phi^T phi)^-1 phi^T y when N <= n, else
 * phi^T (phi phi^T)^-1 y. Exact in exact arithmetic; in float32 it squares phi's condition number, so near N = n it
 * loses the digits the SVD route keeps (the benchmark compares results only away from the peak).
 */
export function minNormByGram(phi: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  const [n, features] = phi.shape;
  return tf.tidy((): tf.Tensor2D => {
    const phiT: tf.Tensor2D = phi.transpose();
    const mm = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(a, b) as tf.Tensor2D;
    if (features <= n) return solveSpd(mm(phiT, phi), mm(phiT, y));
    return mm(phiT, solveSpd(mm(phi, phiT), y));
  });
}
