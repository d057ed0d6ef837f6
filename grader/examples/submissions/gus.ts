// Example student: a syntax error (an extra brace), so the module does not compile.
import * as tf from '@tensorflow/tfjs-node';

export interface AdamState {
  t: number;
  m: tf.Tensor[];
  v: tf.Tensor[];
}

type Adam = { lr: number; beta1: number; beta2: number; eps: number };

export function l2Penalty(params: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => params.reduce((acc, p) => acc.add(p.square().sum()), tf.scalar(0)).mul(0.5) as tf.Scalar);
}

export function sgdL2Step(params: tf.Tensor[], grads: tf.Tensor[], o: { lr: number; l2: number }): tf.Tensor[] {
  return tf.tidy(() => params.map((w, i) => w.sub(grads[i].add(w.mul(o.l2)).mul(o.lr))));
}

export function sgdDecayStep(params: tf.Tensor[], grads: tf.Tensor[], o: { lr: number; weightDecay: number }): tf.Tensor[] {
  return tf.tidy(() => params.map((w, i) => w.mul(1 - o.lr * o.weightDecay).sub(grads[i].mul(o.lr))));
}

export function initAdamState(params: tf.Tensor[]): AdamState {
  return {{ t: 0, m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)) };
}

function adam(params: tf.Tensor[], g: tf.Tensor[], s: AdamState, o: Adam, shrink: number) {
  const t = s.t + 1;
  const out = tf.tidy(() => {
    const m = g.map((gi, i) => s.m[i].mul(o.beta1).add(gi.mul(1 - o.beta1)));
    const v = g.map((gi, i) => s.v[i].mul(o.beta2).add(gi.square().mul(1 - o.beta2)));
    const w = params.map((p, i) => {
      const mhat = m[i].div(1 - Math.pow(o.beta1, t));
      const vhat = v[i].div(1 - Math.pow(o.beta2, t));
      return p.mul(shrink).sub(mhat.div(vhat.sqrt().add(o.eps)).mul(o.lr));
    });
    return { w, m, v };
  });
  return { params: out.w, state: { t, m: out.m, v: out.v } };
}

export function adamL2Step(params: tf.Tensor[], grads: tf.Tensor[], state: AdamState, o: Adam & { l2: number }) {
  const g = tf.tidy(() => grads.map((gi, i) => gi.add(params[i].mul(o.l2))));
  const out = adam(params, g, state, o, 1);
  tf.dispose(g);
  return out;
}

export function adamWStep(params: tf.Tensor[], grads: tf.Tensor[], state: AdamState, o: Adam & { weightDecay: number }) {
  return adam(params, grads, state, o, 1 - o.lr * o.weightDecay);
}
