import type * as tfNode from '@tensorflow/tfjs-node';
import {
  decodeFloats,
  isWireTensor,
  MAX_MESSAGE_CHARS,
  MAX_WIRE_DEPTH,
  MAX_WIRE_ELEMENTS,
  numberToWire,
  tensorToWire,
  type Observation,
  type Tf,
  type Wire,
  type WireDtype,
} from './wire';

// Calls one student function on inputs rebuilt from the wire and records what the grader needs to judge the call:
// the value (read back by value), Promise-ness, leaked tensors, disposed or mutated inputs. The same code runs inside
// the sandbox and in the unisolated in-process mode, so both see a submission identically.

type Tensor = tfNode.Tensor;
type Input = { path: string; tensor: Tensor; values: Float32Array | Int32Array };

const MAX_LIST = 10_000;
const MAX_KEYS = 1000;
const MAX_TEXT = 200;
const MAX_RANK = 8;

/**
 * Captures the few engine entry points it needs up front, so later patches of `tf` do not change what it sees. Nothing
 * a returned value says about itself is believed: a tensor is an object whose prototype chain holds tfjs's Tensor
 * class (tfjs's own `instanceof` is duck-typed) and whose data the captured dataSync can read; its dtype is the type
 * of that data, and its shape must account for exactly that many elements.
 */
