import { fingerprint } from './fingerprint';
import { randomFeaturesRegression } from './random-features-regression';
import { normalArray } from './seeded-random';
import type { RegressionSplit } from './splits';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, offset = 0): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[offset + j];
  return s;
};

/** Solves a x = b in float64, Gaussian elimination with partial pivoting (a: n x n row-major; a and b overwritten). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

/** ReLU features max(0, x W) of a split, W [d, N] row-major. */
function features(s: RegressionSplit, w: Float32Array, nFeatures: number): Float64Array {
  const phi = new Float64Array(s.n * nFeatures);
  for (let i = 0; i < s.n; i++) {
    for (let k = 0; k < nFeatures; k++) {
      let v = 0;
      for (let j = 0; j < s.d; j++) v += s.x[i * s.d + j] * w[j * nFeatures + k];
      phi[i * nFeatures + k] = Math.max(0, v);
    }
  }
  return phi;
}

/** Min-norm least squares through the Gram matrix of the smaller side (full rank with probability 1 here). */
function minNorm(phi: Float64Array, y: Float32Array, n: number, m: number): Float64Array {
  if (n >= m) {
    const g = new Float64Array(m * m);
    const r = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < m; a++) {
        r[a] += phi[i * m + a] * y[i];
        for (let b = 0; b < m; b++) g[a * m + b] += phi[i * m + a] * phi[i * m + b];
      }
    }
    return solve(g, r, m);
  }
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) g[i * n + k] = dot(phi.subarray(i * m, (i + 1) * m), phi, k * m);
  }
  const alpha = solve(g, Float64Array.from(y), n);
  const coef = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) coef[a] += phi[i * m + a] * alpha[i];
  return coef;
}

