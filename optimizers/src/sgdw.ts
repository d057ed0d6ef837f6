import * as tf from '@tensorflow/tfjs-core';
import { DecoupledDecayOptimizer, type StepContext } from './decoupled-decay-optimizer';
import { activeNativeBackend, applyGradientDescent, applyProximalGradientDescent, nativeStart } from './native-kernels';
import { checkKnownKeys } from './option-checks';
import type { Slot } from './optimizer-slots';
import type { ParamGroup } from './param-groups';

export interface SGDWOptions {
  learningRate: number;
  /** Decay for every variable no parameter group matches. */
  weightDecay: number;
  /** Default DEFAULT_PARAM_GROUPS: biases, gammas and betas are not decayed. `[]` decays everything. */
  paramGroups?: ParamGroup[];
}

/**
 * Below this many elements a step is dominated by kernel launches, so SGDW uses TF's one-kernel proximal update;
 * above it, the multiply-then-descend pair, which streams the weights one time fewer (bench/README.md).
 */
const ONE_KERNEL_BELOW = 1 << 16;

/**
 * Plain SGD with decoupled weight decay, PyTorch's convention, matching sgdDecayStep:
 * w <- w * (1 - lr * wd) - lr * g. Both learningRate and weightDecay are required: there is no neutral default.
 */
export class SGDW extends DecoupledDecayOptimizer {
  static className = 'SGDW';
  protected readonly momentNames = [] as const;

  constructor(o: SGDWOptions) {
    checkKnownKeys('SGDW', o, ['learningRate', 'weightDecay', 'paramGroups']);
    super('SGDW', o);
  }

  protected prepareStep(_ctx: StepContext): void {}

  protected updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, weightDecay: number): void {
    const lr = this.learningRate;
    const shrink = 1 - lr * weightDecay;
    const nb = activeNativeBackend();
    if (slot.native && nb && slot.w) {
      const c = this.scalars;
      if (value.size < ONE_KERNEL_BELOW && shrink > 0) {
        slot.w.writeUnlessShared(value);
        const s = { lr: c.get(`prox lr ${shrink}`, lr / shrink), zero: c.get('zero', 0), l2: c.get(`l2 ${weightDecay}`, weightDecay) };
        applyProximalGradientDescent(nb, slot.w, s, grad);
      } else {
        nativeStart(nb, slot.w, value, shrink === 1 ? null : c.get(`shrink ${shrink}`, shrink));
        applyGradientDescent(nb, slot.w, c.get('lr', lr), grad);
      }
      slot.w.readInto(value);
      return;
    }
    if (slot.native) throw new Error(`SGDW: state for ${slot.name} lives on the tensorflow backend, now ${tf.getBackend()}`);
    const start = shrink === 1 ? value : tf.mul(value, shrink);
    value.assign(tf.sub(start, tf.mul(grad, lr)));
  }

  getConfig(): tf.serialization.ConfigDict {
    return this.baseConfig();
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { customObjects: _ignored, ...o } = config;
    return new cls(o as unknown as SGDWOptions);
  }
}

tf.serialization.registerClass(SGDW);

export function sgdw(o: SGDWOptions): SGDW {
  return new SGDW(o);
}
