import * as tf from '@tensorflow/tfjs-node';
import { checkNumber, checkTensor } from '../validate';
import { gramConditionEstimate } from './condition-estimate';
import { factorGram, minNormThroughGram } from './gram-solve';
import { thinSvd } from './thin-svd';

/** Which factorisation solved a minimum-norm system: the Cholesky factor of the smaller Gram matrix, or phi's SVD. */
export type MinNormRoute = 'gram' | 'svd';

export interface MinNormSolution {
  w: tf.Tensor2D;
  route: MinNormRoute;
}

/**
 * The Gram route is taken when the estimated kappa(phi) is at most this: float32 eps * 1000^2 = 0.12, so refinement
 * converges in a step or two. Above it (around N = n on chapter 3's sweep) the SVD keeps digits the Gram matrix lost.
 */
const GRAM_MAX_KAPPA = 1000;
/** The condition estimate can fall short of kappa; the rcond comparison keeps this factor in hand. */
const ESTIMATE_MARGIN = 2;

/**
 * The minimum-norm least-squares solution w = pinv(phi) y = V diag(1/s) U^T y, keeping only singular values
 * s_i > rcond * s_max (the rest are rounding noise and would blow the solution up). rcond defaults to
 * max(n, N) * float32 epsilon, NumPy's lstsq rule. With more features than examples this interpolates the training
 * data and, among all interpolating w, has the smallest ||w||_2.
 */
export function minNormLeastSquares(phi: tf.Tensor2D, y: tf.Tensor2D, rcond?: number): tf.Tensor2D {
  return minNormSolution(phi, y, rcond).w;
}

/**
 * minNormLeastSquares and the route it took. Where phi is well conditioned, no singular value reaches the cutoff and
 * pinv(phi) is phi's exact (one-sided) inverse, which the Cholesky factor of the smaller Gram matrix gives at a
 * fraction of the SVD's cost; elsewhere (a condition estimate above GRAM_MAX_KAPPA, or close enough to 1 / rcond that
 * a singular value might be cut) the SVD decides which singular values to keep. `svdOnly` skips the Gram route (the
 * benchmark's before-and-after).
 */
export function minNormSolution(phi: tf.Tensor2D, y: tf.Tensor2D, rcond?: number, { svdOnly = false } = {}): MinNormSolution {
  const fn = 'minNormLeastSquares';
  checkSystem(fn, phi, y);
  const cutoff = rcond ?? Math.max(...phi.shape) * 1.1920929e-7;
  checkNumber(fn, 'rcond', cutoff, { min: 0 });
  const svdSolution = (): MinNormSolution => ({
    w: solveThroughSvd(phi, y, (s) => {
      const keep = s.greater(s.max().mul(cutoff));
      return tf.where(keep, s.reciprocal(), tf.zerosLike(s));
    }),
    route: 'svd',
  });
  if (svdOnly || phi.size === 0 || y.shape[1] === 0) return svdSolution();
  const maxKappa = Math.min(GRAM_MAX_KAPPA, 1 / (ESTIMATE_MARGIN * cutoff));
  const gram = factorGram(phi);
  try {
    // NaN (the factorisation broke down) fails the comparison too.
    return gramConditionEstimate(gram.g, gram.l) <= maxKappa ? { w: minNormThroughGram(phi, y, gram), route: 'gram' } : svdSolution();
  } finally {
    tf.dispose([gram.g, gram.l]);
  }
}

/**
 * Ridge regression: the w minimising ||phi w - y||^2 + lambda ||w||^2, which is V diag(s / (s^2 + lambda)) U^T y.
 * lambda > 0 damps exactly the small singular directions that make the min-norm solution explode near N = n.
 */
export function ridgeRegression(phi: tf.Tensor2D, y: tf.Tensor2D, lambda: number): tf.Tensor2D {
  const fn = 'ridgeRegression';
  checkSystem(fn, phi, y);
  checkNumber(fn, 'lambda', lambda, { min: 0, minExclusive: true });
  return solveThroughSvd(phi, y, (s) => s.div(s.square().add(lambda)));
}

function checkSystem(fn: string, phi: tf.Tensor2D, y: tf.Tensor2D): void {
  checkTensor(fn, 'phi', phi, 2);
  checkTensor(fn, 'y', y, 2);
  if (phi.shape[0] !== y.shape[0]) {
    throw new Error(`${fn}: phi has ${phi.shape[0]} rows but y has ${y.shape[0]} (shapes [${phi.shape}] and [${y.shape}])`);
  }
}

/** V diag(f(s)) U^T y for the thin SVD phi = U diag(s) V^T; the empty system has the zero solution. */
function solveThroughSvd(phi: tf.Tensor2D, y: tf.Tensor2D, f: (s: tf.Tensor1D) => tf.Tensor): tf.Tensor2D {
  if (phi.size === 0 || y.shape[1] === 0) return tf.zeros([phi.shape[1], y.shape[1]]);
  return tf.tidy(() => {
    const { s, u, v } = thinSvd(phi);
    const uty = u.transpose().matMul(y);
    return v.matMul(uty.mul(f(s).expandDims(1))) as tf.Tensor2D;
  });
}
