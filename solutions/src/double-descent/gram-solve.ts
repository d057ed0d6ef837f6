import * as tf from '@tensorflow/tfjs-node';
import { choleskyLower, solveWithCholesky } from './cholesky';

/** The smaller Gram matrix of phi and its Cholesky factor: g = phi phi^T ([n, n]) when wide, else phi^T phi ([N, N]). */
export interface GramFactor {
  wide: boolean;
  g: tf.Tensor2D;
  l: tf.Tensor2D;
}

/**
 * Refinement steps after the first solve. Each one contracts the error by about float32 eps * kappa(phi)^2 (0.12 at
 * kappa = 1000); on the bench's grid one step already reaches the float32 SVD's accuracy, the second is margin.
 */
const REFINEMENT_STEPS = 2;

export function factorGram(phi: tf.Tensor2D): GramFactor {
  const [n, features] = phi.shape;
  const wide = features > n;
  const g = (wide ? tf.matMul(phi, phi, false, true) : tf.matMul(phi, phi, true, false)) as tf.Tensor2D;
  return { wide, g, l: choleskyLower(g) };
}

/**
 * The minimum-norm least-squares solution through the Gram matrix, for a phi of full rank: phi^T (phi phi^T)^-1 y when
 * wide (it interpolates and lies in the row space), (phi^T phi)^-1 phi^T y when tall. Forming g squares phi's
 * condition number, so each solve is followed by iterative refinement on the float32 residual y - phi w; only use it
 * where kappa(phi) is small enough for that to converge (see gramConditionEstimate).
 */
export function minNormThroughGram(phi: tf.Tensor2D, y: tf.Tensor2D, { wide, l }: GramFactor): tf.Tensor2D {
  return tf.tidy(() => {
    const residual = (w: tf.Tensor2D) => y.sub(phi.matMul(w)) as tf.Tensor2D;
    if (wide) {
      let z = solveWithCholesky(l, y);
      let w = tf.matMul(phi, z, true, false) as tf.Tensor2D;
      for (let step = 0; step < REFINEMENT_STEPS; step++) {
        z = z.add(solveWithCholesky(l, residual(w)));
        w = tf.matMul(phi, z, true, false) as tf.Tensor2D;
      }
      return w;
    }
    const normal = (r: tf.Tensor2D) => tf.matMul(phi, r, true, false) as tf.Tensor2D;
    let w = solveWithCholesky(l, normal(y));
    for (let step = 0; step < REFINEMENT_STEPS; step++) w = w.add(solveWithCholesky(l, normal(residual(w))));
    return w;
  });
}
