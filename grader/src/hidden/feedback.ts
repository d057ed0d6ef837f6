/**
 * A failed hidden test's message for the student. Its stack is the message itself, so Jest reports exactly this text
 * (no stack frames, no expected values that would reveal hidden inputs).
 */
export class Feedback extends Error {
  constructor(full: string) {
    const message = full.length > MAX_FEEDBACK_CHARS ? `${full.slice(0, MAX_FEEDBACK_CHARS)}… (cut)` : full;
    super(message);
    this.name = 'Feedback';
    this.stack = `${FEEDBACK_PREFIX}${message}`;
  }
}

export const FEEDBACK_PREFIX = 'Feedback: ';
/** However a message was built, a test's feedback stays this short (Jest's report and the results file carry it). */
export const MAX_FEEDBACK_CHARS = 2000;

export function fail(message: string): never {
  throw new Feedback(message);
}
