import { variantsOf, type CourseSection, type Variant } from '../../core/misconception';

// Known wrong versions of the decay API, in float64 on flat arrays. When a submission fails a test, the grader checks
// whether its output matches one of these on the same case, and if so says which misconception it shows and where
// chapter 2 explains it.

export type Flat = ArrayLike<number>;

const CHAPTER = '02-l2-vs-decay';
const TWO_VIEWS: CourseSection = { chapter: CHAPTER, heading: '1. Two views of the same idea' };
const CONVENTIONS: CourseSection = { chapter: CHAPTER, heading: 'The conventions, with numbers' };
const ADAM: CourseSection = { chapter: CHAPTER, heading: '4. Adam: where the equivalence breaks' };
const L2_PENALTY: CourseSection = { chapter: '01-norms', heading: '4. Why the squared $L_2$ norm is the usual penalty' };

type Elementwise = (w: number, g: number, lr: number, c: number) => number;

export const l2PenaltyVariants: Variant<(ws: Flat[]) => number>[] = variantsOf('l2Penalty', TWO_VIEWS, [
  { id: 'missing-half', says: 'it equals sum ||w||^2 without the factor 1/2', fn: (ws) => sum(ws, (x) => x * x) },
  { id: 'l1', says: 'it equals the L1 norm sum |w| instead of the squared L2 norm', section: L2_PENALTY, fn: (ws) => sum(ws, Math.abs) },
  { id: 'half-l1', says: 'it equals 0.5 * sum |w| (an L1 penalty) instead of the squared L2 norm', section: L2_PENALTY, fn: (ws) => 0.5 * sum(ws, Math.abs) },
  { id: 'not-squared', says: 'it equals the plain norm ||w|| instead of its square', section: L2_PENALTY, fn: (ws) => Math.sqrt(sum(ws, (x) => x * x)) },
  { id: 'half-not-squared', says: 'it equals 0.5 * ||w|| instead of 0.5 * ||w||^2', section: L2_PENALTY, fn: (ws) => 0.5 * Math.sqrt(sum(ws, (x) => x * x)) },
  { id: 'mean', says: 'it averages the squares instead of summing them', fn: (ws) => (0.5 * sum(ws, (x) => x * x)) / Math.max(1, count(ws)) },
  { id: 'first-only', says: 'it only counts the first tensor of the list', fn: (ws) => 0.5 * sum(ws.slice(0, 1), (x) => x * x) },
]);

export const sgdL2Variants: Variant<Elementwise>[] = variantsOf('sgdL2Step', TWO_VIEWS, [
  { id: 'wrong-sign', says: 'it moves the weights along the gradient (w + lr * ...) instead of against it', fn: (w, g, lr, c) => w + lr * (g + c * w) },
  { id: 'penalty-without-lr', says: 'it subtracts l2 * w without multiplying it by lr', fn: (w, g, lr, c) => w - lr * g - c * w },
  { id: 'half-l2', says: 'it adds (l2 / 2) * w to the gradient; the gradient of (l2/2)||w||^2 is l2 * w', fn: (w, g, lr, c) => w - lr * (g + 0.5 * c * w) },
  { id: 'l1', says: 'it adds l2 * sign(w) (an L1 penalty) instead of l2 * w', section: L2_PENALTY, fn: (w, g, lr, c) => w - lr * (g + c * Math.sign(w)) },
  { id: 'no-l2', says: 'it ignores l2 altogether', fn: (w, g, lr) => w - lr * g },
]);

export const sgdDecayVariants: Variant<Elementwise>[] = variantsOf('sgdDecayStep', TWO_VIEWS, [
  {
    id: 'decay-without-lr',
    says: 'it shrinks the weights by (1 - weightDecay) instead of (1 - lr * weightDecay)',
    section: CONVENTIONS,
    fn: (w, g, lr, c) => w * (1 - c) - lr * g,
  },
  { id: 'wrong-sign', says: 'it moves the weights along the gradient instead of against it', fn: (w, g, lr, c) => w * (1 - lr * c) + lr * g },
  { id: 'decay-grows', says: 'it multiplies the weights by (1 + lr * weightDecay): decay must shrink them', fn: (w, g, lr, c) => w * (1 + lr * c) - lr * g },
  { id: 'decay-after-step', says: 'it shrinks the weights after the gradient step instead of before it', fn: (w, g, lr, c) => (w - lr * g) * (1 - lr * c) },
  { id: 'no-decay', says: 'it ignores weightDecay altogether', fn: (w, g, lr) => w - lr * g },
]);

export type AdamHyper = { lr: number; beta1: number; beta2: number; eps: number; coef: number };
export type AdamState64 = { t: number; m: Float64Array[]; v: Float64Array[] };

/** The knobs along which students' Adam steps go wrong. The two correct rules are ADAM_W and ADAM_L2. */
export type AdamRule = {
  gradL2: number;
  shrink: 'lr' | 'nolr' | 'none' | 'after';
  bias: 'new' | 'none' | 'old';
  epsInside: boolean;
  sign: 1 | -1;
  advance: boolean;
  keepMoments: boolean;
};

export const ADAM_W: AdamRule = { gradL2: 0, shrink: 'lr', bias: 'new', epsInside: false, sign: 1, advance: true, keepMoments: true };
export const ADAM_L2: AdamRule = { ...ADAM_W, gradL2: 1, shrink: 'none' };

