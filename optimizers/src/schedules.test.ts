import * as tf from '@tensorflow/tfjs-node';
import { AdamW } from './adamw';
import { CosineDecay, ExponentialDecay } from './built-in-schedules';
import type { DecayForm } from './decoupled-decay-optimizer';
import { SGDW } from './sgdw';
import { onBackend } from './testing/on-backend';

describe('the built-in schedules follow their formulas', () => {
  test('ExponentialDecay, continuous and staircase', () => {
    const smooth = new ExponentialDecay({ initialValue: 0.1, decaySteps: 10, decayRate: 0.5 });
    const stairs = new ExponentialDecay({ initialValue: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(smooth.valueAt(0)).toBeCloseTo(0.1, 12);
    expect(smooth.valueAt(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(smooth.valueAt(20)).toBeCloseTo(0.025, 12);
    expect([0, 9, 10, 19, 20].map((s) => stairs.valueAt(s))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  test('CosineDecay with warm-up and a floor', () => {
    const s = new CosineDecay({ initialValue: 1, decaySteps: 10, alpha: 0.1, warmupSteps: 4 });
    expect([0, 1, 2, 3, 4].map((t) => s.valueAt(t))).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(s.valueAt(9)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // halfway through the decay
    expect(s.valueAt(14)).toBeCloseTo(0.1, 12);
    expect(s.valueAt(1000)).toBeCloseTo(0.1, 12);
  });

  test.each([
    [() => new ExponentialDecay({ initialValue: 0.1, decaySteps: 0, decayRate: 0.5 }), /ExponentialDecay: decaySteps must be > 0/],
    [() => new ExponentialDecay({ initialValue: -1, decaySteps: 1, decayRate: 0.5 }), /ExponentialDecay: initialValue must be >= 0/],
    [() => new CosineDecay({ initialValue: 1, decaySteps: 5, alpha: 2 }), /CosineDecay: alpha must be <= 1/],
    [() => new CosineDecay({ initialValue: 1, decaySteps: 5, warmupSteps: 1.5 }), /CosineDecay: warmupSteps must be an integer >= 0/],
    [() => new CosineDecay({ initialValue: 1, steps: 5 } as never), /CosineDecay: unknown option\(s\) steps/],
  ])('bad options are named (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

// An independent float64 implementation of the documented updates, on plain arrays.
interface Hyper {
  lr: number;
  wd: number;
  eta: number;
}

function oracleStep(kind: 'AdamW' | 'SGDW', form: DecayForm, w: number[], g: number[], state: { m: number[]; v: number[] }, t: number, h: Hyper) {
  const decay = form === 'paper' ? h.eta * h.wd : h.lr * h.wd;
  const size = form === 'paper' ? h.eta * h.lr : h.lr;
  return w.map((wi, i) => {
    if (kind === 'SGDW') return wi * (1 - decay) - size * g[i];
    state.m[i] = 0.9 * state.m[i] + 0.1 * g[i];
    state.v[i] = 0.999 * state.v[i] + 0.001 * g[i] * g[i];
    const mhat = state.m[i] / (1 - 0.9 ** t);
    const vhat = state.v[i] / (1 - 0.999 ** t);
    return wi * (1 - decay) - (size * mhat) / (Math.sqrt(vhat) + 1e-8);
  });
}

// On the native backend the second shape is above SGDW's one-kernel threshold, so both native paths are covered; the
// cpu backend has one path, and small shapes keep its run short.
const SHAPES: Record<string, number[][]> = { tensorflow: [[5], [257, 256]], cpu: [[5], [6, 4]] };
const STEPS = 20;
const lrAt = (step: number) => 0.01 * 0.95 ** step;
const wdSchedule = () => new ExponentialDecay({ initialValue: 0.5, decaySteps: 10, decayRate: 0.5 });
const etaSchedule = () => new CosineDecay({ initialValue: 1, decaySteps: STEPS, alpha: 0.2, warmupSteps: 3 });

describe.each(['tensorflow', 'cpu'])('on the %s backend', (backend) => {
  onBackend(backend);

  test.each([
    ['AdamW', 'pytorch'],
    ['AdamW', 'paper'],
    ['SGDW', 'pytorch'],
    ['SGDW', 'paper'],
  ] as const)('%s in the %s form follows the float64 formula under three schedules', (kind, form) => {
    const names = [`sched-${backend}-${kind}-${form}/kernel`, `sched-${backend}-${kind}-${form}/big`];
    const shapes = SHAPES[backend];
    const init = shapes.map((s, i) => tf.randomUniform(s, -1, 1, 'float32', 5 + i));
    const vars = init.map((t, i) => tf.variable(t, true, names[i]));
    const o = {
      learningRate: lrAt,
      weightDecay: wdSchedule(),
      paramGroups: [{ match: ['/big$'], weightDecay: 0.3 }],
      decayForm: form,
      ...(form === 'paper' ? { scheduleMultiplier: etaSchedule() } : {}),
    };
    const opt = kind === 'AdamW' ? new AdamW(o) : new SGDW(o);
    let expected = init.map((t) => Array.from(t.dataSync()));
    const state = expected.map((w) => ({ m: w.map(() => 0), v: w.map(() => 0) }));
    const [wd, eta] = [wdSchedule(), etaSchedule()];
    for (let step = 0; step < STEPS; step++) {
      const grads = shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', 100 * step + i));
      opt.applyGradients(names.map((name, i) => ({ name, tensor: grads[i] })));
      const h = (i: number): Hyper => ({ lr: lrAt(step), wd: i === 1 ? 0.3 : wd.valueAt(step), eta: eta.valueAt(step) });
      expected = expected.map((w, i) => oracleStep(kind, form, w, Array.from(grads[i].dataSync()), state[i], step + 1, h(i)));
      tf.dispose(grads);
    }
    vars.forEach((v, i) => {
      const got = v.dataSync();
      const scale = Math.max(...expected[i].map(Math.abs));
      const err = Math.max(...expected[i].map((e, k) => Math.abs(got[k] - e)));
      expect(err / scale).toBeLessThan(2e-5);
    });
    opt.dispose();
    tf.dispose([...init, ...vars]);
  });
});

describe('schedules and decay forms in use', () => {
  test('a schedule is asked for step 0 first, then 1, 2, ... (the iterations completed before the update)', () => {
    const v = tf.variable(tf.zeros([2]), true, 'steps/w');
    const g = tf.ones([2]);
    const asked: number[] = [];
    const opt = new SGDW({ learningRate: (s) => (asked.push(s), 0.1), weightDecay: 0 });
    for (let i = 0; i < 3; i++) opt.applyGradients([{ name: 'steps/w', tensor: g }]);
    expect(asked).toEqual([0, 1, 2]);
    opt.dispose();
    tf.dispose([v, g]);
  });

  test("with a zero gradient one step multiplies by 1 - lr wd in the pytorch form and by 1 - eta wd in the paper's", () => {
    const names = ['form/pytorch', 'form/paper'];
    const vars = names.map((n) => tf.variable(tf.ones([3]), true, n));
    const g = tf.zeros([3]);
    const pytorch = new SGDW({ learningRate: 0.1, weightDecay: 0.5, paramGroups: [] });
    const paper = new SGDW({ learningRate: 0.1, weightDecay: 0.5, paramGroups: [], decayForm: 'paper', scheduleMultiplier: 0.4 });
    pytorch.applyGradients([{ name: names[0], tensor: g }]);
    paper.applyGradients([{ name: names[1], tensor: g }]);
    expect(vars[0].dataSync()[0]).toBeCloseTo(1 - 0.1 * 0.5, 6);
    expect(vars[1].dataSync()[0]).toBeCloseTo(1 - 0.4 * 0.5, 6);
    [pytorch, paper].forEach((o) => o.dispose());
    tf.dispose([...vars, g]);
  });

  test('a schedule value out of range stops the step, names the step and changes nothing', () => {
    const v = tf.variable(tf.ones([2]), true, 'badsched/w');
    const g = tf.ones([2]);
    const opt = new AdamW({ learningRate: (s) => (s === 2 ? -1 : 0.1), weightDecay: 0.1 });
    opt.applyGradients({ 'badsched/w': g });
    opt.applyGradients({ 'badsched/w': g });
    const before = Array.from(v.dataSync());
    expect(() => opt.applyGradients({ 'badsched/w': g })).toThrow('AdamW: learningRate at step 2 must be >= 0, got -1');
    expect(Array.from(v.dataSync())).toEqual(before);
    expect(opt.iterations).toBe(2);
    opt.dispose();
    tf.dispose([v, g]);
  });

  test.each([
    [() => new AdamW({ scheduleMultiplier: 0.5 }), /AdamW: scheduleMultiplier belongs to decayForm 'paper'/],
    [() => new AdamW({ decayForm: 'keras' as never }), /AdamW: decayForm must be 'pytorch' or 'paper', got "keras"/],
    [() => new SGDW({ learningRate: '0.1' as never, weightDecay: 0 }), /SGDW: learningRate must be a number, a function of the step or a Schedule, got string/],
    [() => new SGDW({ learningRate: 0.1, weightDecay: 0, decayForm: 'paper', scheduleMultiplier: -1 }), /SGDW: scheduleMultiplier must be >= 0/],
  ])('bad decay options are named (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
