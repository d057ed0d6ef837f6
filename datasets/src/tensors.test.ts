import * as tf from '@tensorflow/tfjs-node';
import { d2lLinearRegression } from './d2l-linear-regression';
import { mnistSubset } from './mnist-subset';
import { classificationTensors, oneHot, regressionTensors } from './tensors';

describe('tensors', () => {
  it('runs on the native backend', () => {
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('regressionTensors: float32 x [n, d] and y [n, 1] with the split values, exactly two new tensors', () => {
    const { train } = d2lLinearRegression({ seed: 0 });
    const before = tf.memory().numTensors;
    const t = regressionTensors(train);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect([t.x.shape, t.x.dtype, t.y.shape, t.y.dtype]).toEqual([[20, 200], 'float32', [20, 1], 'float32']);
    expect(t.x.dataSync()).toEqual(train.x);
    expect(t.y.dataSync()).toEqual(train.y);
    tf.dispose(t);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('classificationTensors: x, one-hot y and int labels, unaffected by later edits of the split', () => {
    const { train } = mnistSubset({ seed: 2, train: 100, test: 0 });
    const before = tf.memory().numTensors;
    const t = classificationTensors(train);
    expect(tf.memory().numTensors).toBe(before + 3);
    const pixels = train.x.slice();
    const labels = train.labels.slice();
    train.x.fill(7);
    train.labels.fill(0);
    expect([t.x.shape, t.x.dtype, t.y.shape, t.y.dtype, t.labels.shape, t.labels.dtype]).toEqual([[100, 784], 'float32', [100, 10], 'float32', [100], 'int32']);
    expect(t.x.dataSync()).toEqual(pixels);
    expect(t.labels.dataSync()).toEqual(labels);
    expect(Array.from(tf.tidy(() => t.y.argMax(1).dataSync() as Int32Array))).toEqual(Array.from(labels));
    tf.dispose(t);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('oneHot marks one class per row and rejects bad labels by position', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(oneHot(new Int32Array(0))).toEqual(new Float32Array(0));
    expect(() => oneHot([1, 10])).toThrow(/oneHot: labels\[1\] must be an integer in 0..9, got 10/);
    expect(() => oneHot([0.5])).toThrow(/oneHot: labels\[0\]/);
    expect(() => oneHot([0], 0)).toThrow(/oneHot: numClasses must be a positive integer/);
    expect(() => oneHot(null as unknown as number[])).toThrow(/oneHot: labels must be an array/);
  });

  it('accepts a split whose arrays come from the native backend (another realm under Jest)', () => {
    const source = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const target = tf.tensor1d([5, 6]);
    const split = { x: source.dataSync() as Float32Array, y: target.dataSync() as Float32Array, n: 2, d: 2 };
    const t = regressionTensors(split);
    expect(Array.from(t.x.dataSync())).toEqual([1, 2, 3, 4]);
    expect(t.y.shape).toEqual([2, 1]);
    tf.dispose([t.x, t.y, source, target]);
  });

  it('rejects malformed splits by name', () => {
    const { train } = d2lLinearRegression({ seed: 0 });
    expect(() => regressionTensors({ ...train, n: 21 })).toThrow(/regressionTensors: split.x must be a Float32Array of length n \* d = 4200/);
    expect(() => regressionTensors({ ...train, y: new Float32Array(3) })).toThrow(/regressionTensors: split.y must have length n = 20/);
    expect(() => regressionTensors(null as never)).toThrow(/regressionTensors: split must be a split object/);
  });
});
