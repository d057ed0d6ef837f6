// Runs inside the sandbox as one student's worker, forked from the zygote (zygote.ts). Before any student code, it
// checks that the zygote's control channel is closed, installs the system-call filter, starts the native backend,
// captures what it measures with and freezes the shared intrinsics; then it receives the submission on its own
// channel socket and answers the grader's call requests there, one JSON per line. Nothing here is trusted by the
// grader beyond the values it reports.
import * as fs from 'fs';
import Module = require('module');
import * as net from 'net';
import type { ForkServerNative } from './fork-server-native';
import { startNativeBackend, type TfjsScript } from './load-tfjs';
import { makeObserver, describeError } from './observe-call';
import { SANDBOX_MODULE_FILE, lineWriter, readLines, type CallRequest, type ModuleDelivery, type Tf, type WorkerMessage } from './wire';

export type WorkerStart = { native: ForkServerNative; script: TfjsScript; token: string; channel: string; closedInodes: number[] };

export function runWorker(o: WorkerStart): void {
  assertClosed(o.closedInodes, o.native);
  o.native.lockDown();
  const pid = o.native.pid();
  Object.defineProperty(process, 'pid', { value: pid, enumerable: true });
  // node's own exit path waits for platform threads a forked process does not have.
  (process as unknown as { reallyExit: (code?: number) => void }).reallyExit = (code) => o.native.exitNow(Number(code) || 0);
  startNativeBackend(o.script);
  const observeCall = makeObserver(o.script.tf);
  aliasTfjs(o.script.file);
  process.on('uncaughtException', () => undefined);
  process.on('unhandledRejection', () => undefined);
  const socket = net.connect(o.channel);
  socket.on('error', () => o.native.exitNow(0));
  socket.on('close', () => o.native.exitNow(0));
  socket.on('connect', () => {
    const send = lineWriter((socket as unknown as { _handle: { fd: number } })._handle.fd);
    send({ token: o.token });
    freezeIntrinsics(o.script.tf);
    serve(socket, send, observeCall);
  });
}

/** The zygote's stdin and reply pipe must be gone before a submission runs: it could otherwise command the zygote. */
function assertClosed(inodes: number[], native: ForkServerNative): void {
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (inodes.includes(fs.fstatSync(Number(fd)).ino)) native.exitNow(71);
    } catch {
      // the directory listing's own descriptor, closed by now
    }
  }
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

/**
 * Frozen so that a submission cannot rewrite the tensor class, tf's exports or the builtins the harness uses. A frozen
 * prototype also forbids ordinary objects to shadow its properties by assignment (`state.toString = …` and
 * `this.name = …` in an Error subclass would throw), so the properties students commonly shadow become accessors
 * first: reading gives the original, assigning defines an own property on the object assigned to, as in plain node,
 * and only an assignment to the prototype itself is refused.
 */
function freezeIntrinsics(tfModule: Tf): void {
  allowShadowing(Object.prototype, Object.getOwnPropertyNames(Object.prototype));
  allowShadowing(Error.prototype, ['name', 'message', 'toString']);
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

function allowShadowing(proto: object, keys: string[]): void {
  const define = Object.defineProperty;
  for (const key of keys) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (!d || !('value' in d) || !d.writable || !d.configurable) continue;
    const original: unknown = d.value;
    define(proto, key, {
      get: () => original,
      set(this: object, value: unknown) {
        if (this === proto) throw new TypeError(`Cannot assign to read only property '${key}' of a protected prototype`);
        define(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false,
    });
  }
}

function serve(socket: net.Socket, send: (m: WorkerMessage | { token: string }) => void, observeCall: ReturnType<typeof makeObserver>): void {
  let student: Record<string, unknown> | undefined;
  let queue = Promise.resolve();
  readLines(socket, (line) => {
    if (!student) {
      student = loadStudent((JSON.parse(line) as ModuleDelivery).module, send) ?? {};
      return;
    }
    const req = JSON.parse(line) as CallRequest;
    const mod = student;
    queue = queue.then(() => answer(mod, req, send, observeCall));
  });
}

function loadStudent(source: string, send: (m: WorkerMessage) => void): Record<string, unknown> | undefined {
  try {
    const mod = new Module(SANDBOX_MODULE_FILE) as Module & { _compile: (code: string, file: string) => void; paths: string[] };
    mod.filename = SANDBOX_MODULE_FILE;
    mod.paths = (Module as unknown as { _nodeModulePaths: (dir: string) => string[] })._nodeModulePaths('/sandbox/submission');
    mod._compile(source, SANDBOX_MODULE_FILE);
    const exported = mod.exports as Record<string, unknown>;
    const exports: Record<string, string> = {};
    for (const k of Object.keys(exported)) exports[k] = typeof exported[k];
    send({ type: 'ready', exports });
    return exported;
  } catch (e) {
    send({ type: 'load-error', message: describeError(e) });
    return undefined;
  }
}

async function answer(
  mod: Record<string, unknown>,
  req: CallRequest,
  send: (m: WorkerMessage) => void,
  observeCall: ReturnType<typeof makeObserver>,
): Promise<void> {
  try {
    const fn = Object.prototype.hasOwnProperty.call(mod, req.fn) ? mod[req.fn] : undefined;
    send({ type: 'reply', id: req.id, obs: await observeCall(fn, req.args) });
  } catch (e) {
    send({ type: 'reply-error', id: req.id, message: describeError(e) });
  }
}
