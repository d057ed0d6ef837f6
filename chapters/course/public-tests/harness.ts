import * as tf from '@tensorflow/tfjs-node';

/** A public test of one graded function; `run` gets the student's functions by name and throws an Error saying what is wrong. */
export interface PublicTest {
  /** The graded function this test is about (the line of the report it counts for). */
  fn: string;
  name: string;
  run(functions: Record<string, unknown>): void;
}

/** Thrown when a function still has its stub body: the report says "not implemented yet" rather than failing it. */
export class NotImplemented extends Error {
  constructor(readonly fn: string) {
    super(`${fn} is not implemented yet`);
  }
}

type AnyFn = (...args: never[]) => unknown;

/** An error's message, also for errors of another realm (code the check command loads runs outside the caller's). */
export const messageOf = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as Error).message : String(e);

/**
 * The student's function `name`, wrapped so that every call is also checked against the contract the grader tests
 * for every function: a result returned directly (not a Promise), inputs neither disposed nor changed, returned
 * tensors that are new, and no tensor left behind besides the returned ones.
 */
export function fn<F extends AnyFn>(functions: Record<string, unknown>, name: string): F {
  const f = functions[name];
  if (typeof f !== 'function') throw new Error(`${name} is missing (not declared in the exercise cells, or not passed to check())`);
  return ((...args: never[]) => callChecked(name, f as AnyFn, args)) as F;
}

function callChecked(name: string, f: AnyFn, args: never[]): unknown {
  const before = snapshot(args);
  const tensorsBefore = tf.memory().numTensors;
  let out: unknown;
  try {
    out = f(...args);
  } catch (e) {
    if (/not implemented yet/.test(messageOf(e))) throw new NotImplemented(name);
    throw new Error(`${name} threw: ${messageOf(e)}`, { cause: e });
  }
  if (out instanceof Promise || (typeof out === 'object' && out !== null && typeof (out as { then?: unknown }).then === 'function')) {
    throw new Error(`${name} returns a Promise; return the result directly (use dataSync, not data)`);
  }
  const inputs = new Set(before.tensors.map((s) => s.tensor));
  for (const s of before.tensors) {
    if (s.tensor.isDisposed) throw new Error(`${name} disposed its input ${s.path}; dispose only tensors you created`);
    const now = Array.from(s.tensor.dataSync() as ArrayLike<number>);
    if (now.some((v, i) => !Object.is(v, s.values[i]))) throw new Error(`${name} changed the values of its input ${s.path}`);
  }
  if (structureOf(args) !== before.structure) throw new Error(`${name} changed its inputs (an array or a field of an argument); return new values instead`);
  const returned = tensorsIn(out, 'result');
  for (const r of returned) {
    if (inputs.has(r.tensor)) throw new Error(`${name} returned its input tensor as ${r.path}; return a new tensor`);
  }
  const leaked = tf.memory().numTensors - tensorsBefore - new Set(returned.map((r) => r.tensor)).size;
  if (leaked > 0) {
    throw new Error(`${name} left ${leaked} tensor(s) behind besides the ones it returns; wrap intermediate work in tf.tidy or dispose it`);
  }
  return out;
}

interface Found {
  path: string;
  tensor: tf.Tensor;
}

/** Every tensor inside arrays and plain objects, with a readable path such as `params[1]` or `state.m[0]`. */
function tensorsIn(value: unknown, at: string): Found[] {
  if (value instanceof tf.Tensor) return [{ path: at, tensor: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => tensorsIn(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => tensorsIn(v, `${at}.${k}`));
  return [];
}

const ARG_NAMES = ['first argument', 'second argument', 'third argument', 'fourth argument'];

/** The input tensors with a copy of their values, and the arguments' structure, taken before the call. */
function snapshot(args: unknown[]): { tensors: (Found & { values: number[] })[]; structure: string } {
  const found = args.flatMap((a, i) => tensorsIn(a, ARG_NAMES[i] ?? `argument ${i + 1}`));
  return { tensors: found.map((f) => ({ ...f, values: Array.from(f.tensor.dataSync() as ArrayLike<number>) })), structure: structureOf(args) };
}

/** The shape of the arguments: arrays' lengths, objects' keys and numbers, each tensor by identity (its id). */
function structureOf(value: unknown): string {
  if (value instanceof tf.Tensor) return `T${value.id}`;
  if (Array.isArray(value)) return `[${value.map(structureOf).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}:${structureOf(v)}`)
      .join(',')}}`;
  }
  return String(value);
}

export function expectTensor(t: unknown, what: string, shape: number[]): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new Error(`${what} should be a tf.Tensor, got ${t === null ? 'null' : typeof t}`);
  if (!tf.util.arraysEqual(t.shape, shape)) throw new Error(`${what} should have shape [${shape}], got [${t.shape}]`);
  if (t.dtype !== 'float32') throw new Error(`${what} should be float32, got ${t.dtype}`);
  return t;
}

/** Element-wise |got - want| <= tol * max(1, |want|). */
export function expectValues(t: tf.Tensor, want: number[], what: string, tol = 1e-5): void {
  const got = Array.from(t.dataSync());
  if (got.length !== want.length) throw new Error(`${what}: expected ${want.length} values, got ${got.length}`);
  got.forEach((g, i) => {
    if (!(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`${what}: expected [${want.map(formatNumber).join(', ')}], got [${got.map(formatNumber).join(', ')}]`);
    }
  });
}

/** Six significant digits, in exponent form for very large or small magnitudes (3e+20, not 300000006012263200000). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const r = Number(v.toPrecision(6));
  return Math.abs(r) >= 1e6 || Math.abs(r) < 1e-4 ? r.toExponential() : String(r);
}
