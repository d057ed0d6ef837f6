/**
 * A failed hidden test's message for the student. Its stack is the message itself, so Jest reports exactly this text
 * (no stack frames, no expected values that would reveal hidden inputs).
 */
export class Feedback extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Feedback';
    this.stack = `${FEEDBACK_PREFIX}${message}`;
  }
}

export const FEEDBACK_PREFIX = 'Feedback: ';

export function fail(message: string): never {
  throw new Feedback(message);
}
