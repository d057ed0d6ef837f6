import * as fs from 'fs';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import type { GradedStudent } from '../core/results';
import { writeFileAtomic } from './atomic-file';
import { buildClassReport } from './class-report';
import { feedbackMarkdown } from './feedback-file';
import { renderCharts } from './report-charts';
import { reportHtml } from './report-html';

// The end of a class's grading: <out>/report.json, <out>/report.html and <out>/feedback/<student>.md, each written
// atomically, so a reader never sees half a file. The course service serves the same two report texts.

/** report.json and report.html of a class, as grade-batch writes them and the service's staff API serves them. */
export async function renderClassReport(a: Assignment, graded: GradedStudent[]): Promise<{ json: string; html: string }> {
  const report = buildClassReport(a, graded);
  return { json: `${JSON.stringify(report, null, 2)}\n`, html: reportHtml(report, await renderCharts(report)) };
}

const FEEDBACK_WRITES_AT_ONCE = 8;

export type ClassOutputs = { reportJson: string; reportHtml: string; feedbackDir: string };

/** `fileBase` names a student's feedback file (without `.md`); grade-batch passes the base of the student's results file. */
export async function writeClassReport(out: string, a: Assignment, graded: GradedStudent[], fileBase = (id: string) => id): Promise<ClassOutputs> {
  const report = await renderClassReport(a, graded);
  const files: ClassOutputs = { reportJson: path.join(out, 'report.json'), reportHtml: path.join(out, 'report.html'), feedbackDir: path.join(out, 'feedback') };
  fs.mkdirSync(files.feedbackDir, { recursive: true });
  await writeFileAtomic(files.reportJson, report.json);
  await writeFileAtomic(files.reportHtml, report.html);
  // A few side by side: their syncs overlap on the thread pool instead of adding up, with few files open at once.
  for (let i = 0; i < graded.length; i += FEEDBACK_WRITES_AT_ONCE) {
    const batch = graded.slice(i, i + FEEDBACK_WRITES_AT_ONCE);
    await Promise.all(batch.map((g) => writeFileAtomic(path.join(files.feedbackDir, `${fileBase(g.id)}.md`), feedbackMarkdown(a, g))));
  }
  return files;
}
