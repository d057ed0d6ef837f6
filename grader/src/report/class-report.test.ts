import { decay } from '../assignments/decay';
import { gradedStudent } from '../core/grading-results';
import type { GradedStudent, StudentStatus, TestOutcome } from '../core/results';
import { buildClassReport } from './class-report';
import { feedbackMarkdown } from './feedback-file';
import { renderCharts } from './report-charts';
import { reportHtml } from './report-html';

// The class report from typed results made up here (no grading): counts, outliers, and untrusted text kept inert.

function student(id: string, o: { status?: StudentStatus; fail?: Record<string, string | undefined>; seconds?: number } = {}): GradedStudent {
  const outcomes = new Map<string, TestOutcome>();
  if ((o.status ?? 'graded') === 'graded') {
    for (const t of decay.tests) {
      const failed = o.fail && t.id in o.fail;
      const misconception = failed ? o.fail![t.id] : undefined;
      outcomes.set(t.id, {
        testId: t.id,
        passed: !failed,
        message: failed ? `${t.id} is wrong <b>here</b>` : '',
        seconds: (o.seconds ?? 1) / decay.tests.length,
        ...(misconception ? { misconception } : {}),
      });
    }
  }
  const notes = o.status && o.status !== 'graded' ? [`${id}.ts does not compile: <script>alert(1)</script>`] : [];
  return gradedStudent(decay, { id, entry: `${id}.ts`, status: o.status ?? 'graded', outcomes, notes, missingReason: 'not run' });
}

const hostileId = '<img src=x onerror=alert(1)>';
const klass = [
  student('ann'),
  student('ben', { fail: { 'adamWStep.decoupled': 'adamWStep.l2-in-gradient', 'adamWStep.firstStep': 'adamWStep.l2-in-gradient' } }),
  student(hostileId, {
    fail: { 'adamWStep.decoupled': 'adamWStep.l2-in-gradient', 'l2Penalty.half': 'l2Penalty.missing-half', 'contract.noLeaks': undefined },
  }),
  student('cat', { seconds: 30 }),
  student('dan', { seconds: 1.2 }),
  student('eve', { status: 'compile-error' }),
];

test('counts each misconception once per student, with the tests it made fail, most frequent first', () => {
  const r = buildClassReport(decay, klass);
  expect(r.misconceptions.map((m) => [m.id, m.students.length])).toEqual([
    ['adamWStep.l2-in-gradient', 2],
    ['l2Penalty.missing-half', 1],
  ]);
  expect(r.misconceptions[0].tests).toEqual([
    { id: 'adamWStep.firstStep', students: 1 },
    { id: 'adamWStep.decoupled', students: 2 },
  ]);
  expect(r.misconceptions[0].section.href).toBe('02-l2-vs-decay.html#4-adam-where-the-equivalence-breaks');
  expect(r.tests.find((t) => t.id === 'adamWStep.decoupled')).toMatchObject({ passed: 3, failed: 3 });
  expect(r.notRun.map((n) => [n.student, n.status])).toEqual([['eve', 'compile-error']]);
  expect(r.timing.perStudent.filter((t) => t.outlier).map((t) => t.student)).toEqual(['cat']);
});

test('student ids and messages are escaped in report.html, the embedded data cannot close its script element', async () => {
  const r = buildClassReport(decay, klass);
  const html = reportHtml(r, await renderCharts(r));
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<script>alert');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(html).toContain("default-src 'none'");
});

test("a student's feedback file names what to revisit and fences every message", () => {
  const md = feedbackMarkdown(decay, klass[1]);
  expect(md).toMatch(
    /## What to revisit\n\n- `adamWStep`: .*Reread \[chapter 2, "4\. Adam: where the equivalence breaks"\]\(02-l2-vs-decay\.html#4-adam-where-the-equivalence-breaks\)/,
  );
  expect(md).toContain('```text\n  adamWStep.decoupled is wrong <b>here</b>');
  expect(feedbackMarkdown(decay, klass[0])).not.toContain('What to revisit');
});
