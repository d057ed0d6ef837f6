import * as tf from '@tensorflow/tfjs-node';
import type { AdamState } from './adam-state';
import { adamUpdate, checkAdamArgs, type AdamHyper } from './adam-update';

/**
 * Adam on loss + (l2/2)||w||^2: the penalty's gradient l2*w is added to g before the moments, so it is rescaled by
 * 1/sqrt(vhat) like the rest of the gradient. This is what most "Adam with weight decay" options did before AdamW.
 */
export function adamL2Step(
  params: tf.Tensor[],
  grads: tf.Tensor[],
  state: AdamState,
  o: AdamHyper & { l2: number },
): { params: tf.Tensor[]; state: AdamState } {
  checkAdamArgs('adamL2Step', params, grads, state, o, 'l2');
  return adamUpdate(params, (i) => grads[i].add(params[i].mul(o.l2)), state, o, 1);
}
