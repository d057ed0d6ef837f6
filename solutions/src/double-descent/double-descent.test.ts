import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { minNormLeastSquares, reluFeatures, ridgeRegression } from './index';

// Float64 oracles from the normal equations, solved by Gaussian elimination with partial pivoting: a different route
// from the SVD the reference functions take.
type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const transpose = (a: M): M => (a.length === 0 ? [] : a[0].map((_, j) => a.map((r) => r[j])));
const addDiag = (a: M, l: number): M => a.map((r, i) => r.map((v, j) => (i === j ? v + l : v)));

function solve(a: M, b: M): M {
  const n = a.length;
  const x = a.map((r, i) => [...r, ...b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(x[r][c]) > Math.abs(x[p][c])) p = r;
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = x[r][c] / x[c][c];
      for (let k = c; k < x[r].length; k++) x[r][k] -= f * x[c][k];
    }
  }
  return x.map((r, i) => r.slice(n).map((v) => v / x[i][i]));
}

/** Min-norm least squares for a full-rank phi: (phi^T phi)^-1 phi^T y if tall, phi^T (phi phi^T)^-1 y if wide. */
function minNorm64(phi: M, y: M): M {
  const pt = transpose(phi);
  return phi.length >= phi[0].length ? solve(matmul(pt, phi), matmul(pt, y)) : matmul(pt, solve(matmul(phi, pt), y));
}
const ridge64 = (phi: M, y: M, l: number): M => {
  const pt = transpose(phi);
  return solve(addDiag(matmul(pt, phi), l), matmul(pt, y));
};

function randomMatrix(rows: number, cols: number, seed: number): M {
  let s = seed;
  const draw = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(draw())));
}
const toTensor = (a: M, rows: number, cols: number) => tf.tensor2d(a.flat(), [rows, cols], 'float32');

function expectClose(got: tf.Tensor, want: M, rtol: number): void {
  const g = got.dataSync();
  const flat = want.flat();
  const scale = Math.max(...flat.map(Math.abs), 1e-12);
  expect(got.shape).toEqual([want.length, want[0]?.length ?? 0]);
  flat.forEach((w, i) => expect(Math.abs(g[i] - w)).toBeLessThanOrEqual(rtol * scale));
}

const SEED = 20261125;
// Shapes well away from square so float32 is accurate: tall (n >= 2N) or wide (N >= 2n).
const system = fc
  .record({ small: fc.integer({ min: 1, max: 6 }), factor: fc.integer({ min: 2, max: 4 }), tall: fc.boolean(), k: fc.integer({ min: 1, max: 3 }), seed: fc.nat() })
  .map(({ small, factor, tall, k, seed }) => {
    const [n, N] = tall ? [small * factor, small] : [small, small * factor];
    return { n, N, k, phi: randomMatrix(n, N, seed), y: randomMatrix(n, k, seed + 1) };
  });

