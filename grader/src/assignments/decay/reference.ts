import * as tf from '@tensorflow/tfjs-node';
import * as ref from '@decaylab/solutions';
import { remember } from '../../hidden/draw-once';
import type { AdamCase, HostTensor, StepCase } from './cases';

// The reference results (from @decaylab/solutions on the native backend) for host-side cases. Trusted side only.

export type AdamKind = 'adamWStep' | 'adamL2Step';
export type HostState = { t: number; m: Float32Array[]; v: Float32Array[] };

const toTf = (h: HostTensor) => tf.tensor(h.values, h.shape);
const read = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);

export function refL2Penalty(list: HostTensor[]): number {
  return remember(list, 'l2Penalty', () => tf.tidy(() => ref.l2Penalty(list.map(toTf)).dataSync()[0]));
}

export function refSgd(fn: 'sgdL2Step' | 'sgdDecayStep', c: StepCase): Float32Array[] {
  return remember(c, fn, () =>
    tf.tidy(() => {
      const p = c.params.map(toTf);
      const g = c.grads.map(toTf);
      return read(fn === 'sgdL2Step' ? ref.sgdL2Step(p, g, { lr: c.lr, l2: c.coef }) : ref.sgdDecayStep(p, g, { lr: c.lr, weightDecay: c.coef }));
    }),
  );
}

/** Params and state after each of the case's gradient steps (`grads` first, then `steps`), from a fresh state. */
export function refAdamTrajectory(kind: AdamKind, c: AdamCase, nSteps: number): { params: Float32Array[]; state: HostState }[] {
  return remember(c, `${kind}/${nSteps}`, () => adamTrajectory(kind, c, zeroState(c), nSteps));
}

function adamTrajectory(kind: AdamKind, c: AdamCase, start: HostState, nSteps: number): { params: Float32Array[]; state: HostState }[] {
  const o = { lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, l2: c.coef, weightDecay: c.coef };
  const grads = [c.grads, ...c.steps].slice(0, nSteps);
  return tf.tidy(() => {
    let params = c.params.map(toTf);
    let state: ref.AdamState = {
      t: start.t,
      m: start.m.map((m, i) => tf.tensor(m, c.params[i].shape)),
      v: start.v.map((v, i) => tf.tensor(v, c.params[i].shape)),
    };
    return grads.map((g) => {
      const out = ref[kind](params, g.map(toTf), state, o);
      params = out.params;
      state = out.state;
      return { params: read(params), state: { t: state.t, m: read(state.m), v: read(state.v) } };
    });
  });
}

export function zeroState(c: { params: HostTensor[] }, t = 0): HostState {
  return { t, m: c.params.map((p) => new Float32Array(p.values.length)), v: c.params.map((p) => new Float32Array(p.values.length)) };
}
