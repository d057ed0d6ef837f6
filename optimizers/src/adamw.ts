import * as tf from '@tensorflow/tfjs-core';
import { DECAY_OPTION_KEYS, DecoupledDecayOptimizer, type DecayOptions, type StepContext, type VariableDecay } from './decoupled-decay-optimizer';
import { activeNativeBackend, applyAdam, nativeStart, type ResourceVariable } from './native-kernels';
import { checkKnownKeys, checkNonNegative } from './option-checks';
import type { Slot } from './optimizer-slots';

export interface AdamWOptions extends Partial<DecayOptions> {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

interface AdamStep {
  lr: number;
  eps: number;
  scalars: { zero: tf.Scalar; lr: tf.Scalar; beta1: tf.Scalar; beta2: tf.Scalar; eps: tf.Scalar };
}

/**
 * AdamW (Loshchilov & Hutter), by default in PyTorch's form: w <- w (1 - lr_t wd_t) - lr_t mhat / (sqrt(vhat) + eps),
 * the moments from the loss gradient alone. Defaults are PyTorch's (lr 1e-3, betas 0.9/0.999, eps 1e-8,
 * weightDecay 1e-2).
 */
export class AdamW extends DecoupledDecayOptimizer {
  static className = 'AdamW';
  protected readonly momentNames = ['m', 'v'] as const;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(o: AdamWOptions = {}) {
    checkKnownKeys('AdamW', o, [...DECAY_OPTION_KEYS, 'beta1', 'beta2', 'epsilon']);
    super('AdamW', { ...o, learningRate: o.learningRate ?? 1e-3, weightDecay: o.weightDecay ?? 1e-2 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-8;
    checkNonNegative('AdamW', 'beta1', this.beta1, true);
    checkNonNegative('AdamW', 'beta2', this.beta2, true);
    checkNonNegative('AdamW', 'epsilon', this.epsilon);
  }

  /**
   * Bias corrections fold into two float64 scalars: lr * mhat / (sqrt(vhat) + eps) equals
   * (lr * sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2)).
   */
  protected prepareStep(ctx: StepContext): AdamStep {
    const bc1 = 1 - Math.pow(this.beta1, ctx.t);
    const root = Math.sqrt(1 - Math.pow(this.beta2, ctx.t));
    const lr = (ctx.stepSize * root) / bc1;
    const eps = this.epsilon * root;
    const c = this.scalars;
    const scalars = {
      zero: c.get('zero', 0),
      lr: c.get('lr', lr),
      beta1: c.get('beta1', this.beta1),
      beta2: c.get('beta2', this.beta2),
      eps: c.get('eps', eps),
    };
    return { lr, eps, scalars };
  }

  protected updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, decay: VariableDecay, step: AdamStep): void {
    const { shrink } = decay;
    const nb = activeNativeBackend();
    if (slot.native && nb && slot.w) {
      const [m, v] = slot.moments as ResourceVariable[];
      nativeStart(nb, slot.w, value, shrink === 1 ? null : this.scalars.get(`shrink ${decay.group}`, shrink));
      applyAdam(nb, slot.w, m, v, step.scalars, grad);
      slot.w.readInto(value);
      return;
    }
    if (slot.native) throw new Error(`AdamW: state for ${slot.name} lives on the tensorflow backend, now ${tf.getBackend()}`);
    const [m, v] = slot.moments as tf.Variable[];
    // Functional ops, not chained ones: tfjs-core alone does not register the chained methods.
    const m2 = tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1));
    const v2 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2));
    const start = shrink === 1 ? value : tf.mul(value, shrink);
    value.assign(tf.sub(start, tf.div(tf.mul(m2, step.lr), tf.add(tf.sqrt(v2), step.eps))));
    m.assign(m2);
    v.assign(v2);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(AdamW);

export function adamw(o?: AdamWOptions): AdamW {
  return new AdamW(o);
}
