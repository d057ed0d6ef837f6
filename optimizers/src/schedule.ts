import * as tf from '@tensorflow/tfjs-core';
import { checkNonNegative } from './option-checks';

/**
 * A hyper-parameter as a function of the step that a saved model can hold: subclass it, give it a static
 * `className`, implement getConfig, and register it with tf.serialization.registerClass (the built-in ones are).
 */
export abstract class Schedule extends tf.serialization.Serializable {
  /** The value used by the update that follows `step` completed updates (0 for the first update). */
  abstract valueAt(step: number): number;
}

/** A constant, a function of the step (not saveable with a model), or a Schedule. */
export type ScheduleLike = number | ((step: number) => number) | Schedule;

/** How a schedule is written into an optimizer's saved config. */
export type SavedSchedule = number | { className: string; config: tf.serialization.ConfigDict };

export function checkScheduleLike(fn: string, name: string, s: unknown): asserts s is ScheduleLike {
  if (typeof s === 'function' || s instanceof Schedule) return;
  if (typeof s !== 'number') throw new Error(`${fn}: ${name} must be a number, a function of the step or a Schedule, got ${describe(s)}`);
  checkNonNegative(fn, name, s);
}

/** The schedule's value for the update after `step` completed updates, checked to be a finite number >= 0. */
export function scheduledValue(fn: string, name: string, s: ScheduleLike, step: number): number {
  if (typeof s === 'number') {
    checkNonNegative(fn, name, s);
    return s;
  }
  const value = s instanceof Schedule ? s.valueAt(step) : s(step);
  checkNonNegative(fn, `${name} at step ${step}`, value);
  return value;
}

export function saveSchedule(fn: string, name: string, s: ScheduleLike): SavedSchedule {
  if (typeof s === 'number') return s;
  if (s instanceof Schedule) return { className: s.getClassName(), config: s.getConfig() };
  throw new Error(`${fn}: ${name} is a function, which a saved model cannot hold; use a Schedule (ExponentialDecay, CosineDecay or a registered subclass)`);
}

export function loadSchedule(fn: string, name: string, saved: unknown): ScheduleLike {
  if (typeof saved === 'number') return saved;
  const { className, config } = (saved ?? {}) as { className?: unknown; config?: unknown };
  const entry = typeof className === 'string' ? tf.serialization.SerializationMap.getMap().classNameMap[className] : undefined;
  if (!entry || config === null || typeof config !== 'object') {
    throw new Error(`${fn}: saved ${name} must be a number or a registered Schedule {className, config}, got ${JSON.stringify(saved)}`);
  }
  const [cls, fromConfig] = entry;
  const schedule = fromConfig(cls, config as tf.serialization.ConfigDict);
  if (!(schedule instanceof Schedule)) throw new Error(`${fn}: saved ${name} names ${className}, which is not a Schedule`);
  return schedule;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
