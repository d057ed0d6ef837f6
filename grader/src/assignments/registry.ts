import type { Assignment } from '../core/assignment';
import { decay } from './decay';
import { doubleDescent } from './double-descent';
import { norms } from './norms';

/** Every assignment the grader knows, by id. Adding one = a folder with its index (tests, points) and hidden suite. */
export const assignments: Assignment[] = [decay, norms, doubleDescent];

export function findAssignment(id: string): Assignment | undefined {
  return assignments.find((a) => a.id === id);
}
