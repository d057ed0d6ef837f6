// Argument checks for the public generators. Every message starts with the function's name and names the offending
// argument, because the callers are course notebooks and students who need to know which argument to fix.

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v;
}

function checkOptionsObject(fn: string, o: unknown): asserts o is Record<string, unknown> | undefined {
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) {
    throw new Error(`${fn}: options must be an object, got ${describe(o)}`);
  }
}

/** The options of a generator as a plain record, and its required seed. */
export function seededOptions(fn: string, options: unknown): { o: Record<string, unknown>; seed: number } {
  checkOptionsObject(fn, options);
  const o = options ?? {};
  return { o, seed: seedOption(fn, o.seed) };
}

/** `d`, `train` and `test` of a synthetic generator, with n * d at most MAX_SYNTHETIC_VALUES per split. */
export function syntheticSizes(
  fn: string,
  o: Record<string, unknown>,
  defaults: { d: number; train: number; test: number; minD: number },
): { d: number; nTrain: number; nTest: number } {
  const d = intOption(fn, 'd', o.d, defaults.d, defaults.minD, MAX_SYNTHETIC_VALUES);
  const maxRows = Math.floor(MAX_SYNTHETIC_VALUES / d);
  return {
    d,
    nTrain: intOption(fn, 'train', o.train, defaults.train, 1, maxRows),
    nTest: intOption(fn, 'test', o.test, defaults.test, 0, maxRows),
  };
}

/** Integer in [min, max]; `undefined` becomes `fallback`, or is an error when there is none. */
export function intOption(fn: string, name: string, value: unknown, fallback: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return required(fn, name, fallback);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`${fn}: ${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new Error(`${fn}: ${name} must be ${range}, got ${value}`);
  }
  return value;
}

/** Finite number >= min; `undefined` becomes `fallback`. */
export function numberOption(fn: string, name: string, value: unknown, fallback: number | undefined, min = -Infinity): number {
  if (value === undefined) return required(fn, name, fallback);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number, got ${describe(value)}`);
  }
  if (value < min) throw new Error(`${fn}: ${name} must be >= ${min}, got ${value}`);
  return value;
}

export function booleanOption(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${fn}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/**
 * Typed-array check by tag rather than instanceof: arrays from tfjs-node's dataSync() or from another vm context (Jest,
 * notebook kernels) have a different Float32Array constructor.
 */
export function isTypedArray(v: unknown, kind: 'Float32Array' | 'Int32Array'): boolean {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === `[object ${kind}]`;
}

export const MAX_SEED = 2 ** 32 - 1;

/** Upper bound on n * d per synthetic split (200 MB of float32), so a typo cannot ask for gigabytes. */
export const MAX_SYNTHETIC_VALUES = 50_000_000;

/** Seeds are required unsigned 32-bit integers: easy to write in a notebook, one string form per seed. */
export function seedOption(fn: string, value: unknown): number {
  if (value === undefined) throw new Error(`${fn}: seed is required (an integer between 0 and ${MAX_SEED})`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    throw new Error(`${fn}: seed must be an integer between 0 and ${MAX_SEED}, got ${describe(value)}`);
  }
  return value;
}

function required(fn: string, name: string, fallback: number | undefined): number {
  if (fallback === undefined) throw new Error(`${fn}: ${name} is required`);
  return fallback;
}
