import { decodeFloats, isWireTensor, type Observation, type OpaqueKind, type Wire } from '../sandbox/wire';
import { recordCall } from './contract-record';
import { fail } from './feedback';
import type { Probe } from './probe';

// Helpers hidden tests share: call a student function and insist it returned, read tensors back from the wire, and
// compare with explicit float32 tolerances.

export type Host = { shape: number[]; dtype: string; values: Float32Array | Int32Array };
export type Tolerance = { atol: number; rtol: number };

/** Calls fn and insists it returned; every call's contract facts are recorded for the contract tests. */
export async function observe(probe: Probe, fn: string, args: Wire[]): Promise<Observation> {
  const outcome = await probe.call(fn, args);
  if (outcome.kind === 'failed') fail(`${fn}: ${outcome.reason}`);
  if (outcome.obs.threw !== undefined) fail(`${fn} threw ${outcome.obs.threw.slice(0, 200)}`);
  recordCall(probe, fn, outcome.obs);
  return outcome.obs;
}

export function readTensor(w: Wire | undefined, what: string): Host {
  if (isWireTensor(w)) return { shape: w.$t.shape, dtype: w.$t.dtype, values: decodeFloats(w) };
  if (w && typeof w === 'object' && '$disposed' in w) fail(`${what} is a tensor that was already disposed when it was returned`);
  fail(`${what} should be a tf.Tensor but is ${describeWire(w)}`);
}

export function readTensorList(w: Wire | undefined, n: number, what: string): Host[] {
  if (!Array.isArray(w)) fail(`${what} should be an array of ${n} tensors but is ${describeWire(w)}`);
  if (w.length !== n) fail(`${what} should hold ${n} tensors (one per parameter) but holds ${w.length}`);
  return w.map((x, i) => readTensor(x, `${what}[${i}]`));
}

export function field(w: Wire | undefined, key: string, what: string): Wire {
  if (!w || typeof w !== 'object' || Array.isArray(w) || !(key in w)) fail(`${what} has no field "${key}"`);
  return (w as Record<string, Wire>)[key];
}

/**
 * Largest violation of |a - b| <= atol + rtol * |b| over all elements (identical values, Infinity and NaN included,
 * always agree), or undefined when sizes differ.
 */
export function worstError(a: ArrayLike<number>[], b: ArrayLike<number>[], tol: Tolerance): number | undefined {
  if (a.length !== b.length) return undefined;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return undefined;
    for (let j = 0; j < a[i].length; j++) {
      if (Object.is(a[i][j], b[i][j])) continue;
      const d = Math.abs(a[i][j] - b[i][j]);
      const excess = Number.isNaN(d) ? Infinity : d - (tol.atol + tol.rtol * Math.abs(b[i][j]));
      if (excess > worst) worst = excess;
    }
  }
  return worst;
}

export function close(a: ArrayLike<number>[], b: ArrayLike<number>[], tol: Tolerance): boolean {
  return worstError(a, b, tol) === 0;
}

export function sameSizes(got: Host[], expected: ArrayLike<number>[], what: string): void {
  got.forEach((g, i) => {
    if (g.values.length !== expected[i].length) fail(`${what}[${i}] has ${g.values.length} elements where ${expected[i].length} are expected`);
  });
}

function describeWire(w: Wire | undefined): string {
  if (w === undefined || (w && typeof w === 'object' && '$u' in w)) return 'undefined';
  if (w === null) return 'null';
  if (Array.isArray(w)) return `an array of length ${w.length}`;
  if (typeof w === 'object' && '$x' in w) return (w as { $x: OpaqueKind }).$x;
  if (typeof w === 'object' && '$n' in w) return `the number ${w.$n}`;
  if (typeof w === 'object') return 'a plain object';
  return `a ${typeof w}`;
}
