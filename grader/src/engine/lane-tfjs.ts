import * as path from 'path';
import { loadTfjsScript, startNativeBackend } from '../sandbox/load-tfjs';

// The trusted side's tfjs in a lane: jest.hidden.config.js maps `@tensorflow/tfjs-node` here for the hidden suite,
// the reference solutions and the dataset generators. The same union bundle, kernels and libtensorflow backend as
// tfjs-node's own entry, without the packages that entry also loads and no check uses (tf.layers, the converter,
// tf.data, the cpu and webgl backends, node-pre-gyp, tf.node's file IO): load-tfjs.ts loads tfjs this way in the
// sandbox too, and the lane's Jest maps those packages to an empty module.

const script = loadTfjsScript(path.dirname(require.resolve('@tensorflow/tfjs-node/package.json')));
startNativeBackend(script);

export = script.tf;
