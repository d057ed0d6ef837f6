import * as tf from '@tensorflow/tfjs-node';
import { AdamW, SGDW } from '@decaylab/tfjs-optimizers';
import { adamWStep, initAdamState, sgdDecayStep } from '@decaylab/solutions';

export const HYPER = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 };

/** A timed case: `step()` performs one optimizer update of a single float32 parameter of `size` elements. */
export interface StepCase {
  step(): void;
  /** The parameter after the steps so far, for the correctness check. */
  current(): tf.Tensor;
  dispose(): void;
}

export type CaseFactory = (size: number) => StepCase;

export const ADAM_CASES: Record<string, CaseFactory> = {
  'reference adamWStep (eager tfjs ops)': (size) => {
    const { w, g } = problem(size);
    let params: tf.Tensor[] = [w];
    let state = initAdamState(params);
    return {
      step() {
        const next = adamWStep(params, [g], state, HYPER);
        tf.dispose([...params, ...state.m, ...state.v]);
        params = next.params;
        state = next.state;
      },
      current: () => params[0],
      dispose: () => tf.dispose([...params, ...state.m, ...state.v, g]),
    };
  },
  'AdamW (tfjs-optimizers)': (size) => optimizerCase(size, new AdamW({ learningRate: HYPER.lr, weightDecay: HYPER.weightDecay, paramGroups: [] })),
  'tf.train.adam (built-in, no decay)': (size) => optimizerCase(size, tf.train.adam(HYPER.lr, HYPER.beta1, HYPER.beta2, HYPER.eps)),
};

export const SGD_CASES: Record<string, CaseFactory> = {
  'reference sgdDecayStep (eager tfjs ops)': (size) => {
    const { w, g } = problem(size);
    let params: tf.Tensor[] = [w];
    return {
      step() {
        const next = sgdDecayStep(params, [g], HYPER);
        tf.dispose(params);
        params = next;
      },
      current: () => params[0],
      dispose: () => tf.dispose([...params, g]),
    };
  },
  'SGDW (tfjs-optimizers)': (size) => optimizerCase(size, new SGDW({ learningRate: HYPER.lr, weightDecay: HYPER.weightDecay, paramGroups: [] })),
  'tf.train.sgd (built-in, no decay)': (size) => optimizerCase(size, tf.train.sgd(HYPER.lr)),
};

let counter = 0;

function problem(size: number): { w: tf.Tensor; g: tf.Tensor } {
  return {
    w: tf.randomNormal([size], 0, 1, 'float32', 1),
    g: tf.randomNormal([size], 0, 1, 'float32', 2),
  };
}

function optimizerCase(size: number, opt: tf.Optimizer): StepCase {
  const { w, g } = problem(size);
  const v = tf.variable(w, true, `bench${counter++}/kernel`);
  w.dispose();
  const grads = [{ name: v.name, tensor: g }];
  return {
    step: () => opt.applyGradients(grads),
    current: () => v,
    dispose: () => {
      opt.dispose();
      tf.dispose([v, g]);
    },
  };
}

/** Largest |a - b| / (|b| + 1e-3) after `steps` steps of both cases from the same start. */
export function agreement(a: CaseFactory, b: CaseFactory, size: number, steps: number): number {
  const [x, y] = [a(size), b(size)];
  for (let i = 0; i < steps; i++) {
    x.step();
    y.step();
  }
  const err = tf.tidy(() => x.current().sub(y.current()).abs().div(y.current().abs().add(1e-3)).max().dataSync()[0]);
  x.dispose();
  y.dispose();
  return err;
}
