import * as tf from '@tensorflow/tfjs-core';
import { checkKnownKeys, checkNonNegative } from './option-checks';
import { Schedule } from './schedule';

export interface ExponentialDecayOptions {
  initialValue: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole periods of decaySteps (a staircase) instead of continuously. Default false. */
  staircase?: boolean;
}

/** initialValue * decayRate^(step / decaySteps), the exponent floored when `staircase`. */
export class ExponentialDecay extends Schedule {
  static className = 'ExponentialDecay';
  readonly initialValue: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(o: ExponentialDecayOptions) {
    super();
    checkKnownKeys('ExponentialDecay', o, ['initialValue', 'decaySteps', 'decayRate', 'staircase']);
    checkNonNegative('ExponentialDecay', 'initialValue', o.initialValue);
    checkPositive('ExponentialDecay', 'decaySteps', o.decaySteps);
    checkNonNegative('ExponentialDecay', 'decayRate', o.decayRate);
    if (o.staircase !== undefined && typeof o.staircase !== 'boolean') throw new Error('ExponentialDecay: staircase must be a boolean');
    this.initialValue = o.initialValue;
    this.decaySteps = o.decaySteps;
    this.decayRate = o.decayRate;
    this.staircase = o.staircase ?? false;
  }

  valueAt(step: number): number {
    const periods = step / this.decaySteps;
    return this.initialValue * Math.pow(this.decayRate, this.staircase ? Math.floor(periods) : periods);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { initialValue: this.initialValue, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

export interface CosineDecayOptions {
  initialValue: number;
  decaySteps: number;
  /** The floor, as a fraction of initialValue, reached after decaySteps and kept. Default 0. */
  alpha?: number;
  /** Steps of linear warm-up to initialValue before the decay starts. Default 0. */
  warmupSteps?: number;
}

/**
 * Linear warm-up, initialValue * (step + 1) / warmupSteps while step < warmupSteps; then, with s = step - warmupSteps,
 * initialValue * (alpha + (1 - alpha) * (1 + cos(pi * min(s, decaySteps) / decaySteps)) / 2).
 */
export class CosineDecay extends Schedule {
  static className = 'CosineDecay';
  readonly initialValue: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupSteps: number;

  constructor(o: CosineDecayOptions) {
    super();
    checkKnownKeys('CosineDecay', o, ['initialValue', 'decaySteps', 'alpha', 'warmupSteps']);
    checkNonNegative('CosineDecay', 'initialValue', o.initialValue);
    checkPositive('CosineDecay', 'decaySteps', o.decaySteps);
    this.initialValue = o.initialValue;
    this.decaySteps = o.decaySteps;
    this.alpha = o.alpha ?? 0;
    this.warmupSteps = o.warmupSteps ?? 0;
    checkNonNegative('CosineDecay', 'alpha', this.alpha);
    if (this.alpha > 1) throw new Error(`CosineDecay: alpha must be <= 1, got ${this.alpha}`);
    if (!Number.isInteger(this.warmupSteps) || this.warmupSteps < 0) {
      throw new Error(`CosineDecay: warmupSteps must be an integer >= 0, got ${this.warmupSteps}`);
    }
  }

  valueAt(step: number): number {
    if (step < this.warmupSteps) return (this.initialValue * (step + 1)) / this.warmupSteps;
    const progress = Math.min(step - this.warmupSteps, this.decaySteps) / this.decaySteps;
    return this.initialValue * (this.alpha + ((1 - this.alpha) * (1 + Math.cos(Math.PI * progress))) / 2);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { initialValue: this.initialValue, decaySteps: this.decaySteps, alpha: this.alpha, warmupSteps: this.warmupSteps };
  }
}

function checkPositive(fn: string, name: string, value: unknown): void {
  checkNonNegative(fn, name, value);
  if (value === 0) throw new Error(`${fn}: ${name} must be > 0, got 0`);
}

tf.serialization.registerClass(ExponentialDecay);
tf.serialization.registerClass(CosineDecay);
