import * as tf from '@tensorflow/tfjs-node';
import { checkTensor } from '../validate';

/**
 * Random ReLU features: phi = max(0, x w), one row per example and one column per feature. With w drawn once
 * (e.g. N(0, 1/d) entries) and kept fixed, a linear model on phi is a two-layer network whose first layer is frozen.
 */
export function reluFeatures(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  checkTensor('reluFeatures', 'x', x, 2);
  checkTensor('reluFeatures', 'w', w, 2);
  if (x.shape[1] !== w.shape[0]) {
    throw new Error(`reluFeatures: x has ${x.shape[1]} columns but w has ${w.shape[0]} rows (shapes [${x.shape}] and [${w.shape}])`);
  }
  return tf.tidy(() => x.matMul(w).relu());
}
