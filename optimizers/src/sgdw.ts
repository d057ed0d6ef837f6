import * as tf from '@tensorflow/tfjs-core';
import { DECAY_OPTION_KEYS, DecoupledDecayOptimizer, type DecayOptions, type StepContext, type VariableDecay } from './decoupled-decay-optimizer';
import { activeNativeBackend, applyGradientDescent, applyProximalGradientDescent, nativeStart } from './native-kernels';
import { checkKnownKeys } from './option-checks';
import type { Slot } from './optimizer-slots';

/** learningRate and weightDecay are required: there is no neutral default. */
export type SGDWOptions = DecayOptions;

/**
 * Below this many elements a step is dominated by kernel launches, so SGDW uses TF's one-kernel proximal update;
 * above it, the multiply-then-descend pair, which streams the weights one time fewer (bench/README.md).
 */
const ONE_KERNEL_BELOW = 1 << 16;

/** Plain SGD with decoupled weight decay, by default in PyTorch's form: w <- w (1 - lr_t wd_t) - lr_t g. */
export class SGDW extends DecoupledDecayOptimizer {
  static className = 'SGDW';
  protected readonly momentNames = [] as const;

  constructor(o: SGDWOptions) {
    checkKnownKeys('SGDW', o, DECAY_OPTION_KEYS);
    super('SGDW', o);
  }

  protected prepareStep(ctx: StepContext): number {
    return ctx.stepSize;
  }

  protected updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, decay: VariableDecay, lr: number): void {
    const { shrink, group } = decay;
    const nb = activeNativeBackend();
    if (slot.native && nb && slot.w) {
      const c = this.scalars;
      if (value.size < ONE_KERNEL_BELOW && shrink > 0 && lr > 0) {
        slot.w.writeUnlessShared(value);
        // (w - a g) / (1 + a l2) = shrink w - lr g for a = lr / shrink and l2 = (1 - shrink) / lr.
        const s = { lr: c.get(`prox lr ${group}`, lr / shrink), zero: c.get('zero', 0), l2: c.get(`l2 ${group}`, (1 - shrink) / lr) };
        applyProximalGradientDescent(nb, slot.w, s, grad);
      } else {
        nativeStart(nb, slot.w, value, shrink === 1 ? null : c.get(`shrink ${group}`, shrink));
        applyGradientDescent(nb, slot.w, c.get('lr', lr), grad);
      }
      slot.w.readInto(value);
      return;
    }
    if (slot.native) throw new Error(`SGDW: state for ${slot.name} lives on the tensorflow backend, now ${tf.getBackend()}`);
    const start = shrink === 1 ? value : tf.mul(value, shrink);
    value.assign(tf.sub(start, tf.mul(grad, lr)));
  }
}

tf.serialization.registerClass(SGDW);

export function sgdw(o: SGDWOptions): SGDW {
  return new SGDW(o);
}
