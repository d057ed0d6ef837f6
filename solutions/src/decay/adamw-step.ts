import * as tf from '@tensorflow/tfjs-node';
import type { AdamState } from './adam-state';
import { adamUpdate, checkAdamArgs, type AdamHyper } from './adam-update';

/**
 * AdamW (Loshchilov & Hutter), PyTorch's convention: the moments see only the loss gradient and the weights are
 * shrunk by (1 - lr * weightDecay) outside them, so every weight decays at the same rate whatever its gradient noise.
 */
export function adamWStep(
  params: tf.Tensor[],
  grads: tf.Tensor[],
  state: AdamState,
  o: AdamHyper & { weightDecay: number },
): { params: tf.Tensor[]; state: AdamState } {
  checkAdamArgs('adamWStep', params, grads, state, o, 'weightDecay');
  return adamUpdate(params, (i) => grads[i], state, o, 1 - o.lr * o.weightDecay);
}
