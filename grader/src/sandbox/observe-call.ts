import type * as tfNode from '@tensorflow/tfjs-node';
import { decodeFloats, isWireTensor, numberToWire, tensorToWire, type Observation, type Tf, type Wire } from './wire';

// Calls one student function on inputs rebuilt from the wire and records what the grader needs to judge the call:
// the value (read back by value), Promise-ness, leaked tensors, disposed or mutated inputs. The same code runs inside
// the sandbox and in the unisolated in-process mode, so both see a submission identically.

type Tensor = tfNode.Tensor;
type Input = { path: string; tensor: Tensor; values: Float32Array | Int32Array };

const MAX_ELEMENTS = 1_000_000;
const MAX_DEPTH = 8;

/** Captures the few engine entry points it needs up front, so later patches of `tf` do not change what it sees. */
export function makeObserver(tf: Tf) {
  const TensorClass = tf.Tensor;
  const makeTensor = tf.tensor;
  const memory = tf.memory;
  const disposedGetter = Object.getOwnPropertyDescriptor(TensorClass.prototype, 'isDisposed')!.get!;
  const dataSync = TensorClass.prototype.dataSync;
  const isTensor = (v: unknown): v is Tensor => v instanceof TensorClass;
  const isDisposed = (t: Tensor): boolean => disposedGetter.call(t) as boolean;
  const read = (t: Tensor): Float32Array | Int32Array => {
    const values = dataSync.call(t) as Float32Array | Int32Array;
    return values instanceof Int32Array ? values.slice() : Float32Array.from(values as ArrayLike<number>);
  };

  function fromWire(w: Wire, path: string, inputs: Input[]): unknown {
    if (Array.isArray(w)) return w.map((x, i) => fromWire(x, `${path}[${i}]`, inputs));
    if (w === null || typeof w !== 'object') return w;
    if (isWireTensor(w)) {
      const values = decodeFloats(w);
      const tensor = makeTensor(values, w.$t.shape, w.$t.dtype as 'float32');
      inputs.push({ path, tensor, values });
      return tensor;
    }
    if ('$n' in w) return Number(w.$n);
    if ('$u' in w) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(w)) out[k] = fromWire(v as Wire, `${path}.${k}`, inputs);
    return out;
  }

  /** Plain-value fingerprint of the arguments, tensors replaced by their identity, to spot in-place edits. */
  function shapeOf(v: unknown, ids: Map<Tensor, number>, depth = 0): unknown {
    if (depth > MAX_DEPTH) return '…';
    if (isTensor(v)) return `T${ids.get(v) ?? 'new'}`;
    if (Array.isArray(v)) return v.map((x) => shapeOf(x, ids, depth + 1));
    if (typeof v === 'number') return numberToWire(v);
    if (v && typeof v === 'object') {
      return Object.keys(v).sort().map((k) => [k, shapeOf((v as Record<string, unknown>)[k], ids, depth + 1)]);
    }
    return v === undefined ? '$u' : v;
  }

  function toWire(v: unknown, returned: Set<Tensor>, budget: { left: number }, depth = 0): Wire {
    if (depth > MAX_DEPTH) return { $x: 'nested too deeply' };
    if (isTensor(v)) {
      if (isDisposed(v)) return { $disposed: [...v.shape] };
      returned.add(v);
      budget.left -= v.size;
      if (budget.left < 0) return { $x: 'too large' };
      return tensorToWire(v.shape, read(v), v.dtype === 'int32' ? 'int32' : 'float32');
    }
    if (typeof v === 'number') return numberToWire(v);
    if (v === undefined) return { $u: 1 };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (Array.isArray(v)) return v.slice(0, 10_000).map((x) => toWire(x, returned, budget, depth + 1));
    if (typeof v === 'object' && !ArrayBuffer.isView(v) && typeof (v as { then?: unknown }).then !== 'function') {
      const out: Record<string, Wire> = {};
      for (const k of Object.keys(v).slice(0, 1000)) out[k] = toWire((v as Record<string, unknown>)[k], returned, budget, depth + 1);
      return out;
    }
    return { $x: typeof v === 'function' ? 'a function' : Object.prototype.toString.call(v) };
  }

  return async function observeCall(fn: unknown, args: Wire[]): Promise<Observation> {
    const inputs: Input[] = [];
    const values = args.map((a, i) => fromWire(a, `args[${i}]`, inputs));
    const ids = new Map(inputs.map((x, i) => [x.tensor, i]));
    const before = JSON.stringify(shapeOf(values, ids));
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
    const value = threw === undefined ? toWire(result, returned, { left: MAX_ELEMENTS }) : undefined;
    const disposed = inputs.filter((x) => isDisposed(x.tensor));
    const aliasedInputs = inputs.filter((x) => returned.has(x.tensor)).map((x) => x.path);
    const fresh = [...returned].filter((t) => !ids.has(t)).length;
    const leaked = memory().numTensors + disposed.length - tensorsBefore - fresh;
    const mutated = inputs.filter((x) => !isDisposed(x.tensor) && !sameValues(read(x.tensor), x.values)).map((x) => `the values of ${x.path}`);
    if (JSON.stringify(shapeOf(values, ids)) !== before) mutated.push('its arguments in place (a field or an array element was reassigned)');
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

export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 500);
  try {
    return `a thrown ${typeof e}: ${String(e)}`.slice(0, 500);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}