describe('reluFeatures', () => {
  it('is max(0, x w) computed in float64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 7 }), fc.nat(), (n, d, N, seed) => {
        const x = randomMatrix(n, d, seed);
        const w = randomMatrix(d, N, seed + 7);
        const got = reluFeatures(toTensor(x, n, d), toTensor(w, d, N));
        expect(got.shape).toEqual([n, N]);
        const want = matmul(x, w).map((r) => r.map((v) => Math.max(0, v)));
        got.dataSync().forEach((g, i) => expect(Math.abs(g - want.flat()[i])).toBeLessThan(1e-5));
        tf.dispose(got);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('least squares against float64 normal equations', () => {
  it('minNormLeastSquares matches the full-rank closed forms', () => {
    fc.assert(
      fc.property(system, ({ n, N, k, phi, y }) => {
        const [p, t] = [toTensor(phi, n, N), toTensor(y, n, k)];
        const w = minNormLeastSquares(p, t);
        expectClose(w, minNorm64(phi, y), 2e-4);
        tf.dispose([p, t, w]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('with more features than examples the min-norm solution interpolates and lies in the row space', () => {
    const [n, N] = [8, 30];
    const phi = randomMatrix(n, N, 3);
    const y = randomMatrix(n, 2, 4);
    const w = minNormLeastSquares(toTensor(phi, n, N), toTensor(y, n, 2));
    const wa = w.arraySync() as M;
    const fit = matmul(phi, wa);
    fit.flat().forEach((v, i) => expect(Math.abs(v - y.flat()[i])).toBeLessThan(1e-4));
    // Lying in the row space means being orthogonal to the null space, which contains z = (I - pinv(phi) phi) e_1.
    const pinvPhi = minNorm64(phi, Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
    const proj = matmul(pinvPhi, phi);
    const z = proj.map((r, i) => (i === 0 ? 1 : 0) - r[0]);
    for (let c = 0; c < 2; c++) expect(Math.abs(z.reduce((s, v, i) => s + v * wa[i][c], 0))).toBeLessThan(1e-4);
    tf.dispose(w);
  });

  it('a duplicated column gets half the weight in each copy (rank-deficient, pinv cuts the zero singular value)', () => {
    const base = randomMatrix(10, 3, 11);
    const phi = base.map((r) => [...r, r[0]]);
    const y = randomMatrix(10, 1, 12);
    const w = tf.tidy(() => minNormLeastSquares(toTensor(phi, 10, 4), toTensor(y, 10, 1)).dataSync());
    const w3 = minNorm64(base, y).map((r) => r[0]);
    expect(Math.abs(w[0] - w3[0] / 2)).toBeLessThan(1e-4);
    expect(Math.abs(w[3] - w3[0] / 2)).toBeLessThan(1e-4);
    expect(Math.abs(w[1] - w3[1])).toBeLessThan(1e-4);
  });

  it('ridgeRegression matches (phi^T phi + lambda I)^-1 phi^T y for every shape', () => {
    fc.assert(
      fc.property(system, fc.constantFrom(1e-3, 0.1, 1, 10), ({ n, N, k, phi, y }, lambda) => {
        const [p, t] = [toTensor(phi, n, N), toTensor(y, n, k)];
        const w = ridgeRegression(p, t, lambda);
        expectClose(w, ridge64(phi, y, lambda), 2e-4);
        tf.dispose([p, t, w]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('ridge shrinks the solution norm as lambda grows', () => {
    const p = toTensor(randomMatrix(20, 40, 5), 20, 40);
    const t = toTensor(randomMatrix(20, 1, 6), 20, 1);
    const norms = [1e-3, 1e-1, 1, 10].map((l) => tf.tidy(() => ridgeRegression(p, t, l).norm().dataSync()[0]));
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1]);
    tf.dispose([p, t]);
  });
});

describe('contract', () => {
  const phi = () => toTensor(randomMatrix(5, 3, 1), 5, 3);
  const y = () => toTensor(randomMatrix(5, 2, 2), 5, 2);

  it('returns one new tensor and leaks nothing; empty systems give zeros', () => {
    const [p, t, x, w] = [phi(), y(), toTensor(randomMatrix(5, 4, 3), 5, 4), toTensor(randomMatrix(4, 6, 4), 4, 6)];
    for (const call of [() => reluFeatures(x, w), () => minNormLeastSquares(p, t), () => ridgeRegression(p, t, 0.5)]) {
      const before = tf.memory().numTensors;
      const out = call();
      expect(tf.memory().numTensors).toBe(before + 1);
      out.dispose();
    }
    const empty = minNormLeastSquares(tf.zeros([0, 3]) as tf.Tensor2D, tf.zeros([0, 2]) as tf.Tensor2D);
    expect(empty.shape).toEqual([3, 2]);
    expect(Array.from(empty.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([p, t, x, w, empty]);
  });

  it('rejects bad arguments with an Error naming the argument', () => {
    const [p, t] = [phi(), y()];
    expect(() => reluFeatures(p, t)).toThrow(/reluFeatures: x has 3 columns but w has 5 rows/);
    expect(() => reluFeatures(tf.tensor1d([1]) as unknown as tf.Tensor2D, t)).toThrow(/reluFeatures: x must have rank 2/);
    expect(() => minNormLeastSquares(p, tf.zeros([4, 2]) as tf.Tensor2D)).toThrow(/minNormLeastSquares: phi has 5 rows but y has 4/);
    expect(() => minNormLeastSquares(p, t, -1)).toThrow(/minNormLeastSquares: rcond must be >= 0/);
    expect(() => ridgeRegression(p, t, 0)).toThrow(/ridgeRegression: lambda must be > 0/);
    expect(() => ridgeRegression(p, t, NaN)).toThrow(/ridgeRegression: lambda must be a finite number/);
    expect(() => ridgeRegression(p, 'y' as unknown as tf.Tensor2D, 1)).toThrow(/ridgeRegression: y must be a tf.Tensor/);
    tf.dispose([p, t]);
  });
});
