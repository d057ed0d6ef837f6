import Ajv from 'ajv';
import type { Assignment, Visibility } from '../assignments/assignment';
import { maxScore } from '../assignments/assignment';
import type { Misconception } from '../assignments/misconception';
import { sectionHref, sectionTitle } from './course-link';
import { resultsSchema } from './results-schema';

// One student's Gradescope results.json, built by the grader alone from what it observed.

/** `misconception`: id of the catalogued mistake a failed check matched (see the assignment's `misconceptions`). */
export type TestOutcome = { passed: boolean; message: string; seconds: number; misconception?: string };
export type StudentStatus = 'graded' | 'compile-error' | 'invalid' | 'load-error';

export type GradescopeTest = {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: Visibility;
  /** Gradescope stores this with the test; the class report counts misconceptions from it. */
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
};

const validateResults = new Ajv({ allErrors: true }).compile(resultsSchema);

export function buildResults(
  a: Assignment,
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
      output: o.passed ? '' : withSection(o.message, misconception(a, o)),
      visibility: t.visibility ?? 'visible',
      ...(!o.passed && o.misconception ? { extra_data: { misconception: o.misconception } } : {}),
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
    output: [headline, ...notes].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
  if (!validateResults(results)) {
    throw new Error(`internal: results do not match the Gradescope schema: ${new Ajv().errorsText(validateResults.errors)}`);
  }
  return results;
}

function misconception(a: Assignment, o: TestOutcome): Misconception | undefined {
  if (o.passed || !o.misconception) return undefined;
  const m = a.misconceptions.find((x) => x.id === o.misconception);
  if (!m) throw new Error(`internal: misconception ${o.misconception} is not in the catalogue of ${a.id}`);
  return m;
}

/** The feedback, then where the course explains the right idea (a path on the course website). */
function withSection(message: string, m: Misconception | undefined): string {
  return m ? `${message}\nThe course explains this in ${sectionTitle(m.section)}: ${sectionHref(m.section)}` : message;
}
