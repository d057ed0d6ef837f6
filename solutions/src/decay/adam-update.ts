import * as tf from '@tensorflow/tfjs-node';
import type { AdamState } from './adam-state';
import { checkNumber, checkOptions, checkParallel, checkTensorList } from '../validate';

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Validates what every Adam-style step takes; `extra` names the regularisation knob (l2 or weightDecay). */
export function checkAdamArgs(fn: string, params: tf.Tensor[], grads: tf.Tensor[], state: AdamState, o: AdamHyper, extra: 'l2' | 'weightDecay'): void {
  checkTensorList(fn, 'params', params);
  checkTensorList(fn, 'grads', grads);
  checkParallel(fn, params, 'grads', grads);
  if (state === null || typeof state !== 'object') throw new Error(`${fn}: state must be an AdamState {t, m, v}`);
  checkNumber(fn, 'state.t', state.t, { min: 0 });
  if (!Number.isInteger(state.t)) throw new Error(`${fn}: state.t must be an integer step count, got ${state.t}`);
  checkTensorList(fn, 'state.m', state.m);
  checkTensorList(fn, 'state.v', state.v);
  checkParallel(fn, params, 'state.m', state.m);
  checkParallel(fn, params, 'state.v', state.v);
  checkOptions(fn, o, {
    lr: { min: 0 },
    beta1: { min: 0, max: 1, maxExclusive: true },
    beta2: { min: 0, max: 1, maxExclusive: true },
    eps: { min: 0 },
    [extra]: { min: 0 },
  } as Record<string, { min?: number; max?: number; maxExclusive?: boolean }>);
}

/**
 * The Adam step shared by adamL2Step and adamWStep. `g[i]` is the gradient that enters the moments (with or without
 * the L2 term); `shrink` multiplies the weights before the Adam step (1 for Adam+L2, 1 - lr*wd for AdamW).
 * Bias corrections are computed in float64 on the host: they are scalars, and 1 - beta^t loses digits in float32.
 */
export function adamUpdate(
  params: tf.Tensor[],
  g: (i: number) => tf.Tensor,
  state: AdamState,
  o: AdamHyper,
  shrink: number,
): { params: tf.Tensor[]; state: AdamState } {
  const t = state.t + 1;
  const bc1 = 1 - Math.pow(o.beta1, t);
  const bc2 = 1 - Math.pow(o.beta2, t);
  const n = params.length;
  const out = tf.tidy(() => {
    const gs = params.map((_, i) => g(i));
    const m = gs.map((gi, i) => state.m[i].mul(o.beta1).add(gi.mul(1 - o.beta1)));
    const v = gs.map((gi, i) => state.v[i].mul(o.beta2).add(gi.square().mul(1 - o.beta2)));
    const w = params.map((p, i) => {
      const step = m[i].div(bc1).div(v[i].div(bc2).sqrt().add(o.eps)).mul(o.lr);
      return (shrink === 1 ? p : p.mul(shrink)).sub(step);
    });
    return [...w, ...m, ...v];
  });
  return {
    params: out.slice(0, n),
    state: { t, m: out.slice(n, 2 * n), v: out.slice(2 * n) },
  };
}
