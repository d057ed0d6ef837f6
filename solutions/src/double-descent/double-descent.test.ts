import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { minNormLeastSquares, reluFeatures, ridgeRegression } from './index';
import { gramConditionEstimate } from './condition-estimate';
import { factorGram } from './gram-solve';
import { minNormSolution } from './least-squares';

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
  .record({
    small: fc.integer({ min: 1, max: 6 }),
    factor: fc.integer({ min: 2, max: 4 }),
    tall: fc.boolean(),
    k: fc.integer({ min: 1, max: 3 }),
    seed: fc.nat(),
  })
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
    const pinvPhi = minNorm64(
      phi,
      Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))),
    );
    const proj = matmul(pinvPhi, phi);
    const z = proj.map((r, i) => (i === 0 ? 1 : 0) - r[0]);
    for (let c = 0; c < 2; c++) expect(Math.abs(z.reduce((s, v, i) => s + v * wa[i][c], 0))).toBeLessThan(1e-4);
    tf.dispose(w);
  });

  it('a duplicated column gets half the weight in each copy (rank-deficient, pinv cuts the zero singular value)', () => {
    const base = randomMatrix(10, 3, 11);
    const phi = base.map((r) => [...r, r[0]]);
    const y = randomMatrix(10, 1, 12);
    const w = tf.tidy(() => {
      const solution = minNormSolution(toTensor(phi, 10, 4), toTensor(y, 10, 1));
      expect(solution.route).toBe('svd');
      return solution.w.dataSync();
    });
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

/** Orthonormal columns (float64 Gram-Schmidt on a seeded matrix): rows x k. */
function orthonormal(rows: number, k: number, seed: number): M {
  const cols = transpose(randomMatrix(rows, k, seed));
  const q: number[][] = [];
  for (const c of cols) {
    const v = [...c];
    for (const u of q) {
      const dot = u.reduce((s, x, i) => s + x * v[i], 0);
      u.forEach((x, i) => (v[i] -= dot * x));
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return transpose(q);
}

/** A system with chosen singular values: phi = u diag(s) v^T rounded to float32, and the float64 pinv(phi) y that keeps s_i > rcond * s_max. */
function systemWithSpectrum(n: number, N: number, s: number[], seed: number) {
  const u = orthonormal(n, s.length, seed);
  const v = orthonormal(N, s.length, seed + 1);
  const phi = matmul(
    u.map((r) => r.map((x, j) => x * s[j])),
    transpose(v),
  ).map((r) => r.map(Math.fround));
  const y = randomMatrix(n, 2, seed + 2);
  const pinv = (rcond: number): M => {
    const keep = s.map((x) => (x > rcond * Math.max(...s) ? 1 / x : 0));
    return matmul(
      v,
      matmul(transpose(u), y).map((r, i) => r.map((x) => x * keep[i])),
    );
  };
  return { phi, y, pinv };
}
/** Singular values from 1 down to 1/kappa, half of them clustered at the bottom (inverse iteration converges slowest there). */
const spectrum = (k: number, kappa: number) => Array.from({ length: k }, (_, i) => (i < k / 2 ? kappa ** (-i / k) : 1 / kappa) * (1 + 1e-3 * i));

describe('minNormLeastSquares routes: the Gram matrix where phi is well conditioned, the SVD near N = n', () => {
  it('the condition estimate falls short of kappa(phi) by less than 1.5x and exceeds it by at most k^(1/4), for kappa from 2 to 2000', () => {
    for (const [n, N] of [
      [40, 12],
      [12, 40],
      [30, 30],
    ]) {
      for (const kappa of [2, 30, 300, 2000]) {
        const s = spectrum(Math.min(n, N), kappa);
        const { phi } = systemWithSpectrum(n, N, s, kappa + n);
        const estimate = tf.tidy(() => {
          const gram = factorGram(toTensor(phi, n, N));
          return gramConditionEstimate(gram.g, gram.l);
        });
        const exact = Math.max(...s) / Math.min(...s);
        // ||g||_F overstates lambda_max by at most sqrt(k); inverse iteration can only understate ||g^-1||.
        expect(estimate / exact).toBeGreaterThan(1 / 1.5);
        expect(estimate / exact).toBeLessThan(1.01 * Math.min(n, N) ** 0.25);
      }
    }
  });

  it('takes the Gram route at kappa 10 and 600, the SVD route at 2000 and 3e4, matches the float64 pinv and leaks nothing on both', () => {
    for (const [n, N] of [
      [48, 16],
      [16, 48],
      [24, 24],
    ]) {
      for (const [kappa, route] of [
        [10, 'gram'],
        [600, 'gram'],
        [2000, 'svd'],
        [3e4, 'svd'],
      ] as const) {
        const { phi, y, pinv } = systemWithSpectrum(n, N, spectrum(Math.min(n, N), kappa), kappa + N);
        const [p, t] = [toTensor(phi, n, N), toTensor(y, n, 2)];
        const before = tf.memory().numTensors;
        const solution = minNormSolution(p, t);
        expect(tf.memory().numTensors).toBe(before + 1);
        expect({ n, N, kappa, route: solution.route }).toEqual({ n, N, kappa, route });
        // Float32 rounding of phi alone moves the solution by ~eps * kappa (square: up to eps * kappa^2 from the residual).
        expectClose(solution.w, pinv(0), Math.max(2e-5, 2e-7 * kappa * (n === N ? kappa : 4)));
        tf.dispose([p, t, solution.w]);
      }
    }
  });

  it('with rcond, the Gram route is taken only where no singular value can be cut; the result is the truncated pinv', () => {
    const rcond = 0.05;
    for (const [kappa, route] of [
      [5, 'gram'],
      [15, 'svd'],
      [40, 'svd'],
    ] as const) {
      const { phi, y, pinv } = systemWithSpectrum(10, 30, spectrum(10, kappa), 7 + kappa);
      tf.tidy(() => {
        const solution = minNormSolution(toTensor(phi, 10, 30), toTensor(y, 10, 2), rcond);
        expect({ kappa, route: solution.route }).toEqual({ kappa, route });
        expectClose(solution.w, pinv(rcond), 2e-5);
      });
    }
  });

  it('on random ReLU features the route is Gram away from N = n and the SVD at it, and the Gram solution matches float64', () => {
    const [n, d] = [60, 20];
    const x = randomMatrix(n, d, 31).map((r) => r.map((v) => Math.max(0, v)));
    const y = randomMatrix(n, 3, 32);
    for (const [N, route] of [
      [12, 'gram'],
      [60, 'svd'],
      [240, 'gram'],
    ] as const) {
      const w = randomMatrix(d, N, 33);
      const phi = matmul(x, w).map((r) => r.map((v) => Math.fround(Math.max(0, v))));
      tf.tidy(() => {
        const solution = minNormSolution(toTensor(phi, n, N), toTensor(y, n, 3));
        expect({ N, route: solution.route }).toEqual({ N, route });
        if (route === 'gram') expectClose(solution.w, minNorm64(phi, y), 1e-5);
      });
    }
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
