import type { Misconception } from '../core/misconception';

/**
 * A failed hidden test's message for the student. Its stack is the message itself, so Jest reports exactly this text
 * (no stack frames, no expected values that would reveal hidden inputs). The misconception it names travels as a typed
 * field of the error to the lane's test environment (engine/lane-environment.ts), never parsed back out of the text.
 */
export class Feedback extends Error {
  /** Id of the catalogued misconception the wrong answer matches, if any. */
  readonly misconception: string | undefined;

  constructor(full: string, misconception?: Misconception) {
    const message = full.length > MAX_FEEDBACK_CHARS ? `${full.slice(0, MAX_FEEDBACK_CHARS)}… (cut)` : full;
    super(message);
    this.name = 'Feedback';
    this.misconception = misconception?.id;
    this.stack = `Feedback: ${message}`;
  }
}

/** However a message was built, a test's feedback stays this short (Jest's report and the results file carry it). */
export const MAX_FEEDBACK_CHARS = 2000;

export function fail(message: string, misconception?: Misconception): never {
  throw new Feedback(message, misconception);
}