export function makeObserver(tf: Tf) {
  const TensorClass = tf.Tensor;
  const makeTensor = tf.tensor;
  const memory = tf.memory;
  const disposedGetter = Object.getOwnPropertyDescriptor(TensorClass.prototype, 'isDisposed')!.get!;
  const dataSync = TensorClass.prototype.dataSync;
  const isPrototypeOf = Object.prototype.isPrototypeOf;
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  // The typed-array kind from the internal slot: realm-independent (the in-process mode runs in Jest's own realm)
  // and blind to an own Symbol.toStringTag.
  const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;
  const DTYPES: Record<string, WireDtype> = { Float32Array: 'float32', Int32Array: 'int32', Uint8Array: 'bool' };
  const keysOf = Object.keys;
  const isTensor = (v: unknown): v is Tensor => typeof v === 'object' && v !== null && isPrototypeOf.call(TensorClass.prototype, v);
  const isDisposed = (t: Tensor): boolean => disposedGetter.call(t) as boolean;
  const read = (t: Tensor): Float32Array | Int32Array => {
    const values = dataSync.call(t) as Float32Array | Int32Array;
    return values instanceof Int32Array ? values.slice() : Float32Array.from(values as ArrayLike<number>);
  };

  function fromWire(w: Wire, path: string, inputs: Input[]): unknown {
    if (isArray(w)) return w.map((x, i) => fromWire(x, `${path}[${i}]`, inputs));
    if (w === null || typeof w !== 'object') return w;
    if (isWireTensor(w)) {
      const values = decodeFloats(w);
      const tensor = makeTensor(values, w.$t.shape, w.$t.dtype);
      inputs.push({ path, tensor, values: w.$t.dtype === 'bool' ? read(tensor) : values });
      return tensor;
    }
    if ('$n' in w) return Number(w.$n);
    if ('$u' in w) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(w)) out[k] = fromWire(v as Wire, `${path}.${k}`, inputs);
    return out;
  }

  /** Plain-value fingerprint of the arguments, tensors replaced by their identity, to spot in-place edits. */
  function fingerprint(v: unknown, ids: Map<Tensor, number>, depth = 0): unknown {
    if (depth > MAX_WIRE_DEPTH) return '…';
    if (isTensor(v)) return `T${ids.get(v) ?? 'new'}`;
    if (isArray(v)) return Array.from(v, (x) => fingerprint(x, ids, depth + 1));
    if (typeof v === 'number') return numberToWire(v);
    if (v && typeof v === 'object') {
      return keysOf(v)
        .sort()
        .map((k) => [k, fingerprint((v as Record<string, unknown>)[k], ids, depth + 1)]);
    }
    return v === undefined ? '$u' : v;
  }

  /** A getter the call added to its arguments may throw: that too is an argument changed in place. */
  function sameFingerprint(values: unknown, ids: Map<Tensor, number>, before: string): boolean {
    try {
      return JSON.stringify(fingerprint(values, ids)) === before;
    } catch {
      return false;
    }
  }

  function tensorToWireValue(t: Tensor, returned: Set<Tensor>, budget: { left: number }): Wire {
    const shape = [...t.shape];
    if (shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 0)) return { $x: 'an object that is not a real tensor' };
    if (isDisposed(t)) return { $disposed: shape };
    const size = shape.reduce((a, b) => a * b, 1);
    budget.left -= size;
    if (budget.left < 0) return { $x: 'too large' };
    const data = dataSync.call(t) as unknown;
    const dtype = isView(data) ? DTYPES[typedArrayName.call(data) as string] : undefined;
    if (!dtype) return { $x: 'a tensor of an unsupported dtype' };
    const values = data as Float32Array | Int32Array | Uint8Array;
    if (size !== values.length) return { $x: 'an object that is not a real tensor' };
    returned.add(t);
    return tensorToWire(shape, dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), dtype);
  }

  function toWire(v: unknown, returned: Set<Tensor>, budget: { left: number }, depth = 0): Wire {
    if (depth > MAX_WIRE_DEPTH) return { $x: 'nested too deeply' };
    try {
      if (isTensor(v)) return tensorToWireValue(v, returned, budget);
      if (typeof v === 'number') return numberToWire(v);
      if (v === undefined) return { $u: 1 };
      if (v === null || typeof v === 'boolean') return v;
      if (typeof v === 'string') return v.length <= MAX_TEXT ? v : { $x: 'a long string' };
      if (typeof v === 'function') return { $x: 'a function' };
      if (typeof v === 'symbol') return { $x: 'a symbol' };
      if (typeof v === 'bigint') return { $x: 'a bigint' };
      if (isArray(v)) {
        const out: Wire[] = [];
        for (let i = 0; i < v.length && i < MAX_LIST; i++) out.push(toWire(v[i], returned, budget, depth + 1));
        return out;
      }
      if (isView(v)) return { $x: 'a typed array' };
      if (v instanceof ArrayBuffer) return { $x: 'an ArrayBuffer' };
      if (typeof (v as { then?: unknown }).then === 'function') return { $x: 'a Promise' };
      const out: Record<string, Wire> = {};
      // Keys beginning with $ are the wire's own markers ($t is a tensor): a plain object never carries one.
      const keys = keysOf(v as object).filter((k) => k[0] !== '$' && k.length <= MAX_TEXT);
      for (let i = 0; i < keys.length && i < MAX_KEYS; i++) out[keys[i]] = toWire((v as Record<string, unknown>)[keys[i]], returned, budget, depth + 1);
      return out;
    } catch {
      return { $x: 'a value that could not be read' };
    }
  }

  return async function observeCall(fn: unknown, args: Wire[]): Promise<Observation> {
    const inputs: Input[] = [];
    const values = args.map((a, i) => fromWire(a, `args[${i}]`, inputs));
    const ids = new Map(inputs.map((x, i) => [x.tensor, i]));
    const before = JSON.stringify(fingerprint(values, ids));
    const tensorsBefore = memory().numTensors;
    let result: unknown;
    let threw: string | undefined;
    let returnedPromise = false;
    try {
      if (typeof fn !== 'function') throw new TypeError('it is not a function');
      result = (fn as (...a: unknown[]) => unknown)(...values);
      if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
        returnedPromise = true;
        result = await (result as Promise<unknown>);
      }
    } catch (e) {
      threw = describeError(e);
    }
    const returned = new Set<Tensor>();
    const value = threw === undefined ? toWire(result, returned, { left: MAX_WIRE_ELEMENTS }) : undefined;
    const disposed = inputs.filter((x) => isDisposed(x.tensor));
    const aliasedInputs = inputs.filter((x) => returned.has(x.tensor)).map((x) => x.path);
    const fresh = [...returned].filter((t) => !ids.has(t)).length;
    const leaked = memory().numTensors + disposed.length - tensorsBefore - fresh;
    const mutated = inputs.filter((x) => !isDisposed(x.tensor) && !sameValues(read(x.tensor), x.values)).map((x) => `the values of ${x.path}`);
    if (!sameFingerprint(values, ids, before)) mutated.push('its arguments in place (a field or an array element was reassigned)');
    for (const t of [...inputs.map((x) => x.tensor), ...returned]) if (!isDisposed(t)) t.dispose();
    return {
      threw,
      returnedPromise,
      value,
      leaked,
      disposedInputs: disposed.map((x) => x.path),
      mutatedInputs: mutated,
      aliasedInputs,
    };
  };
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** A thrown value as text for feedback, cut to MAX_MESSAGE_CHARS; its getters and toString are the student's, so they may throw too. */
export function describeError(e: unknown): string {
  try {
    const text = e instanceof Error ? `${String(e.name)}: ${String(e.message)}` : `a thrown ${typeof e}: ${String(e)}`;
    return text.slice(0, MAX_MESSAGE_CHARS);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}
