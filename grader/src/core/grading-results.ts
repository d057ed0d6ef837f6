import type { Assignment, Visibility } from './assignment';
import { maxScore } from './assignment';
import type { GradedStudent, GradedTest, GradescopeResults, GradescopeTest, StudentStatus, TestOutcome } from './results';
import { sectionHref, sectionTitle } from './course-link';
import type { Misconception } from './misconception';
import { compileOnFirstUse } from './compiled-schema';
import { resultsSchema } from './results-schema';

// One student's results, built by the grader alone from what it observed: the typed record and, from the same
// numbers, Gradescope's results.json (validated against its schema before anyone sees it).

/**
 * Compiled on first use, not with the module: `decaylab grade` starts its lane before the first results exist, and
 * loading Ajv and compiling the schema is a tenth of a second of that start (prepareResultsValidation does it later).
 */
const resultsValidator = compileOnFirstUse(resultsSchema, { allErrors: true });

export function prepareResultsValidation(): void {
  resultsValidator();
}

/** Bounds on what one results file says, whatever the notes and messages hold: its size is capped by construction. */
const MAX_TEST_OUTPUT_CHARS = 2000;
const MAX_NOTES = 20;
const MAX_NOTE_CHARS = 1000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (cut)` : text;
}

export type StudentFacts = {
  id: string;
  entry: string;
  status: StudentStatus;
  /** By test id; a test without an outcome scores 0 with `missingReason`. */
  outcomes: Map<string, TestOutcome>;
  /** Lines for the student that belong to no single test (crashes, time-outs, why nothing ran). */
  notes: string[];
  missingReason: string;
};

export function gradedStudent(a: Assignment, f: StudentFacts): GradedStudent {
  const graded: GradedTest[] = a.tests.map((t) => {
    const o = f.outcomes.get(t.id);
    const m = o && !o.passed ? misconceptionOf(a, o) : undefined;
    const message = clip(o ? (o.passed ? '' : withSection(o.message, m)) : f.missingReason, MAX_TEST_OUTPUT_CHARS);
    return { testId: t.id, passed: o?.passed ?? false, score: o?.passed ? t.points : 0, maxScore: t.points, message, ...(m ? { misconception: m.id } : {}) };
  });
  const tests: GradescopeTest[] = graded.map((g, i) => ({
    name: `${g.testId}: ${a.tests[i].name}`,
    number: String(i + 1),
    score: g.score,
    max_score: g.maxScore,
    status: g.passed ? 'passed' : 'failed',
    output: g.message,
    visibility: a.tests[i].visibility ?? 'visible',
    ...(g.misconception ? { extra_data: { misconception: g.misconception } } : {}),
  }));
  const score = tests.reduce((s, t) => s + t.score, 0);
  const passed = graded.filter((t) => t.passed).length;
  const headline = `${a.id}: ${score} / ${maxScore(a)} points, ${passed} of ${tests.length} tests passed.`;
  const seconds = [...f.outcomes.values()].reduce((s, o) => s + o.seconds, 0);
  const results: GradescopeResults = {
    score,
    max_score: maxScore(a),
    execution_time: Math.round(seconds * 1000) / 1000,
    output: [headline, ...f.notes.slice(0, MAX_NOTES).map((n) => clip(n, MAX_NOTE_CHARS))].join('\n'),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
    extra_data: { student: f.id },
  };
  const { validate, errorsText } = resultsValidator();
  if (!validate(results)) {
    throw new Error(`internal: results do not match the Gradescope schema: ${errorsText()}`);
  }
  return { id: f.id, assignment: a.id, entry: f.entry, status: f.status, results, tests: graded };
}

function misconceptionOf(a: Assignment, o: TestOutcome): Misconception | undefined {
  if (!o.misconception) return undefined;
  const m = a.misconceptions.find((x) => x.id === o.misconception);
  if (!m) throw new Error(`internal: misconception ${o.misconception} is not in the catalogue of ${a.id}`);
  return m;
}

/** The feedback, then where the course explains the right idea (a page and heading of the course website). */
function withSection(message: string, m: Misconception | undefined): string {
  return m ? `${message}\nThe course explains this in ${sectionTitle(m.section)}: ${sectionHref(m.section)}` : message;
}

/** The typed record again from a results.json this grader wrote for `a` (tests in the assignment's order). */
export function gradedFromResults(a: Assignment, id: string, entry: string, status: StudentStatus, results: GradescopeResults): GradedStudent {
  if (results.tests.length !== a.tests.length) throw new Error(`results of ${id} do not have the ${a.tests.length} tests of ${a.id}`);
  const tests = results.tests.map((t, i) => ({
    testId: a.tests[i].id,
    passed: t.status === 'passed',
    score: t.score,
    maxScore: t.max_score,
    message: t.output,
    ...(t.extra_data ? { misconception: t.extra_data.misconception } : {}),
  }));
  return { id, assignment: a.id, entry, status, results, tests };
}

/**
 * The same results with every test shown to the student at `visibility` (Gradescope's after_due_date, say); the score
 * and the overall message stay visible. Feedback never holds hidden inputs, so this only decides when tests show.
 */
export function withTestVisibility(results: GradescopeResults, visibility: Visibility): GradescopeResults {
  return { ...results, tests: results.tests.map((t) => ({ ...t, visibility })) };
}
