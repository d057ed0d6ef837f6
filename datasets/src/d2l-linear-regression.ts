import { createRng } from './seeded-random';
import type { RegressionSplit } from './splits';
import { numberOption, seededOptions, syntheticSizes } from './validate';

export interface D2lLinearRegressionOptions {
  /** Required: 0 .. 2^32-1. */
  seed: number;
  /** Input dimension d. Default 200. */
  d?: number;
  /** Training examples. Default 20. */
  train?: number;
  /** Test examples. Default 100. */
  test?: number;
  /** Every true weight. Default 0.01. */
  weight?: number;
  /** True bias. Default 0.05. */
  bias?: number;
  /** Standard deviation of the label noise. Default 0.01. */
  noiseStd?: number;
}

export interface D2lLinearRegression {
  train: RegressionSplit;
  test: RegressionSplit;
  /** The true weights (all equal to `weight`), length d. */
  w: Float32Array;
  /** The true bias. */
  b: number;
  noiseStd: number;
}

/**
 * The high-dimensional linear regression of Dive into Deep Learning's weight-decay section:
 * y = bias + sum_i weight * x_i + eps, x ~ N(0, I_d), eps ~ N(0, noiseStd^2); defaults d = 200, 20 train, 100 test.
 * Train and test come from separate streams and each row draws x then eps, so a larger `train` only appends rows.
 */
export function d2lLinearRegression(options: D2lLinearRegressionOptions): D2lLinearRegression {
  const fn = 'd2lLinearRegression';
  const { o, seed } = seededOptions(fn, options);
  const { d, nTrain, nTest } = syntheticSizes(fn, o, { d: 200, train: 20, test: 100, minD: 1 });
  const weight = numberOption(fn, 'weight', o.weight, 0.01);
  const bias = numberOption(fn, 'bias', o.bias, 0.05);
  const noiseStd = numberOption(fn, 'noiseStd', o.noiseStd, 0.01, 0);

  const w = new Float32Array(d).fill(weight);
  const split = (n: number, stream: string): RegressionSplit => {
    const rng = createRng(seed, `d2l-linear-regression/${stream}`);
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      let s = bias;
      for (let j = 0; j < d; j++) {
        const v = Math.fround(rng.normal());
        x[r * d + j] = v;
        s += w[j] * v; // from the stored float32 values, so y is exact for the X the caller sees
      }
      y[r] = s + noiseStd * rng.normal();
    }
    return { x, y, n, d };
  };
  return { train: split(nTrain, 'train'), test: split(nTest, 'test'), w, b: bias, noiseStd };
}
