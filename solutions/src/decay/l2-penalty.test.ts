import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { l2Penalty } from './l2-penalty';
import { l2Penalty64 } from '../testing/float64-oracle';
import { runs, tensorCase, toTensors } from '../testing/arbitraries';

describe('l2Penalty', () => {
  it('equals half the summed squares, computed in float64, for any list of tensors', () => {
    fc.assert(
      fc.property(tensorCase(), ({ shapes, params }) => {
        const ts = toTensors(shapes, params);
        const got = l2Penalty(ts);
        const want = l2Penalty64(params);
        expect(got.shape).toEqual([]);
        expect(got.dtype).toBe('float32');
        expect(Math.abs(got.dataSync()[0] - want)).toBeLessThanOrEqual(1e-5 * want + 1e-6);
        tf.dispose([got, ...ts]);
      }),
      runs(),
    );
  });

  it('is 0 for an empty list and its gradient is the parameter itself (the reason for the 1/2)', () => {
    const zero = l2Penalty([]);
    expect(zero.dataSync()[0]).toBe(0);
    const w = tf.tensor1d([1.5, -2, 0.25]);
    const g = tf.grad((x: tf.Tensor) => l2Penalty([x]))(w);
    expect(Array.from(g.dataSync())).toEqual([1.5, -2, 0.25]);
    tf.dispose([zero, w, g]);
  });
});
