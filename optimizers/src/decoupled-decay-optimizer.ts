import * as tf from '@tensorflow/tfjs-core';
import { checkNonNegative } from './option-checks';
import {
  checkParamGroups,
  compileGroups,
  DEFAULT_PARAM_GROUPS,
  underscoreFree,
  weightDecayFor,
  type CompiledGroup,
  type ParamGroup,
} from './param-groups';
import { ScalarCache } from './scalar-cache';
import { createSlot, disposeSlot, readMoments, releaseSnapshots, zeroMoments, type Slot } from './optimizer-slots';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export type NamedGradients = tf.NamedTensorMap | NamedTensor[];

/** What the subclass computes once per step and shares across variables (scalars live in the step's tidy). */
export interface StepContext {
  /** 1-based step number, i.e. iterations after this step. */
  t: number;
  shrink(weightDecay: number): number;
}

/**
 * Shared machinery of AdamW and SGDW: hyper-parameter checks, parameter groups, per-variable state keyed by variable
 * name, iteration count, and tfjs's optimizer-weights protocol (getWeights/setWeights) so that
 * `model.save(..., {includeOptimizer: true})` and `tf.loadLayersModel` carry the state across.
 */
export abstract class DecoupledDecayOptimizer extends tf.Optimizer {
  learningRate: number;
  weightDecay: number;
  readonly paramGroups: ParamGroup[];
  private readonly compiledGroups: CompiledGroup[];
  private slots: Slot[] = [];
  private slotByName = new Map<string, Slot>();
  protected readonly scalars = new ScalarCache();

  /** How many moment tensors each variable carries (2 for Adam's m and v, 0 for plain SGD). */
  protected abstract readonly momentNames: readonly string[];

  protected constructor(
    protected readonly label: string,
    o: { learningRate: number; weightDecay: number; paramGroups?: ParamGroup[] },
  ) {
    super();
    checkNonNegative(label, 'learningRate', o.learningRate);
    checkNonNegative(label, 'weightDecay', o.weightDecay);
    this.learningRate = o.learningRate;
    this.weightDecay = o.weightDecay;
    this.paramGroups = checkParamGroups(label, o.paramGroups ?? DEFAULT_PARAM_GROUPS);
    this.compiledGroups = compileGroups(this.paramGroups);
  }

  /** The weight decay that applies to the variable called `name` under this optimizer's parameter groups. */
  weightDecayOf(name: string): number {
    return weightDecayFor(name, this.compiledGroups, this.weightDecay);
  }

  applyGradients(variableGradients: NamedGradients): void {
    // Both are public fields (schedules change them), so they are checked where they are used.
    checkNonNegative(this.label, 'learningRate', this.learningRate);
    checkNonNegative(this.label, 'weightDecay', this.weightDecay);
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const lr = this.learningRate;
    const ctx: StepContext = { t, shrink: (wd) => 1 - lr * wd };
    tf.tidy(() => {
      const prepared = this.prepareStep(ctx);
      entries.forEach(([name, grad], i) => {
        if (grad == null) return;
        const value = this.variableNamed(name, grad);
        const slot = this.slotFor(name, i, value);
        releaseSnapshots(slot);
        this.updateVariable(value, grad, slot, this.weightDecayOf(name), prepared);
      });
    });
    this.incrementIterations();
  }

  /** Scalars shared by every variable of one step; called inside the step's tidy. */
  protected abstract prepareStep(ctx: StepContext): unknown;

