import * as tf from '@tensorflow/tfjs-node';

// Argument checks shared by every reference function (decay, norms, double descent). Every message starts
// with the function's name and names the offending argument, so a student who passes the wrong thing learns which one.

export type Bounds = { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };

export function checkTensor(fn: string, name: string, x: unknown, rank?: number): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) throw new Error(`${fn}: ${name} must be a tf.Tensor, got ${describe(x)}`);
  if (x.isDisposed) throw new Error(`${fn}: ${name} has been disposed`);
  if (x.dtype !== 'float32') throw new Error(`${fn}: ${name} must be float32, got ${x.dtype}`);
  if (rank !== undefined && x.rank !== rank) {
    throw new Error(`${fn}: ${name} must have rank ${rank}, got shape [${x.shape}]`);
  }
}

export function checkTensorList(fn: string, name: string, list: unknown): asserts list is tf.Tensor[] {
  if (!Array.isArray(list)) {
    throw new Error(`${fn}: ${name} must be an array of tensors, got ${describe(list)}`);
  }
  list.forEach((t, i) => checkTensor(fn, `${name}[${i}]`, t));
}

/** Checks that `other[i]` has the shape of `params[i]` for every i, after both pass checkTensorList. */
export function checkParallel(fn: string, params: tf.Tensor[], otherName: string, other: tf.Tensor[]): void {
  if (other.length !== params.length) {
    throw new Error(`${fn}: ${otherName} has ${other.length} tensors but params has ${params.length}`);
  }
  other.forEach((t, i) => {
    if (!tf.util.arraysEqual(t.shape, params[i].shape)) {
      throw new Error(`${fn}: ${otherName}[${i}] has shape [${t.shape}] but params[${i}] has shape [${params[i].shape}]`);
    }
  });
}

export function checkOptions<K extends string>(fn: string, o: unknown, spec: Record<K, Bounds>): asserts o is Record<K, number> {
  if (o === null || typeof o !== 'object') {
    throw new Error(`${fn}: o must be an options object with ${Object.keys(spec).join(', ')}; got ${describe(o)}`);
  }
  const rec = o as Record<string, unknown>;
  for (const [key, b] of Object.entries(spec) as [K, Bounds][]) {
    checkNumber(fn, `o.${key}`, rec[key], b);
  }
}

export function checkNumber(fn: string, name: string, value: unknown, b: Bounds = {}): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number, got ${describe(value)}`);
  }
  const low = b.min !== undefined && (b.minExclusive ? value <= b.min : value < b.min);
  const high = b.max !== undefined && (b.maxExclusive ? value >= b.max : value > b.max);
  if (low || high) {
    const lo = b.min === undefined ? '' : `${b.minExclusive ? '>' : '>='} ${b.min}`;
    const hi = b.max === undefined ? '' : `${b.maxExclusive ? '<' : '<='} ${b.max}`;
    throw new Error(`${fn}: ${name} must be ${[lo, hi].filter(Boolean).join(' and ')}, got ${value}`);
  }
}

export function checkPositiveInt(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${fn}: ${name} must be a positive integer, got ${String(value)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return typeof v;
}
