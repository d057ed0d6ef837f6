import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { initAdamState, adamL2Step, adamWStep, sgdL2Step, sgdDecayStep, l2Penalty } from '../index';
import { adamHyper, closeTo, runs, tensorCase, toTensors } from '../testing/arbitraries';

// The same update on libtensorflow and on tfjs's pure-JS `cpu` backend must agree to float32 tolerance: the
// course's numbers cannot depend on which backend a student happens to run.

async function onBackend(name: 'tensorflow' | 'cpu', run: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(name);
  try {
    const out = run();
    const values = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    return values;
  } finally {
    await tf.setBackend('tensorflow');
  }
}

describe('native and cpu backends agree', () => {
  // PROD silences tfjs's one-time "install the node backend" advice when the cpu backend is first used.
  beforeAll(() => tf.env().set('PROD', true));
  afterAll(() => tf.env().reset());

  it('on every update, for random shapes and hyper-parameters', async () => {
    await fc.assert(
      fc.asyncProperty(tensorCase(3), adamHyper, async ({ shapes, params, grads }, h) => {
        const run = () => {
          const p = toTensors(shapes, params);
          const g = toTensors(shapes, grads);
          const s = initAdamState(p);
          const o = { lr: h.lr, beta1: h.beta1, beta2: h.beta2, eps: h.eps };
          const a = adamL2Step(p, g, s, { ...o, l2: h.decay });
          const w = adamWStep(a.params, g, a.state, { ...o, weightDecay: h.decay });
          const out = [
            l2Penalty(p),
            ...sgdL2Step(p, g, { lr: h.lr, l2: h.decay }),
            ...sgdDecayStep(p, g, { lr: h.lr, weightDecay: h.decay }),
            ...w.params,
            ...w.state.m,
            ...w.state.v,
          ];
          tf.dispose([...p, ...g, ...s.m, ...s.v, ...a.params, ...a.state.m, ...a.state.v]);
          return out;
        };
        const native = await onBackend('tensorflow', run);
        const cpu = await onBackend('cpu', run);
        expect(native.length).toBe(cpu.length);
        native.forEach((n, i) => {
          const msg = closeTo(n, Float64Array.from(cpu[i]), 1e-5, 1e-6);
          if (msg) throw new Error(`output ${i}: ${msg}`);
        });
      }),
      runs(25),
    );
  });
});
