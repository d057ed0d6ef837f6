// Loads tfjs on the native 'tensorflow' backend for the sandboxed workers, without the parts of the union package a
// graded function does not use: `require('@tensorflow/tfjs-node')` also loads tfjs-layers, -converter, -data and the
// cpu and webgl backends (about 0.1 s of one core, measured), none of which the tensor API of the assignments needs.
//
// What stays: the union bundle (tfjs-core's ops, the chained tensor methods such as x.square() and the gradients are
// bundled into it, not into tfjs-core's CommonJS build), tfjs-node's kernel registrations and its kernel backend on
// libtensorflow. What is dropped: tf.layers/tf.sequential, tf.loadGraphModel, tf.data, and tfjs-node's own extras
// (tf.node, file:// model IO).
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import type { Tf } from './wire';

const UNION = '@tensorflow/tfjs';
const SKIPPED = new Set([
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-webgl',
]);
const EMPTY_MODULE = path.join(__dirname, 'skipped-package.js');

type Resolver = { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string };
type Backend = new (binding: unknown, packageName: string) => import('@tensorflow/tfjs-core').KernelBackend;

/** tfjs's JavaScript, loaded before libtensorflow: the zygote loads this once and every forked worker inherits it. */
export type TfjsScript = { tf: Tf; file: string; Backend: Backend; bindingFile: string };

/** Returns the union module (not yet on any backend) and its resolved file (what students' imports get). */
export function loadTfjsScript(tfjsNodeDir: string): TfjsScript {
  const unionFile = require.resolve(UNION, { paths: [tfjsNodeDir] });
  const resolver = Module as unknown as Resolver;
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function (request, parent, ...rest) {
    if (parent?.filename === unionFile && SKIPPED.has(request)) return EMPTY_MODULE;
    return original.call(this, request, parent, ...rest);
  };
  try {
    const tf = require(unionFile) as Tf;
    require(path.join(tfjsNodeDir, 'dist', 'register_all_kernels'));
    const { NodeJSKernelBackend } = require(path.join(tfjsNodeDir, 'dist', 'nodejs_kernel_backend')) as { NodeJSKernelBackend: Backend };
    return { tf, file: unionFile, Backend: NodeJSKernelBackend, bindingFile: bindingFile(tfjsNodeDir) };
  } finally {
    resolver._resolveFilename = original;
  }
}

/** libtensorflow itself, in load order; the addon links against both. */
export function libtensorflowFiles(tfjsNodeDir: string): string[] {
  return ['libtensorflow_framework.so.2', 'libtensorflow_cc.so.2'].map((f) => path.join(tfjsNodeDir, 'deps', 'lib', f));
}

/**
 * Loading the addon creates TensorFlow's eager context and its thread pools, which a fork would not carry over:
 * each worker does this itself, after the fork.
 */
export function startNativeBackend(script: TfjsScript): void {
  const binding = require(script.bindingFile);
  script.tf.registerBackend('tensorflow', () => new script.Backend(binding, '@tensorflow/tfjs-node'), 3);
  if (!script.tf.setBackend('tensorflow')) throw new Error('the tensorflow backend did not initialise');
}
/** tfjs-node ships its addon under lib/napi-v<n>/ (node-pre-gyp's layout); there is one such folder per install. */
function bindingFile(tfjsNodeDir: string): string {
  const lib = path.join(tfjsNodeDir, 'lib');
  const found = fs
    .readdirSync(lib)
    .map((d) => path.join(lib, d, 'tfjs_binding.node'))
    .find((f) => fs.existsSync(f));
  if (!found) throw new Error(`no tfjs_binding.node under ${lib}`);
  return found;
}
