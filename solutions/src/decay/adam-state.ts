import * as tf from '@tensorflow/tfjs-node';
import { checkTensorList } from '../validate';

/** Adam's running state: the step count t and the first and second moments, one tensor per parameter. */
export interface AdamState {
  t: number;
  m: tf.Tensor[];
  v: tf.Tensor[];
}

export function initAdamState(params: tf.Tensor[]): AdamState {
  checkTensorList('initAdamState', 'params', params);
  return { t: 0, m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)) };
}
