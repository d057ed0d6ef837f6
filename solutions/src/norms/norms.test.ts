import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-node';
import { frobeniusNorm, l1Norm, l2Norm, linfNorm, lpNorm, spectralNorm } from './index';

// Float64 oracles written from the definitions, on plain arrays.
const lp64 = (x: number[], p: number): number =>
  p === Infinity
    ? x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    : Math.pow(
        x.reduce((s, v) => s + Math.abs(v) ** p, 0),
        1 / p,
      );

/** Orthonormal columns by Gram-Schmidt in float64 (rows x cols, cols <= rows). */
function orthonormal(rows: number, cols: number, draw: () => number): number[][] {
  const q: number[][] = [];
  while (q.length < cols) {
    let c = Array.from({ length: rows }, draw);
    for (const e of q) {
      const d = c.reduce((s, v, i) => s + v * e[i], 0);
      c = c.map((v, i) => v - d * e[i]);
    }
    const n = Math.hypot(...c);
    if (n > 1e-6) q.push(c.map((v) => v / n));
  }
  return q; // q[k] is column k
}

const SEED = 20261125;
const f32 = (lim: number) => fc.float({ min: -lim, max: lim, noNaN: true, noDefaultInfinity: true });
const shape = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 });
const tensorCase = shape.chain((s) => {
  const size = s.reduce((a, b) => a * b, 1);
  return fc.record({ shape: fc.constant(s), values: fc.array(f32(100), { minLength: size, maxLength: size }) });
});

