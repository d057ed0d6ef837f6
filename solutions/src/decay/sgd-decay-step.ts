import * as tf from '@tensorflow/tfjs-node';
import { checkOptions, checkParallel, checkTensorList } from '../validate';

/** One SGD step with decoupled weight decay, PyTorch's convention: w * (1 - lr * weightDecay) - lr * g. */
export function sgdDecayStep(params: tf.Tensor[], grads: tf.Tensor[], o: { lr: number; weightDecay: number }): tf.Tensor[] {
  const fn = 'sgdDecayStep';
  checkTensorList(fn, 'params', params);
  checkTensorList(fn, 'grads', grads);
  checkParallel(fn, params, 'grads', grads);
  checkOptions(fn, o, { lr: { min: 0 }, weightDecay: { min: 0 } });
  const shrink = 1 - o.lr * o.weightDecay;
  return tf.tidy(() => params.map((w, i) => w.mul(shrink).sub(grads[i].mul(o.lr))));
}
