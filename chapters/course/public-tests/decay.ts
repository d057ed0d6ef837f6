import * as tf from '@tensorflow/tfjs-node';
import { expectTensor, expectValues, fn, type PublicTest } from './harness';

interface State { t: number; m: tf.Tensor[]; v: tf.Tensor[] }
type Step = (p: tf.Tensor[], g: tf.Tensor[], o: Record<string, number>) => tf.Tensor[];
type AdamStep = (p: tf.Tensor[], g: tf.Tensor[], s: State, o: Record<string, number>) => { params: tf.Tensor[]; state: State };

const adam = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** One weight w = 1 with gradient 0.5; the expected values are worked out by hand in the test names. */
const one = () => ({ p: [tf.tensor([1])], g: [tf.tensor([0.5])] });

function firstAdamStep(f: Record<string, unknown>, name: string, extra: Record<string, number>, want: number): void {
  const { p, g } = one();
  const state = fn<(p: tf.Tensor[]) => State>(f, 'initAdamState')(p);
  const out = fn<AdamStep>(f, name)(p, g, state, { ...adam, ...extra });
  expectValues(expectTensor(out.params[0], `${name} params[0]`, [1]), [want], `${name} first step`);
  if (out.state.t !== 1) throw new Error(`${name}: state.t should be 1 after the first step, got ${out.state.t}`);
}

export const decayTests: PublicTest[] = [
  {
    name: 'l2Penalty([[3, 4]], [1]) = 0.5 * (9 + 16 + 1) = 13',
    run: (f) => {
      const out = fn<(p: tf.Tensor[]) => tf.Scalar>(f, 'l2Penalty')([tf.tensor([3, 4]), tf.tensor([1])]);
      expectValues(expectTensor(out, 'l2Penalty', []), [13], 'l2Penalty');
    },
  },
  {
    name: 'sgdL2Step: 1 - 0.1 * (0.5 + 0.2 * 1) = 0.93',
    run: (f) => {
      const { p, g } = one();
      expectValues(fn<Step>(f, 'sgdL2Step')(p, g, { lr: 0.1, l2: 0.2 })[0], [0.93], 'sgdL2Step');
    },
  },
  {
    name: 'sgdDecayStep: 1 * (1 - 0.1 * 0.2) - 0.1 * 0.5 = 0.93',
    run: (f) => {
      const { p, g } = one();
      expectValues(fn<Step>(f, 'sgdDecayStep')(p, g, { lr: 0.1, weightDecay: 0.2 })[0], [0.93], 'sgdDecayStep');
    },
  },
  {
    name: 'sgdL2Step leaves its inputs unchanged and returns new tensors',
    run: (f) => {
      const { p, g } = one();
      const out = fn<Step>(f, 'sgdL2Step')(p, g, { lr: 0.1, l2: 0.2 });
      if (out[0] === p[0]) throw new Error('sgdL2Step returned the input tensor instead of a new one');
      expectValues(p[0], [1], 'params[0] after the call');
    },
  },
  {
    name: 'initAdamState gives t = 0 and zero moments of the parameter shapes',
    run: (f) => {
      const s = fn<(p: tf.Tensor[]) => State>(f, 'initAdamState')([tf.ones([2, 3]), tf.ones([4])]);
      if (s.t !== 0) throw new Error(`t should be 0, got ${s.t}`);
      expectValues(expectTensor(s.m[0], 'm[0]', [2, 3]), [0, 0, 0, 0, 0, 0], 'm[0]');
      expectValues(expectTensor(s.v[1], 'v[1]', [4]), [0, 0, 0, 0], 'v[1]');
    },
  },
  // First Adam step: mhat = g', vhat = g'^2, so the step is lr * g' / (|g'| + eps), about lr * sign(g').
  { name: 'adamL2Step first step: g\' = 0.5 + 0.2 * 1, w = 1 - 0.1 = 0.9', run: (f) => firstAdamStep(f, 'adamL2Step', { l2: 0.2 }, 0.9) },
  { name: 'adamWStep first step: w = 1 * (1 - 0.1 * 0.2) - 0.1 = 0.88', run: (f) => firstAdamStep(f, 'adamWStep', { weightDecay: 0.2 }, 0.88) },
];
