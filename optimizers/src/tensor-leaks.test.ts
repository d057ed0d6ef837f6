import * as tf from '@tensorflow/tfjs-node';
import { AdamW } from './adamw';
import { SGDW } from './sgdw';
import { onBackend } from './testing/on-backend';

// After the first step has created the optimizer's state, a step must leave the tensor count where it was, also when
// every hyper-parameter changes every step (a schedule). Sizes below and above SGDW's one-kernel threshold.
const SHAPES = [[3], [4, 5], [300, 300]];

describe.each(['tensorflow', 'cpu'])('on the %s backend', (backend) => {
  onBackend(backend);

  test.each([
    ['AdamW', () => new AdamW({ learningRate: 1e-3, weightDecay: 0.1, paramGroups: [{ match: ['/b$'], weightDecay: 0.3 }] })],
    ['SGDW', () => new SGDW({ learningRate: 1e-3, weightDecay: 0.1, paramGroups: [{ match: ['/b$'], weightDecay: 0.3 }] })],
  ])('%s keeps the tensor count flat while learningRate and weightDecay change every step', (name, make) => {
    const names = SHAPES.map((_, i) => `leak-${backend}-${name}/${'abc'[i]}`);
    const vars = SHAPES.map((s, i) => tf.variable(tf.ones(s), true, names[i]));
    const grads = SHAPES.map((s) => tf.fill(s, 0.5));
    const opt = make();
    const step = (i: number) => {
      opt.learningRate = 1e-3 * (1 + i / 7);
      opt.weightDecay = 0.1 / (1 + i);
      opt.applyGradients(names.map((n, k) => ({ name: n, tensor: grads[k] })));
    };
    step(0);
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 20; i++) step(i);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose([...vars, ...grads]);
  });
});
