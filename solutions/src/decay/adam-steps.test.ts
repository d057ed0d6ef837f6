import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { initAdamState, type AdamState } from './adam-state';
import { adamL2Step } from './adam-l2-step';
import { adamWStep } from './adamw-step';
import { adamL2Step64, adamWStep64, type Adam64 } from '../testing/float64-oracle';
import { adamHyper, expectAllClose, runs, tensorCase, toTensors } from '../testing/arbitraries';

const STEPS = 12;

function trajectory(
  variant: 'l2' | 'w',
  shapes: number[][],
  params: Float64Array[],
  gradsPerStep: Float64Array[][],
  h: { lr: number; beta1: number; beta2: number; eps: number; decay: number },
) {
  const o = { lr: h.lr, beta1: h.beta1, beta2: h.beta2, eps: h.eps };
  let w = toTensors(shapes, params);
  let s: AdamState = initAdamState(w);
  let w64 = params;
  let s64: Adam64 = { t: 0, m: params.map((p) => new Float64Array(p.length)), v: params.map((p) => new Float64Array(p.length)) };
  for (const grads of gradsPerStep) {
    const g = toTensors(shapes, grads);
    const r = variant === 'l2' ? adamL2Step(w, g, s, { ...o, l2: h.decay }) : adamWStep(w, g, s, { ...o, weightDecay: h.decay });
    const r64 = variant === 'l2' ? adamL2Step64(w64, grads, s64, { ...o, l2: h.decay }) : adamWStep64(w64, grads, s64, { ...o, weightDecay: h.decay });
    tf.dispose([...w, ...s.m, ...s.v, ...g]);
    [w, s, w64, s64] = [r.params, r.state, r64.params, r64.state];
  }
  return { w, s, w64, s64 };
}

describe.each(['l2', 'w'] as const)('Adam (%s variant) trajectories against float64', (variant) => {
  it(`${STEPS} steps with fresh gradients each step match the oracle (params, moments and step count)`, () => {
    // Gradients change every step (deterministically from the drawn ones) so the moments see a real sequence.
    const withSteps = tensorCase(3).map((c) => ({
      c,
      seq: Array.from({ length: STEPS }, (_, k) => c.grads.map((g) => g.map((x, j) => Math.fround(x * Math.cos(k + j))))),
    }));
    fc.assert(
      fc.property(withSteps, adamHyper, ({ c, seq }, h) => {
        const { w, s, w64, s64 } = trajectory(variant, c.shapes, c.params, seq, h);
        // Float32 moments over a dozen steps: relative 1e-4, absolute scaled by lr (each step moves at most ~lr).
        expectAllClose(w, w64, 1e-4, 1e-5 + 1e-4 * h.lr * STEPS);
        expectAllClose(s.m, s64.m, 1e-4, 1e-4);
        expectAllClose(s.v, s64.v, 1e-4, 1e-3);
        expect(s.t).toBe(STEPS);
        tf.dispose([...w, ...s.m, ...s.v]);
      }),
      runs(30),
    );
  });
});

describe('for Adam, L2 and decoupled decay are different updates', () => {
  it('differ after one step when gradient scales differ across weights, AdamW shrinking all weights alike', () => {
    const w = [tf.tensor1d([1, 1, 1])];
    const g = [tf.tensor1d([10, 1, 0.01])];
    const o = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const s = initAdamState(w);
    const l2 = adamL2Step(w, g, s, { ...o, l2: 0.1 });
    const dw = adamWStep(w, g, s, { ...o, weightDecay: 0.1 });
    const plain = adamWStep(w, g, s, { ...o, weightDecay: 0 });
    const [a, b, p] = [l2.params[0].dataSync(), dw.params[0].dataSync(), plain.params[0].dataSync()];
    // AdamW's extra shrink is lr * wd * w = 1e-4 for every weight.
    for (let j = 0; j < 3; j++) expect(p[j] - b[j]).toBeCloseTo(1e-4, 6);
    // With L2 inside the moments, the first Adam step is lr * sign(g + l2 w): no weight sees the 1e-4 decay.
    for (let j = 0; j < 3; j++) expect(Math.abs(a[j] - p[j])).toBeLessThan(1e-6);
    expect(Math.abs(a[0] - b[0])).toBeGreaterThan(5e-5);
    tf.dispose([
      ...w,
      ...g,
      ...s.m,
      ...s.v,
      ...l2.params,
      ...l2.state.m,
      ...l2.state.v,
      ...dw.params,
      ...dw.state.m,
      ...dw.state.v,
      ...plain.params,
      ...plain.state.m,
      ...plain.state.v,
    ]);
  });
});
