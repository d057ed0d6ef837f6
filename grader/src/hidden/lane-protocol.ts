import type { IsolationChoice } from '../core/isolation';
import type { GradingLimits } from '../core/limits';
import type { TestOutcome } from '../core/results';

// The hidden suite's contract with whoever drives it: everything that crosses between the engine and one lane (a
// long-lived Jest process running an assignment's hidden suite), over node's IPC channel, and between the lane's test
// environment and the suite inside it. It lives below both (the engine imports it, the suite never imports the
// engine). A lane's suite is a row of slots (one describe each); a slot takes its student from the engine when it
// starts, so a free lane takes the next submission whenever it is free.

/** Set in a lane's environment: the lane's settings as JSON. */
export const LANE_ENV = 'DECAYLAB_LANE';

/** Where the lane's test environment puts its bridge for the suite (the suite runs in Jest's sandboxed context). */
export const LANE_GLOBAL = '__decaylabLane';

export type LaneSettings = {
  harnessDir: string;
  limits: GradingLimits;
  isolation: IsolationChoice;
  /** Students the lane takes before it ends (a lane whose slots are used up ends, and the engine starts a fresh one). */
  slots: number;
};

/** Slots of a lane when the engine does not say otherwise. */
export const DEFAULT_LANE_SLOTS = 256;

/**
 * Slots of this process's lane, from its settings, as the suite declares them: `decaylab grade`'s lane has one, so
 * Jest neither builds nor skips 255 slots of tests nobody will take.
 */
export const LANE_SLOTS = slotsOfThisLane();

function slotsOfThisLane(): number {
  const raw = process.env[LANE_ENV];
  const slots = raw ? (JSON.parse(raw) as Partial<LaneSettings>).slots : undefined;
  return typeof slots === 'number' && Number.isInteger(slots) && slots > 0 ? slots : DEFAULT_LANE_SLOTS;
}

/** One student as a lane grades it: `key` is the engine's handle for this attempt, `module` the compiled code. */
export type LaneStudent = { key: number; id: string; module: string };

/** Lane -> engine. */
export type LaneMessage =
  /** The suite needs a student for `slot`; `wait`: hold the reply until one is queued (false: reply at once). */
  | { type: 'claim'; slot: number; wait: boolean }
  /** The slot holding this student began testing it (before that, a claimed student was only fetched ahead). */
  | { type: 'start'; key: number }
  | { type: 'test'; key: number; outcome: TestOutcome }
  | { type: 'done'; key: number; notes: string[]; loadFailed: boolean }
  /** The fork server could not start: under 'auto' this lane now spawns a fresh worker per student; else a fault. */
  | { type: 'fork-server-failed'; reason: string };

/** Engine -> lane: the answer to a claim (null: nothing queued, or the engine is closing). */
export type LaneReply = { type: 'claimed'; slot: number; student: LaneStudent | null };

/** What the lane's test environment offers the suite. */
export interface LaneBridge {
  settings: LaneSettings;
  /** The student for this slot: the one fetched ahead for it, or the next one queued (waits for one). */
  claim(slot: number): Promise<LaneStudent | null>;
  /** Fetches the next slot's student ahead, if one is queued now. */
  prefetch(slot: number): Promise<LaneStudent | null>;
  finished(key: number, notes: string[], loadFailed: boolean): void;
  forkServerFailed(reason: string): void;
}
