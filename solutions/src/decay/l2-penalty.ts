import * as tf from '@tensorflow/tfjs-node';
import { checkTensorList } from '../validate';

/** 0.5 * sum_i ||params[i]||_2^2, the penalty whose gradient is exactly `params` (hence the 1/2). */
export function l2Penalty(params: tf.Tensor[]): tf.Scalar {
  checkTensorList('l2Penalty', 'params', params);
  return tf.tidy(() => {
    const total = params.reduce<tf.Scalar>((acc, p) => acc.add(p.square().sum()), tf.scalar(0));
    return total.mul(0.5) as tf.Scalar;
  });
}
