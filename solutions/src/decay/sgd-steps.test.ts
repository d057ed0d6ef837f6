import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { sgdL2Step } from './sgd-l2-step';
import { sgdDecayStep } from './sgd-decay-step';
import { sgdDecayStep64, sgdL2Step64 } from '../testing/float64-oracle';
import { closeTo, expectAllClose, runs, tensorCase, toTensors } from '../testing/arbitraries';

const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });

describe('SGD steps against float64', () => {
  it('sgdL2Step computes w - lr * (g + l2 * w)', () => {
    fc.assert(
      fc.property(tensorCase(), f32(0, 1), f32(0, 5), ({ shapes, params, grads }, lr, l2) => {
        const [p, g] = [toTensors(shapes, params), toTensors(shapes, grads)];
        const out = sgdL2Step(p, g, { lr, l2 });
        expectAllClose(out, sgdL2Step64(params, grads, lr, l2), 1e-5, 1e-5);
        out.forEach((t, i) => expect(t.shape).toEqual(shapes[i]));
        tf.dispose([...p, ...g, ...out]);
      }),
      runs(),
    );
  });

  it('sgdDecayStep computes w * (1 - lr * weightDecay) - lr * g', () => {
    fc.assert(
      fc.property(tensorCase(), f32(0, 1), f32(0, 5), ({ shapes, params, grads }, lr, weightDecay) => {
        const [p, g] = [toTensors(shapes, params), toTensors(shapes, grads)];
        const out = sgdDecayStep(p, g, { lr, weightDecay });
        expectAllClose(out, sgdDecayStep64(params, grads, lr, weightDecay), 1e-5, 1e-5);
        tf.dispose([...p, ...g, ...out]);
      }),
      runs(),
    );
  });
});

describe('for SGD, L2 and decoupled decay are the same update', () => {
  it('agree to float32 rounding when l2 = weightDecay, over many steps', () => {
    fc.assert(
      fc.property(tensorCase(3), f32(1e-3, 0.1), f32(0, 1), ({ shapes, params, grads }, lr, lambda) => {
        let a = toTensors(shapes, params);
        let b = toTensors(shapes, params);
        const g = toTensors(shapes, grads);
        for (let step = 0; step < 20; step++) {
          const [na, nb] = [sgdL2Step(a, g, { lr, l2: lambda }), sgdDecayStep(b, g, { lr, weightDecay: lambda })];
          tf.dispose([...a, ...b]);
          [a, b] = [na, nb];
        }
        a.forEach((t, i) => {
          // Only the order of float32 operations differs: a few ulps of the largest magnitude involved.
          const msg = closeTo(t.dataSync(), Float64Array.from(b[i].dataSync()), 1e-5, 1e-5);
          if (msg) throw new Error(msg);
        });
        tf.dispose([...a, ...b, ...g]);
      }),
      runs(40),
    );
  });
});
