import * as tf from '@tensorflow/tfjs-node';
import { AdamW, SGDW } from '@decaylab/tfjs-optimizers';
// The optimizers' own test helper: in the workspace, never in the published package (its build leaves src/testing out).
import { onBackend } from '@decaylab/tfjs-optimizers/src/testing/on-backend';
import { initAdamState } from './adam-state';
import { adamWStep } from './adamw-step';
import { sgdDecayStep } from './sgd-decay-step';

// The optimizers of @decaylab/tfjs-optimizers must follow the exercises' functional reference step for step.
// Gradients are seeded random tensors so the comparison covers every element, not one loss surface.

// The last shape is above SGDW's one-kernel threshold, so both of its native code paths are compared.
const SHAPES: number[][] = [[], [7], [3, 5], [2, 3, 4], [256, 300]];
const STEPS = 60;
let nameCounter = 0;

function seededGrads(step: number): tf.Tensor[] {
  return SHAPES.map((s, i) => tf.randomNormal(s, 0, 1 + i, 'float32', 1000 * step + i));
}

function makeVariables(names: string[]): tf.Variable[] {
  return SHAPES.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 7 + i), true, names[i]));
}

function uniqueNames(base: string[]): string[] {
  nameCounter++;
  return base.map((b) => `traj${nameCounter}/${b}`);
}

/** Normwise: max |a - b| over max |b|, so an element passing near zero is judged on the tensor's scale. */
function maxRelErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().div(b.abs().max()).dataSync()[0]);
}

describe.each(['tensorflow', 'cpu'])('on the %s backend', (backend) => {
  onBackend(backend);

  test('AdamW follows adamWStep over many steps, with the learning rate changed midway', () => {
    const names = uniqueNames(['a', 'b', 'c', 'd', 'e']);
    const vars = makeVariables(names);
    const opt = new AdamW({ learningRate: 3e-3, weightDecay: 0.05, paramGroups: [] });
    let params: tf.Tensor[] = vars.map((v) => v.clone());
    let state = initAdamState(params);
    for (let step = 1; step <= STEPS; step++) {
      if (step === STEPS / 2) opt.learningRate = 1e-3;
      const grads = seededGrads(step);
      opt.applyGradients(names.map((name, i) => ({ name, tensor: grads[i] })));
      const o = { lr: opt.learningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05 };
      const next = adamWStep(params, grads, state, o);
      tf.dispose([...params, ...state.m, ...state.v, ...grads]);
      params = next.params;
      state = next.state;
    }
    vars.forEach((v, i) => expect(maxRelErr(v, params[i])).toBeLessThan(1e-5));
    expect(opt.iterations).toBe(STEPS);
    tf.dispose([...params, ...state.m, ...state.v, ...vars]);
    opt.dispose();
  });

  test('SGDW follows sgdDecayStep over many steps', () => {
    const names = uniqueNames(['a', 'b', 'c', 'd', 'e']);
    const vars = makeVariables(names);
    const opt = new SGDW({ learningRate: 0.02, weightDecay: 0.5, paramGroups: [] });
    let params: tf.Tensor[] = vars.map((v) => v.clone());
    for (let step = 1; step <= STEPS; step++) {
      const grads = seededGrads(step);
      const map: tf.NamedTensorMap = Object.fromEntries(names.map((n, i) => [n, grads[i]]));
      opt.applyGradients(map);
      const next = sgdDecayStep(params, grads, { lr: 0.02, weightDecay: 0.5 });
      tf.dispose([...params, ...grads]);
      params = next;
    }
    vars.forEach((v, i) => expect(maxRelErr(v, params[i])).toBeLessThan(1e-5));
    tf.dispose([...params, ...vars]);
    opt.dispose();
  });
});
