import * as tf from '@tensorflow/tfjs-node';
import { runNativeOp } from './native-op';

/**
 * The lower-triangular l with g = l l^T, for a symmetric positive-definite g (libtensorflow's `Cholesky`). Where g is
 * not positive definite in float32, the factorisation breaks down and l holds NaNs instead of throwing.
 */
export function choleskyLower(g: tf.Tensor2D): tf.Tensor2D {
  return runNativeOp('choleskyLower', 'Cholesky', {}, [g], 1)[0] as tf.Tensor2D;
}

/** x with l l^T x = b: one forward and one backward triangular solve, O(k^2) per column of b. */
export function solveWithCholesky(l: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const forward = runNativeOp('solveWithCholesky', 'MatrixTriangularSolve', { lower: true, adjoint: false }, [l, b], 1)[0];
    return runNativeOp('solveWithCholesky', 'MatrixTriangularSolve', { lower: true, adjoint: true }, [l, forward], 1)[0] as tf.Tensor2D;
  });
}
