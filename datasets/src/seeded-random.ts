import seedrandom from 'seedrandom';
import { intOption, numberOption, seededOptions } from './validate';

// All randomness in this package comes from here: seedrandom's xor4096 (Brent's xorgens, integer arithmetic only),
// so a seed gives the same bits on every machine and backend, unlike tf.random*. Normals use Marsaglia's polar method,
// which needs only Math.log and Math.sqrt and avoids the trigonometric functions, where engines differ most; a
// one-ulp change in a draw could change the data, and the fingerprint tests would say so.

/** A stream of seeded draws. */
export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal (polar method; the second value of each pair is kept for the next call). */
  normal(): number;
}

/**
 * One independent stream per (seed, stream name): a generator draws its train and test parts from separate streams so
 * that asking for more training rows leaves the test rows (and the earlier training rows) unchanged.
 */
export function createRng(seed: number, stream: string): Rng {
  const prng = seedrandom.xor4096(`decaylab/${stream}/${seed}`);
  let spare: number | undefined;
  return {
    uniform: () => prng.double(),
    normal: () => {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * prng.double() - 1;
        v = 2 * prng.double() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const scale = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * scale;
      return u * scale;
    },
  };
}

/** Fisher-Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export interface NormalArrayOptions {
  /** Required: 0 .. 2^32-1. */
  seed: number;
  /** Default 0. */
  mean?: number;
  /** Default 1. */
  std?: number;
  /** Name of the stream, so that one seed can feed several independent draws. Default 'normal'. */
  stream?: string;
}

/**
 * `length` float32 draws from N(mean, std^2), identical on every machine for the same options. For seeded weights a
 * notebook needs (e.g. random-feature matrices) where tf.randomNormal would differ between backends.
 */
export function normalArray(length: number, options: NormalArrayOptions): Float32Array {
  const fn = 'normalArray';
  const n = intOption(fn, 'length', length, undefined, 0);
  const { o, seed } = seededOptions(fn, options);
  const mean = numberOption(fn, 'mean', o.mean, 0);
  const std = numberOption(fn, 'std', o.std, 1, 0);
  const stream = streamOption(fn, o.stream, 'normal');
  const rng = createRng(seed, `normal-array/${stream}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, options: { seed: number; stream?: string }): Int32Array {
  const fn = 'permutation';
  const size = intOption(fn, 'n', n, undefined, 0);
  const { o, seed } = seededOptions(fn, options);
  const stream = streamOption(fn, o.stream, 'permutation');
  return shuffledIndices(size, createRng(seed, `permutation/${stream}`));
}

function streamOption(fn: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${fn}: stream must be a non-empty string, got ${typeof value}`);
  }
  return value;
}
