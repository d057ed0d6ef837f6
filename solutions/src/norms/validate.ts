import * as tf from '@tensorflow/tfjs-node';

// Argument checks for the norms and double-descent reference functions. Each message starts with the function's name
// and names the argument, so a student calling it wrongly learns which argument is at fault.

export function checkFloatTensor(fn: string, name: string, x: unknown, rank?: number): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`${fn}: ${name} must be a tf.Tensor, got ${typeof x}`);
  if (x.isDisposed) throw new Error(`${fn}: ${name} has been disposed`);
  if (x.dtype !== 'float32') throw new Error(`${fn}: ${name} must be float32, got ${x.dtype}`);
  if (rank !== undefined && x.rank !== rank) {
    throw new Error(`${fn}: ${name} must have rank ${rank}, got shape [${x.shape}]`);
  }
}

export function checkPositiveInt(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${fn}: ${name} must be a positive integer, got ${String(value)}`);
  }
}

/** A finite number >= min (or > min when `exclusive`). */
export function checkFinite(fn: string, name: string, value: unknown, min: number, exclusive = false): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number, got ${String(value)}`);
  }
  if (exclusive ? value <= min : value < min) {
    throw new Error(`${fn}: ${name} must be ${exclusive ? '>' : '>='} ${min}, got ${value}`);
  }
}
