import { d2lLinearRegression } from './d2l-linear-regression';
import { fingerprint } from './fingerprint';
import type { RegressionSplit } from './splits';

/** y - (b + x.w) per row, in float64. */
function residuals(s: RegressionSplit, w: Float32Array, b: number): Float64Array {
  const r = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) {
    let f = b;
    for (let j = 0; j < s.d; j++) f += w[j] * s.x[i * s.d + j];
    r[i] = s.y[i] - f;
  }
  return r;
}

function meanAndStd(v: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    s2 += v[i] * v[i];
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean) };
}

describe('d2lLinearRegression', () => {
  it('has the D2L defaults: d = 200, 20 train, 100 test, w = 0.01, b = 0.05', () => {
    const data = d2lLinearRegression({ seed: 0 });
    expect([data.train.n, data.train.d, data.train.x.length, data.train.y.length]).toEqual([20, 200, 4000, 20]);
    expect([data.test.n, data.test.d, data.test.x.length, data.test.y.length]).toEqual([100, 200, 20000, 100]);
    expect(data.w).toEqual(new Float32Array(200).fill(0.01));
    expect(data.b).toBe(0.05);
    expect(data.noiseStd).toBe(0.01);
  });

  it('gives the committed bytes for seed 0 and identical data for the same seed', () => {
    const data = d2lLinearRegression({ seed: 0 });
    // Recorded from this implementation; they catch any change of the data across machines or versions.
    expect([fingerprint(data.train.x), fingerprint(data.train.y)]).toEqual(D2L_SEED_0_TRAIN);
    expect([fingerprint(data.test.x), fingerprint(data.test.y)]).toEqual(D2L_SEED_0_TEST);
    expect(d2lLinearRegression({ seed: 0 })).toEqual(data);
  });

  it('differs between seeds, and between train and test', () => {
    const a = d2lLinearRegression({ seed: 1 });
    const b = d2lLinearRegression({ seed: 2 });
    expect(b.train.x).not.toEqual(a.train.x);
    expect(b.test.y).not.toEqual(a.test.y);
    expect(a.test.x.subarray(0, 4000)).not.toEqual(a.train.x);
  });

  it('appends rows when train grows, and keeps the test set', () => {
    const small = d2lLinearRegression({ seed: 5 });
    const large = d2lLinearRegression({ seed: 5, train: 50 });
    expect(large.train.x.subarray(0, small.train.x.length)).toEqual(small.train.x);
    expect(large.train.y.subarray(0, 20)).toEqual(small.train.y);
    expect(large.test).toEqual(small.test);
  });

  it('draws x ~ N(0, 1) and noise y - (b + x.w) ~ N(0, 0.01^2)', () => {
    const n = 20_000;
    const data = d2lLinearRegression({ seed: 3, train: n, test: 0 });
    const x = meanAndStd(data.train.x);
    const m = data.train.x.length;
    expect(Math.abs(x.mean)).toBeLessThan(5 / Math.sqrt(m));
    expect(Math.abs(x.std - 1)).toBeLessThan(5 / Math.sqrt(2 * m));
    const eps = meanAndStd(residuals(data.train, data.w, data.b));
    expect(Math.abs(eps.mean)).toBeLessThan((5 * 0.01) / Math.sqrt(n));
    expect(Math.abs(eps.std / 0.01 - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
  });

  it('computes y exactly from the returned X when there is no noise, with custom w, b and d', () => {
    const data = d2lLinearRegression({ seed: 4, d: 7, train: 30, test: 10, weight: -0.5, bias: 2, noiseStd: 0 });
    expect(data.w).toEqual(new Float32Array(7).fill(-0.5));
    for (const split of [data.train, data.test]) {
      // Only the float32 rounding of y remains.
      for (const r of residuals(split, data.w, data.b)) expect(Math.abs(r)).toBeLessThan(1e-5);
    }
  });

  it('rejects bad arguments by name', () => {
    const bad: [object, RegExp][] = [
      [{}, /seed is required/],
      [{ seed: 0.5 }, /seed must be an integer/],
      [{ seed: 0, d: 0 }, /d must be between 1/],
      [{ seed: 0, train: 2.5 }, /train must be an integer/],
      [{ seed: 0, train: 0 }, /train must be between 1/],
      [{ seed: 0, test: -1 }, /test must be between 0/],
      [{ seed: 0, train: 1e9 }, /train must be between 1 and 250000/],
      [{ seed: 0, noiseStd: -0.1 }, /noiseStd must be >= 0/],
      [{ seed: 0, weight: Infinity }, /weight must be a finite number/],
      [{ seed: 0, bias: '1' }, /bias must be a finite number/],
    ];
    for (const [o, message] of bad) {
      expect(() => d2lLinearRegression(o as { seed: number })).toThrow(message);
      expect(() => d2lLinearRegression(o as { seed: number })).toThrow(/^d2lLinearRegression: /);
    }
    expect(() => d2lLinearRegression(undefined as unknown as { seed: number })).toThrow(/seed is required/);
    expect(() => d2lLinearRegression(7 as unknown as { seed: number })).toThrow(/options must be an object/);
  });
});

const D2L_SEED_0_TRAIN = [
  '2291521d9d2964bfffc3ab9f213492c30d73113e8fd01c9439bfaed428bbd8df',
  'b09078839ffa6052ae517eef4052cf7f329b51b0abfd742c8f5f8f00d47bf23c',
];
const D2L_SEED_0_TEST = [
  '5dd262b2a080ef2e3403506e761a21f527642d8cd6e2ee8a39d5a7e961f8567d',
  '9b86f6fdb72cdb978091cacce60b52c199c0e687cd699661cc38848630a6dc7d',
];
