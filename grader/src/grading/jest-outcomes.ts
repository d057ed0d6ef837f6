import * as fs from 'fs';
import type { TestOutcome } from '../core/results';

// Reads the per-test outcomes of one hidden-suite Jest run from Jest's own --json report: describe = student id,
// test title = test id. A failure thrown as our Feedback arrives with its own fields in `failureDetails` (its text and
// the misconception it names); of any other failure only the first line is kept, never a stack.

type JestJson = {
  testResults: {
    message?: string;
    testExecError?: { message?: string };
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      status: string;
      failureMessages: string[];
      failureDetails?: unknown[];
      duration?: number | null;
    }[];
  }[];
};

export function readJestOutcomes(file: string): Map<string, Map<string, TestOutcome>> {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as JestJson;
  const byStudent = new Map<string, Map<string, TestOutcome>>();
  for (const suite of report.testResults) {
    if (suite.assertionResults.length === 0 && (suite.testExecError || suite.message)) {
      throw new Error(`the hidden suite did not run: ${firstLine(suite.testExecError?.message ?? suite.message ?? '')}`);
    }
    for (const a of suite.assertionResults) {
      const id = a.ancestorTitles[0];
      if (!byStudent.has(id)) byStudent.set(id, new Map());
      const passed = a.status === 'passed';
      const feedback = passed ? undefined : feedbackOf(a.failureDetails?.[0]);
      byStudent.get(id)!.set(a.title, {
        testId: a.title,
        passed,
        message: passed ? '' : (feedback?.text ?? failureText(a.failureMessages[0] ?? `test ${a.status}`)),
        seconds: (a.duration ?? 0) / 1000,
        ...(feedback?.misconception ? { misconception: feedback.misconception } : {}),
      });
    }
  }
  return byStudent;
}

/** The fields of a Feedback error as Jest serialised them (own enumerable properties). */
function feedbackOf(detail: unknown): { text: string; misconception?: string } | undefined {
  if (!detail || typeof detail !== 'object') return undefined;
  const d = detail as Record<string, unknown>;
  if (d.name !== 'Feedback' || typeof d.text !== 'string') return undefined;
  return { text: d.text, ...(typeof d.misconception === 'string' ? { misconception: d.misconception } : {}) };
}

function failureText(raw: string): string {
  if (/Exceeded timeout/.test(raw)) return 'the test did not finish within its time limit';
  return `the grader could not judge this test (${firstLine(raw)})`;
}

function firstLine(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0].slice(0, 300);
}
