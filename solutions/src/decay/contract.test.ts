import * as tf from '@tensorflow/tfjs-node';
import { l2Penalty, sgdL2Step, sgdDecayStep, initAdamState, adamL2Step, adamWStep } from '../index';

// The promises every update makes to its caller: inputs untouched and alive, outputs fresh, nothing leaked,
// bad arguments rejected with a message that names them.

const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

function fixture() {
  const params = [
    tf.tensor2d([
      [1, -2],
      [3, 0.5],
    ]),
    tf.scalar(4),
    tf.tensor1d([0.1, -0.2, 0.3]),
  ];
  const grads = [
    tf.tensor2d([
      [0.5, 0.5],
      [-1, 2],
    ]),
    tf.scalar(-1),
    tf.tensor1d([1, 2, 3]),
  ];
  return { params, grads };
}

type Call = (p: tf.Tensor[], g: tf.Tensor[]) => { out: tf.Tensor[]; extraIn: tf.Tensor[] };

const calls: Record<string, Call> = {
  l2Penalty: (p) => ({ out: [l2Penalty(p)], extraIn: [] }),
  sgdL2Step: (p, g) => ({ out: sgdL2Step(p, g, { lr: 0.1, l2: 0.5 }), extraIn: [] }),
  sgdDecayStep: (p, g) => ({ out: sgdDecayStep(p, g, { lr: 0.1, weightDecay: 0.5 }), extraIn: [] }),
  adamL2Step: (p, g) => {
    const s = initAdamState(p);
    const r = adamL2Step(p, g, s, { ...hyper, l2: 0.1 });
    return { out: [...r.params, ...r.state.m, ...r.state.v], extraIn: [...s.m, ...s.v] };
  },
  adamWStep: (p, g) => {
    const s = initAdamState(p);
    const r = adamWStep(p, g, s, { ...hyper, weightDecay: 0.1 });
    return { out: [...r.params, ...r.state.m, ...r.state.v], extraIn: [...s.m, ...s.v] };
  },
};

describe.each(Object.keys(calls))('%s keeps the tensor contract', (name) => {
  it('leaves inputs alive and unchanged, returns fresh tensors, and leaks nothing', () => {
    const { params, grads } = fixture();
    const before = [...params, ...grads].map((t) => Array.from(t.dataSync()));
    const count0 = tf.memory().numTensors;
    const { out, extraIn } = calls[name](params, grads);
    expect(tf.memory().numTensors - count0).toBe(out.length + extraIn.length);
    [...params, ...grads].forEach((t, i) => {
      expect(t.isDisposed).toBe(false);
      expect(Array.from(t.dataSync())).toEqual(before[i]);
    });
    for (const o of out) {
      expect(o.dtype).toBe('float32');
      expect([...params, ...grads, ...extraIn]).not.toContain(o);
    }
    tf.dispose([...params, ...grads, ...out, ...extraIn]);
  });
});

describe('adam state', () => {
  it('initAdamState gives t = 0 and zero moments shaped like the params; steps advance t by one', () => {
    const { params, grads } = fixture();
    const s = initAdamState(params);
    expect(s.t).toBe(0);
    s.m.forEach((m, i) => expect(m.shape).toEqual(params[i].shape));
    expect(s.v.every((v) => v.dataSync().every((x) => x === 0))).toBe(true);
    const r1 = adamWStep(params, grads, s, { ...hyper, weightDecay: 0 });
    const r2 = adamWStep(r1.params, grads, r1.state, { ...hyper, weightDecay: 0 });
    expect([s.t, r1.state.t, r2.state.t]).toEqual([0, 1, 2]);
    tf.dispose([params, grads, s.m, s.v, r1.params, r1.state.m, r1.state.v, r2.params, r2.state.m, r2.state.v].flat());
  });
});

describe('bad arguments name themselves', () => {
  const { params, grads } = fixture();
  const s = initAdamState(params);
  afterAll(() => tf.dispose([...params, ...grads, ...s.m, ...s.v]));

  it.each([
    ['mismatched list lengths', () => sgdL2Step(params, grads.slice(1), { lr: 0.1, l2: 0 }), /sgdL2Step: grads has 2 tensors but params has 3/],
    [
      'shape mismatch',
      () => sgdDecayStep(params, [grads[0], grads[2], grads[1]], { lr: 0.1, weightDecay: 0 }),
      /sgdDecayStep: grads\[1\] has shape \[3\] but params\[1\] has shape \[\]/,
    ],
    ['NaN learning rate', () => adamWStep(params, grads, s, { ...hyper, lr: NaN, weightDecay: 0 }), /adamWStep: o\.lr must be a finite number, got NaN/],
    ['infinite decay', () => adamWStep(params, grads, s, { ...hyper, weightDecay: Infinity }), /adamWStep: o\.weightDecay must be a finite number/],
    ['missing l2', () => adamL2Step(params, grads, s, { ...hyper } as never), /adamL2Step: o\.l2 must be a finite number, got undefined/],
    ['beta out of range', () => adamL2Step(params, grads, s, { ...hyper, beta2: 1, l2: 0 }), /adamL2Step: o\.beta2 must be >= 0 and < 1, got 1/],
    ['negative learning rate', () => sgdL2Step(params, grads, { lr: -1, l2: 0 }), /sgdL2Step: o\.lr must be >= 0, got -1/],
    [
      'state of the wrong size',
      () => adamWStep(params, grads, { ...s, m: s.m.slice(1) }, { ...hyper, weightDecay: 0 }),
      /adamWStep: state\.m has 2 tensors but params has 3/,
    ],
    ['fractional step count', () => adamWStep(params, grads, { ...s, t: 1.5 }, { ...hyper, weightDecay: 0 }), /adamWStep: state\.t must be an integer/],
    ['not a tensor', () => l2Penalty([params[0], [1, 2] as never]), /l2Penalty: params\[1\] must be a tf\.Tensor/],
    ['int32 tensor', () => l2Penalty([tf.tensor1d([1, 2], 'int32')]), /l2Penalty: params\[0\] must be float32, got int32/],
  ])('%s', (_label, call, message) => {
    expect(call).toThrow(message);
  });

  it('a disposed input is reported, not silently read', () => {
    const dead = tf.scalar(1);
    dead.dispose();
    expect(() => sgdL2Step([dead], [tf.scalar(1)], { lr: 1, l2: 0 })).toThrow(/sgdL2Step: params\[0\] has been disposed/);
  });
});