const commonAdam = (base: AdamRule): { id: string; says: string; fn: AdamRule }[] => [
  { id: 'no-bias-correction', says: 'it skips the bias correction mhat = m / (1 - beta1^t), vhat = v / (1 - beta2^t)', fn: { ...base, bias: 'none' } },
  { id: 'stale-bias-correction', says: 'its bias correction uses the old step count t instead of t + 1', fn: { ...base, bias: 'old' } },
  { id: 'eps-inside-sqrt', says: 'it adds eps inside the square root (sqrt(vhat + eps)) instead of after it', fn: { ...base, epsInside: true } },
  { id: 'wrong-sign', says: 'it moves the weights along the update instead of against it', fn: { ...base, sign: -1 } },
  { id: 'step-counter-not-advanced', says: 'it does not advance state.t, so every step is bias-corrected as step 1', fn: { ...base, advance: false } },
  { id: 'moments-not-kept', says: 'it returns the old moments m and v instead of the updated ones', fn: { ...base, keepMoments: false } },
];

export const adamWVariants: Variant<AdamRule>[] = variantsOf('adamWStep', ADAM, [
  {
    id: 'l2-in-gradient',
    says: 'your adamWStep equals Adam with L2 added to the gradient; decoupled decay shrinks the weights outside the moments',
    fn: { ...ADAM_W, gradL2: 1, shrink: 'none' },
  },
  {
    id: 'decay-without-lr',
    says: 'it shrinks the weights by (1 - weightDecay) instead of (1 - lr * weightDecay)',
    section: CONVENTIONS,
    fn: { ...ADAM_W, shrink: 'nolr' },
  },
  { id: 'decay-after-step', says: 'it shrinks the already-updated weights instead of shrinking w before the Adam step', fn: { ...ADAM_W, shrink: 'after' } },
  { id: 'both-decays', says: 'it both adds weightDecay * w to the gradient and shrinks the weights; AdamW does only the latter', fn: { ...ADAM_W, gradL2: 1 } },
  { id: 'no-decay', says: 'it ignores weightDecay altogether (plain Adam)', fn: { ...ADAM_W, shrink: 'none' } },
  ...commonAdam(ADAM_W),
]);

export const adamL2Variants: Variant<AdamRule>[] = variantsOf('adamL2Step', ADAM, [
  {
    id: 'decoupled-instead',
    says: 'your adamL2Step equals AdamW: with L2 the term l2 * w joins the gradient and so enters both moments',
    fn: { ...ADAM_L2, gradL2: 0, shrink: 'lr' },
  },
  { id: 'half-l2', says: 'it adds (l2 / 2) * w to the gradient; the gradient of (l2/2)||w||^2 is l2 * w', fn: { ...ADAM_L2, gradL2: 0.5 } },
  { id: 'no-l2', says: 'it ignores l2 altogether (plain Adam)', fn: { ...ADAM_L2, gradL2: 0 } },
  ...commonAdam(ADAM_L2),
]);

export function adamStep64(w: Flat[], g: Flat[], s: AdamState64, h: AdamHyper, rule: AdamRule): { w: Float64Array[]; state: AdamState64 } {
  const t = s.t + 1;
  const tb = rule.bias === 'old' ? s.t : t;
  const bc1 = rule.bias === 'none' ? 1 : 1 - Math.pow(h.beta1, tb);
  const bc2 = rule.bias === 'none' ? 1 : 1 - Math.pow(h.beta2, tb);
  const outW: Float64Array[] = [];
  const outM: Float64Array[] = [];
  const outV: Float64Array[] = [];
  w.forEach((wi, i) => {
    const n = wi.length;
    const [nw, nm, nv] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let j = 0; j < n; j++) {
      const gj = g[i][j] + rule.gradL2 * h.coef * wi[j];
      nm[j] = h.beta1 * s.m[i][j] + (1 - h.beta1) * gj;
      nv[j] = h.beta2 * s.v[i][j] + (1 - h.beta2) * gj * gj;
      const vhat = nv[j] / bc2;
      const denom = rule.epsInside ? Math.sqrt(vhat + h.eps) : Math.sqrt(vhat) + h.eps;
      const step = (rule.sign * h.lr * (nm[j] / bc1)) / denom;
      const shrink = rule.shrink === 'lr' ? 1 - h.lr * h.coef : rule.shrink === 'nolr' ? 1 - h.coef : 1;
      nw[j] = rule.shrink === 'after' ? (wi[j] - step) * (1 - h.lr * h.coef) : wi[j] * shrink - step;
    }
    outW.push(nw);
    outM.push(rule.keepMoments ? nm : Float64Array.from(s.m[i]));
    outV.push(rule.keepMoments ? nv : Float64Array.from(s.v[i]));
  });
  return { w: outW, state: { t: rule.advance ? t : s.t, m: outM, v: outV } };
}

function sum(ws: Flat[], f: (x: number) => number): number {
  let s = 0;
  for (const w of ws) for (let j = 0; j < w.length; j++) s += f(w[j]);
  return s;
}

function count(ws: Flat[]): number {
  return ws.reduce((n, w) => n + w.length, 0);
}
