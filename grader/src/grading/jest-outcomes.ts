import * as fs from 'fs';
import { FEEDBACK_PREFIX } from '../hidden/feedback';
import type { TestOutcome } from '../core/results';

// Reads the per-test outcomes of one hidden-suite Jest run from Jest's own --json report: describe = student id,
// test title = test id. Only the first line of a failure that is not our Feedback is kept, never a stack.

type JestJson = {
  testResults: {
    message?: string;
    testExecError?: { message?: string };
    assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[]; duration?: number | null }[];
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
      byStudent.get(id)!.set(a.title, {
        testId: a.title,
        passed: a.status === 'passed',
        message: a.status === 'passed' ? '' : failureText(a.failureMessages[0] ?? `test ${a.status}`),
        seconds: (a.duration ?? 0) / 1000,
      });
    }
  }
  return byStudent;
}

function failureText(raw: string): string {
  const at = raw.indexOf(FEEDBACK_PREFIX);
  if (at >= 0) return raw.slice(at + FEEDBACK_PREFIX.length).split(/\n\s+at /)[0].trim();
  if (/Exceeded timeout/.test(raw)) return 'the test did not finish within its time limit';
  return `the grader could not judge this test (${firstLine(raw)})`;
}

function firstLine(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0].slice(0, 300);
}
