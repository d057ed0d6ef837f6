import * as tf from '@tensorflow/tfjs-core';

/**
 * Scalar tensors kept across steps, re-created only when their value changes. Creating a scalar costs about as much
 * as launching a small kernel, and a step needs several; most (betas, epsilon) never change. A key names a role (and
 * a parameter group), never a value, so under a schedule the cache holds one tensor per role, not one per step.
 */
export class ScalarCache {
  private entries = new Map<string, { value: number; tensor: tf.Scalar }>();

  get(key: string, value: number): tf.Scalar {
    const hit = this.entries.get(key);
    if (hit && Object.is(hit.value, value)) return hit.tensor;
    hit?.tensor.dispose();
    const tensor = tf.keep(tf.scalar(value));
    this.entries.set(key, { value, tensor });
    return tensor;
  }

  dispose(): void {
    this.entries.forEach((e) => e.tensor.dispose());
    this.entries.clear();
  }
}
