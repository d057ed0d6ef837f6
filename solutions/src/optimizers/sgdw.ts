import * as tf from '@tensorflow/tfjs-node';
import { DecoupledDecayOptimizer, type StepContext } from './decoupled-decay-optimizer';
import { activeNativeBackend, applyGradientDescent } from './native-kernels';
import { checkKnownKeys, nativeStart } from './optimizer-options';
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

  protected prepareStep(_ctx: StepContext): tf.Scalar {
    return tf.scalar(this.learningRate);
  }

  protected updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, weightDecay: number, lr: tf.Scalar): void {
    const shrink = 1 - this.learningRate * weightDecay;
    const nb = activeNativeBackend();
    if (slot.native && nb && slot.w) {
      nativeStart(slot.w, value, shrink);
      applyGradientDescent(nb, slot.w, lr, grad);
      value.assign(slot.w.read());
      return;
    }
    if (slot.native) throw new Error(`SGDW: state for ${slot.name} lives on the tensorflow backend, now ${tf.getBackend()}`);
    const start = shrink === 1 ? value : value.mul(shrink);
    value.assign(start.sub(grad.mul(lr)));
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
