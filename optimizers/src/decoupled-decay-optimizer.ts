import * as tf from '@tensorflow/tfjs-core';
import { checkParamGroups, compileGroups, DEFAULT_PARAM_GROUPS, groupIndexFor, underscoreFree, type CompiledGroup, type ParamGroup } from './param-groups';
import { checkScheduleLike, loadSchedule, saveSchedule, scheduledValue, type ScheduleLike } from './schedule';
import { ScalarCache } from './scalar-cache';
import { createSlot, disposeSlot, readMoments, releaseSnapshots, zeroMoments, type Slot } from './optimizer-slots';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export type NamedGradients = tf.NamedTensorMap | NamedTensor[];

/**
 * Where the decay's multiplier comes from. 'pytorch': the scheduled learning rate,
 * w <- w (1 - lr_t wd_t) - lr_t u_t. 'paper' (Loshchilov & Hutter): its own schedule multiplier eta_t, which also
 * scales the step, w <- w (1 - eta_t wd_t) - eta_t lr_t u_t.
 */
export type DecayForm = 'pytorch' | 'paper';

/** The options AdamW and SGDW share. */
export interface DecayOptions {
  learningRate: ScheduleLike;
  /** Decay for every variable no parameter group matches. */
  weightDecay: ScheduleLike;
  /** Default DEFAULT_PARAM_GROUPS: biases, gammas and betas are not decayed. `[]` decays everything. */
  paramGroups?: ParamGroup[];
  /** Default 'pytorch'. */
  decayForm?: DecayForm;
  /** eta_t of the 'paper' form (default 1); not allowed with 'pytorch'. */
  scheduleMultiplier?: ScheduleLike;
}

export const DECAY_OPTION_KEYS = ['learningRate', 'weightDecay', 'paramGroups', 'decayForm', 'scheduleMultiplier'];

/** The hyper-parameters of one step, resolved from the schedules once and shared by every variable. */
export interface StepContext {
  /** 1-based step number, i.e. iterations after this step. */
  t: number;
  /** What multiplies the update direction: lr_t, or eta_t lr_t in the paper's form. */
  stepSize: number;
}

/** The decay of one variable in one step. */
export interface VariableDecay {
  weightDecay: number;
  /** 1 - lr_t wd (or 1 - eta_t wd): the factor the weights are multiplied by before the update. */
  shrink: number;
  /** Names the variable's parameter group; scalars cached per group stay bounded however the values change. */
  group: string;
}

/**
 * Shared machinery of AdamW and SGDW: hyper-parameter checks and schedules, parameter groups, per-variable state
 * keyed by variable name, iteration count, and tfjs's optimizer-weights protocol (getWeights/setWeights) so that
 * `model.save(..., {includeOptimizer: true})` and `tf.loadLayersModel` carry the state across.
 */
export abstract class DecoupledDecayOptimizer extends tf.Optimizer {
  /** Public so that it may also be changed between steps by hand. */
  learningRate: ScheduleLike;
  weightDecay: ScheduleLike;
  scheduleMultiplier: ScheduleLike;
  readonly decayForm: DecayForm;
  readonly paramGroups: ParamGroup[];
  private readonly compiledGroups: CompiledGroup[];
  private slots: Slot[] = [];
  private slotByName = new Map<string, Slot>();
  private groupByName = new Map<string, number>();
  protected readonly scalars = new ScalarCache();

  /** How many moment tensors each variable carries (2 for Adam's m and v, 0 for plain SGD). */
  protected abstract readonly momentNames: readonly string[];

  protected constructor(
    protected readonly label: string,
    o: DecayOptions,
  ) {
    super();
    checkScheduleLike(label, 'learningRate', o.learningRate);
    checkScheduleLike(label, 'weightDecay', o.weightDecay);
    const form = o.decayForm ?? 'pytorch';
    if (form !== 'pytorch' && form !== 'paper') throw new Error(`${label}: decayForm must be 'pytorch' or 'paper', got ${JSON.stringify(form)}`);
    if (form === 'pytorch' && o.scheduleMultiplier !== undefined) {
      throw new Error(`${label}: scheduleMultiplier belongs to decayForm 'paper'; with 'pytorch' the decay follows learningRate`);
    }
    const multiplier = o.scheduleMultiplier ?? 1;
    checkScheduleLike(label, 'scheduleMultiplier', multiplier);
    this.learningRate = o.learningRate;
    this.weightDecay = o.weightDecay;
    this.decayForm = form;
    this.scheduleMultiplier = multiplier;
    this.paramGroups = checkParamGroups(label, o.paramGroups ?? DEFAULT_PARAM_GROUPS);
    this.compiledGroups = compileGroups(this.paramGroups);
  }

