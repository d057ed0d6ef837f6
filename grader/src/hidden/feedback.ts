import type { Misconception } from '../core/misconception';

/**
 * A failed hidden test's message for the student. Its stack is the message itself, so Jest reports exactly this text
 * (no stack frames, no expected values that would reveal hidden inputs). `text` and `misconception` are own fields, so
 * they reach the grader as typed values in Jest's report (its `failureDetails`), not parsed back out of the message.
 */
export class Feedback extends Error {
  readonly text: string;
  /** Id of the catalogued misconception the wrong answer matches, if any. */
  readonly misconception: string | undefined;

  constructor(message: string, misconception?: Misconception) {
    super(message);
    this.name = 'Feedback';
    this.text = message;
    this.misconception = misconception?.id;
    this.stack = `Feedback: ${message}`;
  }
}

export function fail(message: string, misconception?: Misconception): never {
  throw new Feedback(message, misconception);
}
