// Independent float64 versions of the decay updates, on flat Float64Arrays, written from the formulas in the
// assignment rather than from the tfjs code, so the tests compare two derivations and not one twice.

export type Vec = Float64Array;

export function l2Penalty64(params: Vec[]): number {
  let s = 0;
  for (const p of params) for (const x of p) s += x * x;
  return 0.5 * s;
}

export function sgdL2Step64(params: Vec[], grads: Vec[], lr: number, l2: number): Vec[] {
  return params.map((w, i) => w.map((wj, j) => wj - lr * (grads[i][j] + l2 * wj)));
}

export function sgdDecayStep64(params: Vec[], grads: Vec[], lr: number, wd: number): Vec[] {
  return params.map((w, i) => w.map((wj, j) => wj * (1 - lr * wd) - lr * grads[i][j]));
}

export interface Adam64 {
  t: number;
  m: Vec[];
  v: Vec[];
}

export interface AdamHyper64 {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

function adam64(params: Vec[], g: Vec[], s: Adam64, o: AdamHyper64, decayFactor: number) {
  const t = s.t + 1;
  const m = s.m.map((mi, i) => mi.map((x, j) => o.beta1 * x + (1 - o.beta1) * g[i][j]));
  const v = s.v.map((vi, i) => vi.map((x, j) => o.beta2 * x + (1 - o.beta2) * g[i][j] * g[i][j]));
  const out = params.map((w, i) =>
    w.map((wj, j) => {
      const mhat = m[i][j] / (1 - o.beta1 ** t);
      const vhat = v[i][j] / (1 - o.beta2 ** t);
      return wj * decayFactor - (o.lr * mhat) / (Math.sqrt(vhat) + o.eps);
    }),
  );
  return { params: out, state: { t, m, v } };
}

export function adamL2Step64(params: Vec[], grads: Vec[], s: Adam64, o: AdamHyper64 & { l2: number }) {
  const g = grads.map((gi, i) => gi.map((x, j) => x + o.l2 * params[i][j]));
  return adam64(params, g, s, o, 1);
}

export function adamWStep64(params: Vec[], grads: Vec[], s: Adam64, o: AdamHyper64 & { weightDecay: number }) {
  return adam64(params, grads, s, o, 1 - o.lr * o.weightDecay);
}