describe('randomFeaturesRegression', () => {
  const data = randomFeaturesRegression({ seed: 0 });

  it('has the documented defaults: d = 10, 100 train, 1000 test, quadratic 0.5, noise 0.3', () => {
    expect([data.train.n, data.train.d, data.train.x.length, data.train.y.length]).toEqual([100, 10, 1000, 100]);
    expect([data.test.n, data.test.d, data.test.x.length, data.test.y.length]).toEqual([1000, 10, 10000, 1000]);
    expect([data.quadratic, data.noiseStd, data.beta.length, data.gamma.length]).toEqual([0.5, 0.3, 10, 10]);
    expect([data.clean.train.length, data.clean.test.length]).toEqual([100, 1000]);
  });

  it('puts every input on the sphere of radius sqrt(d) and draws orthogonal unit directions', () => {
    for (const s of [data.train, data.test]) {
      for (let i = 0; i < s.n; i++) {
        const row = s.x.subarray(i * s.d, (i + 1) * s.d);
        expect(Math.abs(Math.sqrt(dot(row, row)) - Math.sqrt(s.d))).toBeLessThan(1e-5);
      }
    }
    expect(Math.abs(dot(data.beta, data.beta) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(dot(data.gamma, data.gamma) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(dot(data.beta, data.gamma))).toBeLessThan(1e-6);
  });

  it('computes the clean target from the returned x, beta and gamma, and adds N(0, noiseStd^2) noise', () => {
    const n = 20_000;
    const big = randomFeaturesRegression({ seed: 1, d: 5, train: n, test: 10, quadratic: 0.7, noiseStd: 0.2 });
    const s = big.train;
    let worst = 0;
    let sum = 0;
    let sum2 = 0;
    let lin2 = 0;
    let quad2 = 0;
    for (let i = 0; i < n; i++) {
      const u = dot(big.beta, s.x, i * s.d);
      const v = dot(big.gamma, s.x, i * s.d);
      worst = Math.max(worst, Math.abs(big.clean.train[i] - (u + (0.7 * (v * v - 1)) / Math.SQRT2)));
      const e = s.y[i] - big.clean.train[i];
      sum += e;
      sum2 += e * e;
      lin2 += u * u;
      quad2 += (v * v - 1) ** 2 / 2;
    }
    expect(worst).toBeLessThan(1e-5);
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan((5 * 0.2) / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(sum2 / n - mean * mean) / 0.2 - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    // On the sphere of radius sqrt(d): E<beta, x>^2 = 1 and E(<gamma, x>^2 - 1)^2 / 2 = (d - 1) / (d + 2) = 4 / 7.
    expect(Math.abs(lin2 / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(quad2 / n - 4 / 7)).toBeLessThan(0.05);
  });

  it('gives the committed bytes for seed 0, the same data for the same seed, and other data for another seed', () => {
    // Recorded from this implementation; they catch any change of the data across machines or versions.
    expect([fingerprint(data.train.x), fingerprint(data.train.y), fingerprint(data.test.y)]).toEqual(RF_SEED_0);
    expect(randomFeaturesRegression({ seed: 0 })).toEqual(data);
    const other = randomFeaturesRegression({ seed: 1 });
    expect(other.beta).not.toEqual(data.beta);
    expect(other.train.x).not.toEqual(data.train.x);
  });

  it('appends rows when train grows, and keeps the target and the test set', () => {
    const large = randomFeaturesRegression({ seed: 0, train: 150 });
    expect(large.train.x.subarray(0, data.train.x.length)).toEqual(data.train.x);
    expect(large.train.y.subarray(0, 100)).toEqual(data.train.y);
    expect([large.beta, large.gamma, large.test]).toEqual([data.beta, data.gamma, data.test]);
  });

  it('shows double descent under min-norm least squares on random ReLU features (float64, seed 0)', () => {
    const w = normalArray(10 * 1000, { seed: 0, std: 1 / Math.sqrt(10), stream: 'test-features' });
    const testError = (nFeatures: number): number => {
      const wn = new Float32Array(10 * nFeatures);
      for (let j = 0; j < 10; j++) wn.set(w.subarray(j * 1000, j * 1000 + nFeatures), j * nFeatures);
      const coef = minNorm(features(data.train, wn, nFeatures), data.train.y, 100, nFeatures);
      const phiTest = features(data.test, wn, nFeatures);
      let se = 0;
      for (let i = 0; i < data.test.n; i++) se += (dot(coef, phiTest, i * nFeatures) - data.test.y[i]) ** 2;
      return se / data.test.n;
    };
    const [under, atThreshold, over] = [testError(50), testError(100), testError(1000)];
    expect(atThreshold).toBeGreaterThan(5 * Math.max(under, over));
    expect(over).toBeLessThan(under);
  });

  it('rejects bad arguments by name', () => {
    const bad: [object, RegExp][] = [
      [{}, /seed is required/],
      [{ seed: 2 ** 32 }, /seed must be an integer between 0 and 4294967295/],
      [{ seed: 0, d: 1 }, /d must be between 2/],
      [{ seed: 0, train: 1.5 }, /train must be an integer/],
      [{ seed: 0, test: -2 }, /test must be between 0/],
      [{ seed: 0, train: 1e8 }, /train must be between 1 and 5000000/],
      [{ seed: 0, quadratic: NaN }, /quadratic must be a finite number/],
      [{ seed: 0, noiseStd: -1 }, /noiseStd must be >= 0/],
    ];
    for (const [o, message] of bad) {
      expect(() => randomFeaturesRegression(o as { seed: number })).toThrow(message);
      expect(() => randomFeaturesRegression(o as { seed: number })).toThrow(/^randomFeaturesRegression: /);
    }
  });
});

const RF_SEED_0 = [
  '5967e1b503d8e8623cf18bcc462ce133be55241fc1c7357170d09de9cb9c818f',
  '2eb730ecebacf3440d4db884ba042e764e069dbe7d09009efff0d8370afc8cbb',
  'c4a6716aa0c16fcc88d9d9929d482df39cad80f4b12a38f9170386557ab60984',
];