  /** The weight decay the variable called `name` gets at the next step under this optimizer's parameter groups. */
  weightDecayOf(name: string): number {
    return this.decayOf(this.groupOf(name), scheduledValue(this.label, 'weightDecay', this.weightDecay, this.iterations));
  }

  applyGradients(variableGradients: NamedGradients): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const step = this.iterations;
    const lr = scheduledValue(this.label, 'learningRate', this.learningRate, step);
    const weightDecay = scheduledValue(this.label, 'weightDecay', this.weightDecay, step);
    const eta = this.decayForm === 'paper' ? scheduledValue(this.label, 'scheduleMultiplier', this.scheduleMultiplier, step) : 1;
    const decayScale = this.decayForm === 'paper' ? eta : lr;
    const ctx: StepContext = { t: step + 1, stepSize: eta * lr };
    tf.tidy(() => {
      const prepared = this.prepareStep(ctx);
      entries.forEach(([name, grad], i) => {
        if (grad == null) return;
        const value = this.variableNamed(name, grad);
        const slot = this.slotFor(name, i, value);
        releaseSnapshots(slot);
        const g = this.groupOf(name);
        const wd = this.decayOf(g, weightDecay);
        this.updateVariable(value, grad, slot, { weightDecay: wd, shrink: 1 - decayScale * wd, group: `group ${g}` }, prepared);
      });
    });
    this.incrementIterations();
  }

  /** Scalars shared by every variable of one step; called inside the step's tidy. */
  protected abstract prepareStep(ctx: StepContext): unknown;

  /** Updates one variable in place (value.assign) and its moments; called inside the step's tidy. */
  protected abstract updateVariable(value: tf.Variable, grad: tf.Tensor, slot: Slot, decay: VariableDecay, prepared: unknown): void;

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
    const named = this.momentNames.flatMap((kind, k) => this.slots.map((s, i) => ({ name: `${s.name}/${kind}`, tensor: reads[i][k] })));
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
      return createSlot(
        savedName,
        parts[0].tensor.shape,
        parts.map((p) => p.tensor),
        false,
      );
    });
  }

  /**
   * The config tfjs stores with a saved model: schedules as {className, config} (a function cannot be saved and
   * throws), patterns written underscore-free (see underscoreFree).
   */
  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      learningRate: saveSchedule(this.label, 'learningRate', this.learningRate),
      weightDecay: saveSchedule(this.label, 'weightDecay', this.weightDecay),
      paramGroups: this.paramGroups.map((g) => ({ match: g.match.map(underscoreFree), weightDecay: g.weightDecay })),
      decayForm: this.decayForm,
    };
    if (this.decayForm === 'paper') config.scheduleMultiplier = saveSchedule(this.label, 'scheduleMultiplier', this.scheduleMultiplier);
    return config;
  }

  /** Rebuilds an optimizer from its saved config, the schedules from the serialization registry. */
  static fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const label = (cls as unknown as { className: string }).className;
    const { customObjects: _ignored, ...options } = config;
    for (const key of ['learningRate', 'weightDecay', 'scheduleMultiplier']) {
      if (key in options) options[key] = loadSchedule(label, key, options[key]) as tf.serialization.ConfigDictValue;
    }
    return new cls(options);
  }

  /** The index of the variable's parameter group, -1 for none; names are matched once, not every step. */
  private groupOf(name: string): number {
    let g = this.groupByName.get(name);
    if (g === undefined) {
      g = groupIndexFor(name, this.compiledGroups);
      this.groupByName.set(name, g);
    }
    return g;
  }

  private decayOf(group: number, scheduled: number): number {
    return group >= 0 ? this.paramGroups[group].weightDecay : scheduled;
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
      this.slots.find((s) => !s.bound && s.name === name) ?? (this.slots[position] && !this.slots[position].bound ? this.slots[position] : undefined);
    let slot: Slot;
    if (restored) {
      if (!tf.util.arraysEqual(restored.shape, value.shape)) {
        throw new Error(`${this.label}: restored state ${restored.name} has shape [${restored.shape}] but variable ${name} has [${value.shape}]`);
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
