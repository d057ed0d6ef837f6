import * as fs from 'fs';
import type * as tfNode from '@tensorflow/tfjs-node';

// What crosses the channels between the trusted grader and the sandbox. Tensors travel by value (base64 of their
// float32/int32 bytes) so that both sides can compare exactly; numbers JSON cannot carry travel as strings.

export type Tf = typeof tfNode;

/** The file name a submission's module gets inside the sandbox (its stack traces show this, never a host path). */
export const SANDBOX_MODULE_FILE = '/sandbox/submission/index.js';

/**
 * Hands each newline-terminated line of a stream to onLine, in order. onLine returning 'stop', or more than maxBytes
 * pending (then onOverflow runs), ends the reading: later lines are ignored.
 */
export function readLines(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => 'stop' | void,
  maxBytes = Infinity,
  onOverflow: () => void = () => undefined,
): void {
  let buffered = '';
  let stopped = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (stopped) return;
    buffered += chunk;
    if (buffered.length > maxBytes) {
      stopped = true;
      return onOverflow();
    }
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (onLine(line) === 'stop') {
        stopped = true;
        return;
      }
    }
  });
}

/**
 * Writes one JSON per line to a descriptor, with fs.writeSync and JSON.stringify captured when it is made: a
 * submission that later patches either cannot change what the worker reports. Non-blocking descriptors are retried.
 */
export function lineWriter(fd: number): (m: unknown) => void {
  const writeSync = fs.writeSync;
  const stringify = JSON.stringify;
  return (m) => {
    const bytes = Buffer.from(stringify(m) + '\n');
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
    }
  };
}

/** Tensors travel as their real dtype; bool values as float32 0/1, so every element is 4 bytes on the wire. */
export const WIRE_DTYPES = ['float32', 'int32', 'bool'] as const;
export type WireDtype = (typeof WIRE_DTYPES)[number];
/** What a returned value that is none of the wire's kinds is described as: a fixed vocabulary, never the value's own text. */
export const OPAQUE_KINDS = [
  'a function',
  'a Promise',
  'a typed array',
  'an ArrayBuffer',
  'a symbol',
  'a bigint',
  'a long string',
  'a tensor of an unsupported dtype',
  'an object that is not a real tensor',
  'a value that could not be read',
  'nested too deeply',
  'too large',
] as const;
export type OpaqueKind = (typeof OPAQUE_KINDS)[number];
/** Bounds of an encoded value: total tensor elements, and containers nested within containers. */
export const MAX_WIRE_ELEMENTS = 1_000_000;
export const MAX_WIRE_DEPTH = 8;
/** Text the student controls that may reach its feedback (a thrown error's message) is cut to this many characters. */
export const MAX_MESSAGE_CHARS = 500;

export type WireTensor = { $t: { shape: number[]; dtype: WireDtype; data: string } };
export type Wire =
  | null
  | boolean
  | number
  | string
  | Wire[]
  | WireTensor
  | { $n: 'NaN' | 'Infinity' | '-Infinity' }
  | { $u: 1 }
  | { $disposed: number[] }
  | { $x: OpaqueKind }
  | { [key: string]: Wire };

export function isWireTensor(w: unknown): w is WireTensor {
  return typeof w === 'object' && w !== null && '$t' in w;
}

export function encodeFloats(values: Float32Array | Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(w: WireTensor): Float32Array | Int32Array {
  const bytes = Buffer.from(w.$t.data, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return w.$t.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
}

export function tensorToWire(shape: number[], values: Float32Array | Int32Array, dtype: WireDtype = 'float32'): WireTensor {
  return { $t: { shape: [...shape], dtype, data: encodeFloats(values) } };
}

export function numberToWire(n: number): Wire {
  if (Number.isFinite(n)) return n;
  return { $n: Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity' };
}

/** Protocol messages between the grader and one worker, over its channel socket, one JSON per line. */
export type CallRequest = { id: number; fn: string; args: Wire[] };
export type Observation = {
  /** The thrown error's message, if the call threw (or its Promise rejected). */
  threw?: string;
  returnedPromise: boolean;
  value?: Wire;
  /** Tensors alive after the call that are neither inputs nor returned. */
  leaked: number;
  /** Paths such as "args[0][1]" of input tensors the call disposed. */
  disposedInputs: string[];
  /** What changed in the inputs: tensor values (by path) or the arguments' fields and array elements. */
  mutatedInputs: string[];
  /** Paths of returned tensors that are input tensors passed through. */
  aliasedInputs: string[];
};
export type WorkerMessage =
  | { type: 'ready'; exports: Record<string, string> }
  | { type: 'load-error'; message: string }
  | { type: 'reply'; id: number; obs: Observation }
  | { type: 'reply-error'; id: number; message: string };

/** The zygote's control channel: commands on its stdin, messages on fd 3, one JSON per line. */
/** `fork`: the worker's one-time token; `channel`: the name of its own socket in the channel folder. */
export type ZygoteCommand = { fork: string; channel: string } | { kill: number };
export type ZygoteMessage =
  | { type: 'zygote-ready'; pid: number }
  | { type: 'forked'; token: string; pid: number }
  | { type: 'exited'; pid: number; code: number | null; signal: string | null };
/** A worker's first line on the channel socket names the fork it is; the grader's first line is the module. */
export type WorkerHello = { token: string };
export type ModuleDelivery = { module: string };
