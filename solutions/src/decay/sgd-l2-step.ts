import * as tf from '@tensorflow/tfjs-node';
import { checkOptions, checkParallel, checkTensorList } from '../validate';

/** One SGD step on loss + (l2/2)||w||^2: the penalty's gradient l2*w joins the loss gradient. */
export function sgdL2Step(params: tf.Tensor[], grads: tf.Tensor[], o: { lr: number; l2: number }): tf.Tensor[] {
  const fn = 'sgdL2Step';
  checkTensorList(fn, 'params', params);
  checkTensorList(fn, 'grads', grads);
  checkParallel(fn, params, 'grads', grads);
  checkOptions(fn, o, { lr: { min: 0 }, l2: { min: 0 } });
  return tf.tidy(() => params.map((w, i) => w.sub(grads[i].add(w.mul(o.l2)).mul(o.lr))));
}
