import type { Misconception } from './misconception';

// What an assignment is to the grader: the functions a submission must export, its hidden tests with their points
// (the one place points live), the Jest file that implements those tests, and the misconceptions its checks can name.

/** Gradescope's visibility settings, for a test or a whole result. */
export const VISIBILITIES = ['visible', 'hidden', 'after_due_date', 'after_published'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export type TestSpec = { id: string; name: string; points: number; visibility?: Visibility };

export type Assignment = {
  id: string;
  title: string;
  exports: string[];
  tests: TestSpec[];
  /** Absolute path of the hidden Jest test file. */
  hiddenSuite: string;
  misconceptions: Misconception[];
};

export function maxScore(a: Assignment): number {
  return a.tests.reduce((s, t) => s + t.points, 0);
}
