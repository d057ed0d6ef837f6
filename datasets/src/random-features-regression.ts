import { createRng, type Rng } from './seeded-random';
import type { RegressionSplit } from './splits';
import { numberOption, seededOptions, syntheticSizes } from './validate';

export interface RandomFeaturesRegressionOptions {
  /** Required: 0 .. 2^32-1. */
  seed: number;
  /** Input dimension d (>= 2). Default 10. */
  d?: number;
  /** Training examples n. Default 100. */
  train?: number;
  /** Test examples. Default 1000. */
  test?: number;
  /** Weight of the quadratic part of the target. Default 0.5. */
  quadratic?: number;
  /** Standard deviation of the label noise. Default 0.3. */
  noiseStd?: number;
}

export interface RandomFeaturesRegression {
  train: RegressionSplit;
  test: RegressionSplit;
  /** Noiseless targets f(x) of each split (the labels minus their noise). */
  clean: { train: Float32Array; test: Float32Array };
  /** Unit direction of the linear part of the target, length d. */
  beta: Float32Array;
  /** Unit direction of the quadratic part, orthogonal to beta, length d. */
  gamma: Float32Array;
  quadratic: number;
  noiseStd: number;
}

/**
 * Regression data for model-wise double descent with random features (Mei & Montanari's setting, made small):
 * x uniform on the sphere of radius sqrt(d) in R^d (so each coordinate has variance 1), target
 * f(x) = <beta, x> + quadratic * (<gamma, x>^2 - 1) / sqrt(2) with unit vectors beta, gamma drawn from the seed, and
 * y = f(x) + eps, eps ~ N(0, noiseStd^2). Both terms of f have mean 0; <beta, x> has variance 1 and
 * (<gamma, x>^2 - 1) / sqrt(2) has variance (d - 1) / (d + 2); the quadratic term is what a linear model cannot fit.
 * Min-norm least squares on N random ReLU features of x peaks in test error at N = n (the training size) and falls
 * again beyond it.
 * The target, train and test come from separate streams, so a larger `train` only appends rows.
 */
export function randomFeaturesRegression(options: RandomFeaturesRegressionOptions): RandomFeaturesRegression {
  const fn = 'randomFeaturesRegression';
  const { o, seed } = seededOptions(fn, options);
  const { d, nTrain, nTest } = syntheticSizes(fn, o, { d: 10, train: 100, test: 1000, minD: 2 });
  const quadratic = numberOption(fn, 'quadratic', o.quadratic, 0.5);
  const noiseStd = numberOption(fn, 'noiseStd', o.noiseStd, 0.3, 0);

  const targetRng = createRng(seed, 'random-features-regression/target');
  const beta64 = unitVector(d, targetRng);
  // The target is computed with the float32 directions the caller gets back.
  const beta = Float32Array.from(beta64);
  const gamma = Float32Array.from(orthogonalUnitVector(beta64, targetRng));
  const target = (x: Float32Array, offset: number): number => {
    let lin = 0;
    let quad = 0;
    for (let j = 0; j < d; j++) {
      lin += beta[j] * x[offset + j];
      quad += gamma[j] * x[offset + j];
    }
    return lin + (quadratic * (quad * quad - 1)) / Math.SQRT2;
  };

  const split = (n: number, stream: string): { split: RegressionSplit; clean: Float32Array } => {
    const rng = createRng(seed, `random-features-regression/${stream}`);
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    const clean = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const g = unitVector(d, rng);
      for (let j = 0; j < d; j++) x[r * d + j] = Math.sqrt(d) * g[j];
      const f = target(x, r * d); // from the stored float32 inputs, so the targets are exact for the X the caller sees
      clean[r] = f;
      y[r] = f + noiseStd * rng.normal();
    }
    return { split: { x, y, n, d }, clean };
  };
  const train = split(nTrain, 'train');
  const test = split(nTest, 'test');
  return {
    train: train.split,
    test: test.split,
    clean: { train: train.clean, test: test.clean },
    beta,
    gamma,
    quadratic,
    noiseStd,
  };
}

/** A uniformly random direction: a normalized standard normal vector (float64). */
function unitVector(d: number, rng: Rng): Float64Array {
  const v = new Float64Array(d);
  let norm2: number;
  do {
    norm2 = 0;
    for (let j = 0; j < d; j++) {
      v[j] = rng.normal();
      norm2 += v[j] * v[j];
    }
  } while (norm2 === 0);
  const norm = Math.sqrt(norm2);
  for (let j = 0; j < d; j++) v[j] /= norm;
  return v;
}

/** A random unit vector orthogonal to the unit vector `u` (Gram-Schmidt on a random direction). */
function orthogonalUnitVector(u: Float64Array, rng: Rng): Float64Array {
  for (;;) {
    const v = unitVector(u.length, rng);
    let dot = 0;
    for (let j = 0; j < u.length; j++) dot += u[j] * v[j];
    let norm2 = 0;
    for (let j = 0; j < u.length; j++) {
      v[j] -= dot * u[j];
      norm2 += v[j] * v[j];
    }
    // A direction almost parallel to u would leave mostly rounding error; draw again (probability ~0 for d >= 2).
    if (norm2 > 1e-6) {
      const norm = Math.sqrt(norm2);
      for (let j = 0; j < u.length; j++) v[j] /= norm;
      return v;
    }
  }
}
