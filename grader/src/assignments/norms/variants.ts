import { variantsOf, type CourseSection, type Variant } from '../../core/misconception';

// Known wrong versions of the norms, in float64 on flat arrays (matrices row-major with their column count), each
// with the section of chapter 1 that explains the right formula.

const VECTOR_NORMS: CourseSection = { chapter: '01-norms', heading: '1. Vector norms' };
const MATRIX_NORMS: CourseSection = { chapter: '01-norms', heading: '3. Matrix norms' };

type Flat = ArrayLike<number>;

const F32_MAX = 3.4028234663852886e38;
const sum = (x: Flat, f: (v: number) => number) => Array.from(x).reduce((s, v) => s + f(v), 0);
const max = (x: Flat, f: (v: number) => number) => Array.from(x).reduce((m, v) => Math.max(m, f(v)), -Infinity);

export const lpVariants: Variant<(x: Flat, p: number) => number>[] = variantsOf('lpNorm', VECTOR_NORMS, [
  { id: 'no-root', says: 'it returns sum |x_i|^p without the 1/p-th root', fn: (x, p) => sum(x, (v) => Math.abs(v) ** p) },
  { id: 'no-abs', says: 'it raises x_i instead of |x_i| to the power p (negative entries cancel for odd p)', fn: (x, p) => sum(x, (v) => v ** p) ** (1 / p) },
  { id: 'mean', says: 'it averages |x_i|^p instead of summing', fn: (x, p) => (sum(x, (v) => Math.abs(v) ** p) / Math.max(1, x.length)) ** (1 / p) },
  { id: 'root-p', says: 'it takes the p-th power of the sum instead of its 1/p-th root', fn: (x, p) => sum(x, (v) => Math.abs(v) ** p) ** p },
]);

export const l2Variants: Variant<(x: Flat) => number>[] = variantsOf('l2Norm', VECTOR_NORMS, [
  { id: 'squared', says: 'it returns the squared norm (no square root)', fn: (x) => sum(x, (v) => v * v) },
  {
    id: 'overflow',
    says: 'squaring entries around 1e30 overflows float32 to Infinity; divide by the largest |x_i| first, then multiply back',
    fn: (x) => (sum(x, (v) => v * v) > F32_MAX ? Infinity : Math.sqrt(sum(x, (v) => v * v))),
  },
  { id: 'l1', says: 'it returns the sum of absolute values (the L1 norm)', fn: (x) => sum(x, Math.abs) },
]);

export const l1Variants: Variant<(x: Flat) => number>[] = variantsOf('l1Norm', VECTOR_NORMS, [
  { id: 'no-abs', says: 'it sums x_i instead of |x_i|', fn: (x) => sum(x, (v) => v) },
  { id: 'l2', says: 'it returns the Euclidean norm instead of the sum of absolute values', fn: (x) => Math.sqrt(sum(x, (v) => v * v)) },
]);

export const linfVariants: Variant<(x: Flat) => number>[] = variantsOf('linfNorm', VECTOR_NORMS, [
  { id: 'no-abs', says: 'it takes the largest x_i instead of the largest |x_i|', fn: (x) => max(x, (v) => v) },
  { id: 'sum', says: 'it sums the absolute values instead of taking the largest', fn: (x) => sum(x, Math.abs) },
]);

type Matrix = (a: Flat, cols: number) => number;

export const frobeniusVariants: Variant<Matrix>[] = variantsOf('frobeniusNorm', MATRIX_NORMS, [
  { id: 'squared', says: 'it returns the sum of squares (no square root)', fn: (a) => sum(a, (v) => v * v) },
  { id: 'spectral', says: 'it returns the largest singular value instead of sqrt(sum a_ij^2)', fn: (a, c) => topSingularValue(a, c) },
]);

export const spectralVariants: Variant<Matrix>[] = variantsOf('spectralNorm', MATRIX_NORMS, [
  { id: 'frobenius', says: 'it returns the Frobenius norm; the spectral norm is the largest singular value', fn: (a) => Math.sqrt(sum(a, (v) => v * v)) },
  { id: 'max-entry', says: 'it returns the largest |a_ij| instead of the largest singular value', fn: (a) => max(a, Math.abs) },
  {
    id: 'eigenvalue',
    says: 'it returns the largest eigenvalue of a^T a, the square of the singular value (take the square root)',
    fn: (a, c) => topSingularValue(a, c) ** 2,
  },
  { id: 'row-sum', says: 'it returns the largest absolute row sum (the induced infinity-norm)', fn: (a, c) => lineSums(a, c, true) },
  { id: 'column-sum', says: 'it returns the largest absolute column sum (the induced 1-norm)', fn: (a, c) => lineSums(a, c, false) },
]);

/** Largest singular value by float64 power iteration on a^T a (enough iterations for the test matrices' gaps). */
export function topSingularValue(a: Flat, cols: number): number {
  const rows = a.length / cols;
  let v = Array.from({ length: cols }, (_, j) => 1 + j / cols);
  let sigma = 0;
  for (let k = 0; k < 500; k++) {
    const av = Array.from({ length: rows }, (_, i) => v.reduce((s, vj, j) => s + a[i * cols + j] * vj, 0));
    const atav = Array.from({ length: cols }, (_, j) => av.reduce((s, x, i) => s + a[i * cols + j] * x, 0));
    const norm = Math.hypot(...atav) || 1;
    v = atav.map((x) => x / norm);
    sigma = Math.sqrt(norm);
  }
  return sigma;
}

function lineSums(a: Flat, cols: number, byRow: boolean): number {
  const rows = a.length / cols;
  const n = byRow ? rows : cols;
  let best = 0;
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let l = 0; l < (byRow ? cols : rows); l++) s += Math.abs(byRow ? a[k * cols + l] : a[l * cols + k]);
    best = Math.max(best, s);
  }
  return best;
}
