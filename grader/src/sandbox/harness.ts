// Runs inside the sandbox, one process per submission. It loads tfjs-node, captures what it measures with, freezes
// the shared intrinsics, and only then loads the student's module; afterwards it answers the grader's call requests
// (stdin, one JSON per line) on fd 3. Nothing here is trusted by the grader beyond the values it reports.
import * as fs from 'fs';
import Module = require('module');
import { loadTfjs } from './load-tfjs';
import { makeObserver, describeError } from './observe-call';
import type { CallRequest, Tf, WorkerMessage } from './wire';

const tfPath = process.env.DECAYLAB_TFJS!;
const submissionPath = process.env.DECAYLAB_MODULE!;
const REPLY_FD = 3;

const { tf, file: tfFile } = loadTfjs(tfPath);
const observeCall = makeObserver(tf);
const send = captureSender();
aliasTfjs(tfFile);
freezeIntrinsics(tf);
process.on('uncaughtException', () => undefined);
process.on('unhandledRejection', () => undefined);

const student = loadStudent();
if (student) serve(student);

function captureSender(): (m: WorkerMessage) => void {
  const writeSync = fs.writeSync;
  const stringify = JSON.stringify;
  return (m) => {
    const bytes = Buffer.from(stringify(m) + '\n');
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(REPLY_FD, bytes, off, bytes.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
    }
  };
}

/** Both `@tensorflow/tfjs` and `@tensorflow/tfjs-node` mean the tfjs the harness loaded, on the native backend. */
function aliasTfjs(resolvedTarget: string): void {
  const resolver = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === '@tensorflow/tfjs' || request === '@tensorflow/tfjs-node') return resolvedTarget;
    return original.call(this, request, ...rest);
  };
}

/** Frozen so that a submission cannot rewrite the tensor class, tf's exports or the builtins the harness uses. */
function freezeIntrinsics(tfModule: Tf): void {
  const typedArray = Object.getPrototypeOf(Float32Array.prototype) as object;
  const targets: object[] = [
    tfModule,
    tfModule.Tensor,
    tfModule.Tensor.prototype,
    Object,
    Object.prototype,
    Array,
    Array.prototype,
    Function.prototype,
    JSON,
    Math,
    Reflect,
    Promise,
    Promise.prototype,
    Number,
    Number.prototype,
    String.prototype,
    Map.prototype,
    Set.prototype,
    typedArray,
    Float32Array.prototype,
    Int32Array.prototype,
    Uint8Array.prototype,
    Buffer,
    Buffer.prototype,
    Error.prototype,
  ];
  for (const t of targets) Object.freeze(t);
  for (const id of Object.keys(require.cache)) if (!id.includes('node_modules')) delete require.cache[id];
}

function loadStudent(): Record<string, unknown> | undefined {
  try {
    const mod = require(submissionPath) as Record<string, unknown>;
    const exports: Record<string, string> = {};
    for (const k of Object.keys(mod)) exports[k] = typeof mod[k];
    send({ type: 'ready', exports });
    return mod;
  } catch (e) {
    send({ type: 'load-error', message: describeError(e) });
    return undefined;
  }
}

function serve(mod: Record<string, unknown>): void {
  let buffered = '';
  let queue = Promise.resolve();
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const req = JSON.parse(line) as CallRequest;
      queue = queue.then(() => answer(mod, req));
    }
  });
}

async function answer(mod: Record<string, unknown>, req: CallRequest): Promise<void> {
  try {
    const fn = Object.prototype.hasOwnProperty.call(mod, req.fn) ? mod[req.fn] : undefined;
    send({ type: 'reply', id: req.id, obs: await observeCall(fn, req.args) });
  } catch (e) {
    send({ type: 'reply-error', id: req.id, message: describeError(e) });
  }
}
