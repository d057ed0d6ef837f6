import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, type PublicTest } from './harness';

interface State {
  t: number;
  m: tf.Tensor[];
  v: tf.Tensor[];
}
type Step = (p: tf.Tensor[], g: tf.Tensor[], o: Record<string, number>) => tf.Tensor[];
type AdamStep = (p: tf.Tensor[], g: tf.Tensor[], s: State, o: Record<string, number>) => { params: tf.Tensor[]; state: State };
type Init = (p: tf.Tensor[]) => State;

const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** One weight w = 1 with gradient 0.5; the expected values are worked out by hand in the test names. */
const one = () => ({ p: [tf.tensor([1])], g: [tf.tensor([0.5])] });

/** A fresh Adam state built here, so that each Adam step is tested on its own, whatever initAdamState does. */
const freshState = (params: tf.Tensor[]): State => ({ t: 0, m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)) });

function firstAdamStep(f: Record<string, unknown>, name: string, extra: Record<string, number>, want: number): void {
  const { p, g } = one();
  const state = freshState(p);
  const out = fn<AdamStep>(f, name)(p, g, state, { ...adam, ...extra });
  expectValues(expectTensor(out.params[0], `${name} params[0]`, [1]), [want], `${name} first step`);
  if (out.state.t !== 1) throw new Error(`${name}: state.t should be 1 after the first step, got ${out.state.t}`);
}

// Four steps on three weights with changing gradients; the expected weights come from the update rule worked out in
// float64 (bias corrections with the new step count, eps outside the square root).
const trajectory = {
  start: [1, -2, 0.5],
  grads: [
    [0.5, -1, 0.25],
    [0.2, 0.3, -0.5],
    [-0.4, 0.1, 0.3],
    [0.3, -0.2, 0.1],
  ],
  hyper: { lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6 },
};

function fourSteps(f: Record<string, unknown>, name: string, extra: Record<string, number>, want: number[]): void {
  let params = [tf.tensor(trajectory.start)];
  let state = freshState(params);
  for (const [k, g] of trajectory.grads.entries()) {
    ({ params, state } = fn<AdamStep>(f, name)(params, [tf.tensor(g)], state, { ...trajectory.hyper, ...extra }));
    if (state.t !== k + 1) throw new Error(`${name}: state.t should be ${k + 1} after step ${k + 1}, got ${state.t}`);
  }
  expectValues(expectTensor(params[0], `${name} params[0]`, [3]), want, `${name} after four steps`);
}

export const decayTests: PublicTest[] = [
  {
    fn: 'l2Penalty',
    name: 'l2Penalty([[3, 4]], [1]) = 0.5 * (9 + 16 + 1) = 13, a scalar',
    run: (f) => {
      const out = fn<(p: tf.Tensor[]) => tf.Scalar>(f, 'l2Penalty')([tf.tensor([3, 4]), tf.tensor([1])]);
      expectValues(expectTensor(out, 'l2Penalty', []), [13], 'l2Penalty');
    },
  },
  {
    fn: 'sgdL2Step',
    name: 'sgdL2Step: 1 - 0.1 * (0.5 + 0.2 * 1) = 0.93',
    run: (f) => {
      const { p, g } = one();
      expectValues(fn<Step>(f, 'sgdL2Step')(p, g, { lr: 0.1, l2: 0.2 })[0], [0.93], 'sgdL2Step');
    },
  },
  {
    fn: 'sgdL2Step',
    name: 'sgdL2Step returns one new tensor per parameter, shaped like it',
    run: (f) => {
      const out = fn<Step>(f, 'sgdL2Step')([tf.ones([2, 3]), tf.ones([4])], [tf.ones([2, 3]), tf.ones([4])], { lr: 0.5, l2: 1 });
      if (!Array.isArray(out) || out.length !== 2) throw new Error('sgdL2Step should return an array with one tensor per parameter');
      expectValues(expectTensor(out[0], 'sgdL2Step result[0]', [2, 3]), [0, 0, 0, 0, 0, 0], 'sgdL2Step result[0]');
      expectTensor(out[1], 'sgdL2Step result[1]', [4]);
    },
  },
  {
    fn: 'sgdDecayStep',
    name: 'sgdDecayStep: 1 * (1 - 0.1 * 0.2) - 0.1 * 0.5 = 0.93',
    run: (f) => {
      const { p, g } = one();
      expectValues(fn<Step>(f, 'sgdDecayStep')(p, g, { lr: 0.1, weightDecay: 0.2 })[0], [0.93], 'sgdDecayStep');
    },
  },
  {
    fn: 'sgdDecayStep',
    name: 'sgdDecayStep with two parameters: [2, -2] and [[4]], no gradient, lr 0.5, decay 0.5: shrink by 0.75',
    run: (f) => {
      const out = fn<Step>(f, 'sgdDecayStep')([tf.tensor([2, -2]), tf.tensor2d([[4]])], [tf.zeros([2]), tf.zeros([1, 1])], { lr: 0.5, weightDecay: 0.5 });
      expectValues(expectTensor(out[0], 'sgdDecayStep result[0]', [2]), [1.5, -1.5], 'sgdDecayStep result[0]');
      expectValues(expectTensor(out[1], 'sgdDecayStep result[1]', [1, 1]), [3], 'sgdDecayStep result[1]');
    },
  },
  {
    fn: 'initAdamState',
    name: 'initAdamState gives t = 0 and zero moments of the parameter shapes',
    run: (f) => {
      const s = fn<Init>(f, 'initAdamState')([tf.ones([2, 3]), tf.ones([4])]);
      if (s.t !== 0) throw new Error(`t should be 0, got ${s.t}`);
      expectValues(expectTensor(s.m[0], 'm[0]', [2, 3]), [0, 0, 0, 0, 0, 0], 'm[0]');
      expectValues(expectTensor(s.v[1], 'v[1]', [4]), [0, 0, 0, 0], 'v[1]');
    },
  },
  // First Adam step: mhat = g', vhat = g'^2, so the step is lr * g' / (|g'| + eps), about lr * sign(g').
  {
    fn: 'adamL2Step',
    name: "adamL2Step first step: g' = 0.5 + 0.2 * 1, w = 1 - 0.1 = 0.9",
    run: (f) => firstAdamStep(f, 'adamL2Step', { l2: 0.2 }, 0.9),
  },
  {
    fn: 'adamL2Step',
    name: 'adamL2Step over four steps (lr 0.05, betas 0.8 and 0.95, eps 1e-6, l2 0.5)',
    run: (f) => fourSteps(f, 'adamL2Step', { l2: 0.5 }, [0.8232453, -1.820606, 0.3799492]),
  },
  {
    fn: 'adamWStep',
    name: 'adamWStep first step: w = 1 * (1 - 0.1 * 0.2) - 0.1 = 0.88',
    run: (f) => firstAdamStep(f, 'adamWStep', { weightDecay: 0.2 }, 0.88),
  },
  {
    fn: 'adamWStep',
    name: 'adamWStep over four steps (lr 0.05, betas 0.8 and 0.95, eps 1e-6, weight decay 0.5)',
    run: (f) => fourSteps(f, 'adamWStep', { weightDecay: 0.5 }, [0.7942759, -1.71838, 0.4142344]),
  },
];
