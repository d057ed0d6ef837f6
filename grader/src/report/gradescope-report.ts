import Ajv from 'ajv';
import type { Assignment, Visibility } from '../assignments/assignment';
import { maxScore } from '../assignments/assignment';
import { resultsSchema } from './results-schema';

// One student's Gradescope results.json, built by the grader alone from what it observed.

export type TestOutcome = { passed: boolean; message: string; seconds: number };
export type StudentStatus = 'graded' | 'compile-error' | 'invalid' | 'load-error';

export type GradescopeTest = {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: Visibility;
};
export type GradescopeResults = {
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
  /** Gradescope stores extra_data as it is; the grader keeps the student's id there (results file names are only safe forms of it). */
  extra_data: { student: string };
};

/** Bounds on what one results file says, whatever the notes and messages hold: its size is capped by construction. */
const MAX_TEST_OUTPUT_CHARS = 2000;
const MAX_NOTES = 20;
const MAX_NOTE_CHARS = 1000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (cut)` : text;
}

const validateResults = new Ajv({ allErrors: true }).compile(resultsSchema);

export function buildResults(
  a: Assignment,
  studentId: string,
  outcomes: Map<string, TestOutcome>,
  status: StudentStatus,
  notes: string[],
  missingReason: string,
): GradescopeResults {
  const tests: GradescopeTest[] = a.tests.map((t, i) => {
    const o = outcomes.get(t.id) ?? { passed: false, message: missingReason, seconds: 0 };
    return {
      name: `${t.id}: ${t.name}`,
      number: String(i + 1),
      score: o.passed ? t.points : 0,
      max_score: t.points,
      status: o.passed ? 'passed' : 'failed',
      output: o.passed ? '' : clip(o.message, MAX_TEST_OUTPUT_CHARS),
      visibility: t.visibility ?? 'visible',
    };
  });
  const score = tests.reduce((s, t) => s + t.score, 0);
  const passed = tests.filter((t) => t.status === 'passed').length;
  const headline = `${a.id}: ${score} / ${maxScore(a)} points, ${passed} of ${tests.length} tests passed.`;
  const seconds = [...outcomes.values()].reduce((s, o) => s + o.seconds, 0);
  const results: GradescopeResults = {
    score,
    max_score: maxScore(a),
    execution_time: Math.round(seconds * 1000) / 1000,
    output: [headline, ...notes.slice(0, MAX_NOTES).map((n) => clip(n, MAX_NOTE_CHARS))].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
    extra_data: { student: studentId },
  };
  if (!validateResults(results)) {
    throw new Error(`internal: results do not match the Gradescope schema: ${new Ajv().errorsText(validateResults.errors)}`);
  }
  return results;
}