  /** Updates one variable in place (value.assign) and its moments; called inside the step's tidy. */
  protected abstract updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, weightDecay: number, prepared: unknown): void;

  override dispose(): void {
    this.slots.forEach(disposeSlot);
    this.slots = [];
    this.slotByName.clear();
    this.scalars.dispose();
    super.dispose();
  }

  /** [iterations, then each moment kind for every variable in first-update order], the layout tfjs's Adam uses. */
  override async getWeights(): Promise<NamedTensor[]> {
    const reads = this.slots.map(readMoments);
    const named = this.momentNames.flatMap((kind, k) =>
      this.slots.map((s, i) => ({ name: `${s.name}/${kind}`, tensor: reads[i][k] })),
    );
    return [await this.saveIterations(), ...named];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    if (!Array.isArray(weightValues) || weightValues.length === 0) {
      throw new Error(`${this.label}.setWeights: expected [iterations, ...moments], got ${weightValues?.length ?? 'nothing'}`);
    }
    const rest = await this.extractIterations(weightValues);
    const kinds = this.momentNames.length;
    if (kinds === 0 ? rest.length !== 0 : rest.length % kinds !== 0) {
      throw new Error(
        `${this.label}.setWeights: got ${rest.length} state tensors after the iteration count; ` +
          `expected a multiple of ${kinds} (${this.momentNames.join(', ') || 'none'} per variable)`,
      );
    }
    const n = kinds === 0 ? 0 : rest.length / kinds;
    const suffix = `/${this.momentNames[0]}`;
    this.slots.forEach(disposeSlot);
    this.slotByName.clear();
    this.slots = Array.from({ length: n }, (_, i) => {
      const parts = this.momentNames.map((_, k) => rest[k * n + i]);
      parts.forEach((p, k) => {
        if (!tf.util.arraysEqual(p.tensor.shape, parts[0].tensor.shape) || p.tensor.dtype !== 'float32') {
          throw new Error(`${this.label}.setWeights: ${p.name} must be float32 with the shape of ${parts[0].name}`);
        }
        if (k === 0 && !p.name.endsWith(suffix)) {
          throw new Error(`${this.label}.setWeights: expected a ${suffix} tensor at position ${i + 1}, got ${p.name}`);
        }
      });
      const savedName = parts[0].name.slice(0, -suffix.length);
      return createSlot(savedName, parts[0].tensor.shape, parts.map((p) => p.tensor), false);
    });
  }

  /** The config tfjs stores with a saved model; patterns are written underscore-free (see underscoreFree). */
  protected baseConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      weightDecay: this.weightDecay,
      paramGroups: this.paramGroups.map((g) => ({ match: g.match.map(underscoreFree), weightDecay: g.weightDecay })),
    };
  }

  private variableNamed(name: string, grad: tf.Tensor): tf.Variable {
    const value = tf.engine().registeredVariables[name];
    if (value == null) throw new Error(`${this.label}: got a gradient for ${name}, which is not a registered variable`);
    if (value.dtype !== 'float32') throw new Error(`${this.label}: variable ${name} must be float32, got ${value.dtype}`);
    if (!tf.util.arraysEqual(value.shape, grad.shape)) {
      throw new Error(`${this.label}: gradient for ${name} has shape [${grad.shape}] but the variable has [${value.shape}]`);
    }
    return value;
  }

  /**
   * State for `name`. After setWeights the restored state is adopted by name, else by position (a model reloaded in
   * a process where the original still lives gets renamed variables, `dense/kernel_1`, in the same order).
   */
  private slotFor(name: string, position: number, value: tf.Variable): Slot {
    const known = this.slotByName.get(name);
    if (known) return known;
    const restored =
      this.slots.find((s) => !s.bound && s.name === name) ??
      (this.slots[position] && !this.slots[position].bound ? this.slots[position] : undefined);
    let slot: Slot;
    if (restored) {
      if (!tf.util.arraysEqual(restored.shape, value.shape)) {
        throw new Error(
          `${this.label}: restored state ${restored.name} has shape [${restored.shape}] but variable ${name} has [${value.shape}]`,
        );
      }
      slot = restored;
    } else {
      const zeros = zeroMoments(value.shape, this.momentNames.length);
      slot = createSlot(name, value.shape, zeros, true);
      tf.dispose(zeros);
      this.slots.push(slot);
    }
    slot.name = name;
    slot.bound = true;
    this.slotByName.set(name, slot);
    return slot;
  }
}
