import type { Visibility } from './assignment';

// What grading produces, declared once: one test's outcome as the hidden suite saw it, a student's status, the
// Gradescope results.json, and the typed record every consumer (grade, grade-batch, the service, Gradescope) gets.

/** A hidden test's outcome, keyed by the test id the assignment declares (never recovered from a display name). */
export type TestOutcome = {
  testId: string;
  passed: boolean;
  message: string;
  seconds: number;
  /** Id of the catalogued mistake a failed check matched (one of the assignment's `misconceptions`). */
  misconception?: string;
};

/** graded: the hidden suite ran; the other states say why it could not (the score is then 0). */
export type StudentStatus = 'graded' | 'compile-error' | 'invalid' | 'load-error';

export type GradescopeTest = {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: Visibility;
  /** Stored by Gradescope with the test; names the misconception of a failed test. */
  extra_data?: { misconception: string };
};

export type GradescopeResults = {
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
  /** Gradescope keeps extra_data as it is; the grader names the student there (a results file's name is only a safe form of the id). */
  extra_data: { student: string };
};

/** One test of a graded student, typed: `results.tests[i]` is the same test in Gradescope's form. */
export type GradedTest = { testId: string; passed: boolean; score: number; maxScore: number; message: string; misconception?: string };

export type GradedStudent = {
  id: string;
  /** The assignment's id. */
  assignment: string;
  /** Where the submission came from: its path, or the filename it was uploaded with. */
  entry: string;
  status: StudentStatus;
  results: GradescopeResults;
  tests: GradedTest[];
};

/** The misconceptions a student's failed tests matched, each once, in the assignment's test order. */
export function misconceptionsOf(g: GradedStudent): string[] {
  return [...new Set(g.tests.flatMap((t) => t.misconception ?? []))];
}
