import * as tf from '@tensorflow/tfjs-node';
import type { ClassificationSplit, RegressionSplit } from './splits';
import { describe, isTypedArray } from './validate';

// Tensors are built from copies: a tfjs-node tensor may keep a reference to the typed array it was made from, and the
// splits are plain arrays a caller is free to modify. The caller owns (and disposes) the returned tensors.

/** x as float32 [n, d] and y as float32 [n, 1] (a column, ready for x.matMul(w) with w [d, 1]). */
export function regressionTensors(split: RegressionSplit): { x: tf.Tensor2D; y: tf.Tensor2D } {
  checkSplit('regressionTensors', split, 'y');
  return {
    x: tf.tensor2d(split.x.slice(), [split.n, split.d], 'float32'),
    y: tf.tensor2d(split.y.slice(), [split.n, 1], 'float32'),
  };
}

/** x as float32 [n, d], y as float32 one-hot [n, numClasses], labels as int32 [n]. */
export function classificationTensors(split: ClassificationSplit): {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  labels: tf.Tensor1D;
} {
  checkSplit('classificationTensors', split, 'labels');
  return {
    x: tf.tensor2d(split.x.slice(), [split.n, split.d], 'float32'),
    y: tf.tensor2d(oneHot(split.labels, split.numClasses), [split.n, split.numClasses], 'float32'),
    labels: tf.tensor1d(split.labels.slice(), 'int32'),
  };
}

/** Float32 one-hot rows [labels.length, numClasses], row-major. */
export function oneHot(labels: ArrayLike<number>, numClasses = 10): Float32Array {
  const fn = 'oneHot';
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`${fn}: numClasses must be a positive integer, got ${describe(numClasses)}`);
  }
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new Error(`${fn}: labels must be an array of class ids, got ${describe(labels)}`);
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new Error(`${fn}: labels[${i}] must be an integer in 0..${numClasses - 1}, got ${describe(c)}`);
    }
    out[i * numClasses + c] = 1;
  }
  return out;
}

function checkSplit(fn: string, split: unknown, target: 'y' | 'labels'): void {
  const s = split as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object') {
    throw new Error(`${fn}: split must be a split object, got ${describe(split)}`);
  }
  const { n, d } = s;
  if (!Number.isInteger(n) || !Number.isInteger(d)) throw new Error(`${fn}: split.n and split.d must be integers`);
  if (!isTypedArray(s.x, 'Float32Array') || (s.x as Float32Array).length !== (n as number) * (d as number)) {
    throw new Error(`${fn}: split.x must be a Float32Array of length n * d = ${(n as number) * (d as number)}`);
  }
  const t = s[target] as { length?: unknown } | undefined;
  if (t === undefined || t === null || t.length !== n) {
    throw new Error(`${fn}: split.${target} must have length n = ${n as number}`);
  }
}