describe('vector norms against float64', () => {
  it.each([1, 1.5, 2, 3, 7, Infinity])('lpNorm with p = %p', (p) => {
    fc.assert(
      fc.property(tensorCase, ({ shape: s, values }) => {
        const x = tf.tensor(values, s, 'float32');
        const got = lpNorm(x, p);
        expect(got.shape).toEqual([]);
        const want = lp64(Array.from(x.dataSync()), p);
        expect(Math.abs(got.dataSync()[0] - want)).toBeLessThanOrEqual(1e-5 * want + 1e-6);
        tf.dispose([x, got]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('l1Norm, l2Norm and linfNorm are the p = 1, 2, Infinity cases', () => {
    fc.assert(
      fc.property(tensorCase, ({ shape: s, values }) => {
        const x = tf.tensor(values, s, 'float32');
        const xs = Array.from(x.dataSync());
        for (const [f, p] of [
          [l1Norm, 1],
          [l2Norm, 2],
          [linfNorm, Infinity],
        ] as const) {
          const got = f(x);
          const want = lp64(xs, p);
          expect(Math.abs(got.dataSync()[0] - want)).toBeLessThanOrEqual(1e-5 * want + 1e-6);
          got.dispose();
        }
        x.dispose();
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('large p and large entries neither overflow nor underflow in float32', () => {
    tf.tidy(() => {
      const rel = (t: tf.Scalar, want: number) => Math.abs(t.dataSync()[0] - want) / want;
      // squares of 4e30 overflow float32 and squares of 4e-30 underflow it; the scaled computation avoids both
      expect(rel(l2Norm(tf.tensor([3e30, -4e30, 1e-30])), 5e30)).toBeLessThan(1e-6);
      expect(rel(l2Norm(tf.tensor([3e-30, 4e-30])), 5e-30)).toBeLessThan(1e-6);
      expect(rel(lpNorm(tf.tensor([1, 2, 3]), 200), lp64([1, 2, 3], 200))).toBeLessThan(1e-6);
    });
  });

  it('the zero vector and the empty tensor have norm 0 for every p', () => {
    tf.tidy(() => {
      for (const p of [1, 2, 5, Infinity]) {
        expect(lpNorm(tf.zeros([4]), p).dataSync()[0]).toBe(0);
        expect(lpNorm(tf.zeros([0, 3]), p).dataSync()[0]).toBe(0);
      }
    });
  });
});

describe('matrix norms', () => {
  it('frobeniusNorm is the L2 norm of the entries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.infiniteStream(f32(10)), (m, n, s) => {
        const vals = Array.from({ length: m * n }, () => s.next().value as number);
        const a = tf.tensor2d(vals, [m, n]);
        const want = lp64(Array.from(a.dataSync()), 2);
        const got = frobeniusNorm(a);
        expect(Math.abs(got.dataSync()[0] - want)).toBeLessThanOrEqual(1e-5 * want + 1e-6);
        tf.dispose([a, got]);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('spectralNorm recovers the top singular value of A = Q1 diag(s) Q2^T built in float64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (m, n, seed) => {
        let state = seed;
        const draw = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
        const k = Math.min(m, n);
        // singular values 5, 5*0.7, 5*0.7^2, ...: a gap that 100 iterations resolve to float32 precision
        const s = Array.from({ length: k }, (_, i) => 5 * 0.7 ** i);
        const u = orthonormal(m, k, draw);
        const v = orthonormal(n, k, draw);
        const a = Array.from({ length: m * n }, (_, idx) => {
          const [i, j] = [Math.floor(idx / n), idx % n];
          return s.reduce((acc, si, r) => acc + u[r][i] * si * v[r][j], 0);
        });
        const at = tf.tensor2d(a, [m, n]);
        const got = spectralNorm(at);
        expect(Math.abs(got.dataSync()[0] - 5)).toBeLessThan(5e-5);
        tf.dispose([at, got]);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('spectralNorm agrees with the native SVD on a random 40 x 25 matrix', () => {
    const a = tf.randomNormal([40, 25], 0, 1, 'float32', 7) as tf.Tensor2D;
    const b = tf.backend() as unknown as { binding: Record<string, number>; executeMultipleOutputs: (...args: unknown[]) => unknown };
    const attrs = [
      { name: 'compute_uv', type: b.binding.TF_ATTR_BOOL, value: false },
      { name: 'full_matrices', type: b.binding.TF_ATTR_BOOL, value: false },
      { name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT },
    ];
    const [s, ...rest] = b.executeMultipleOutputs('Svd', attrs, [a], 3) as tf.Tensor[];
    const top = s.dataSync()[0];
    expect(Math.abs(spectralNorm(a, 500).dataSync()[0] - top) / top).toBeLessThan(1e-4);
    tf.dispose([a, s, ...rest]);
  });

  it('the zero and the empty matrix have spectral norm 0', () => {
    tf.tidy(() => {
      expect(spectralNorm(tf.zeros([3, 4])).dataSync()[0]).toBe(0);
      expect(spectralNorm(tf.zeros([0, 4])).dataSync()[0]).toBe(0);
    });
  });
});

describe('contract', () => {
  it('returns one new scalar and leaks nothing', () => {
    const a = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const calls: (() => tf.Tensor)[] = [() => lpNorm(a, 3), () => l1Norm(a), () => l2Norm(a), () => linfNorm(a), () => frobeniusNorm(a), () => spectralNorm(a)];
    for (const call of calls) {
      const before = tf.memory().numTensors;
      const out = call();
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(out.dtype).toBe('float32');
      out.dispose();
    }
    a.dispose();
  });

  it('rejects bad arguments with an Error naming the argument', () => {
    const x = tf.tensor([1, 2]);
    expect(() => lpNorm([1, 2] as unknown as tf.Tensor, 2)).toThrow(/lpNorm: x must be a tf.Tensor/);
    expect(() => lpNorm(x, 0.5)).toThrow(/lpNorm: p must be a number >= 1/);
    expect(() => lpNorm(x, NaN)).toThrow(/lpNorm: p must be/);
    expect(() => l1Norm(tf.tensor([1], [1], 'int32'))).toThrow(/l1Norm: x must be float32/);
    expect(() => frobeniusNorm(x as unknown as tf.Tensor2D)).toThrow(/frobeniusNorm: a must have rank 2/);
    expect(() => spectralNorm(tf.zeros([2, 2]), 0)).toThrow(/spectralNorm: iterations must be a positive integer/);
    const gone = tf.tensor([1]);
    gone.dispose();
    expect(() => l2Norm(gone)).toThrow(/l2Norm: x has been disposed/);
  });
});
