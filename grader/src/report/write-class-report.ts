import * as fs from 'fs';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import type { GradedStudent } from '../core/results';
import { buildClassReport } from './class-report';
import { feedbackMarkdown } from './feedback-file';
import { renderCharts } from './report-charts';
import { reportHtml } from './report-html';

// The end of a class's grading: <out>/report.json, <out>/report.html and <out>/feedback/<student>.md, each written to
// a temporary name and renamed, so a reader never sees half a file.

export type ClassOutputs = { reportJson: string; reportHtml: string; feedbackDir: string };

export async function writeClassReport(out: string, a: Assignment, graded: GradedStudent[]): Promise<ClassOutputs> {
  const report = buildClassReport(a, graded);
  const files: ClassOutputs = { reportJson: path.join(out, 'report.json'), reportHtml: path.join(out, 'report.html'), feedbackDir: path.join(out, 'feedback') };
  fs.mkdirSync(files.feedbackDir, { recursive: true });
  writeAtomically(files.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(files.reportHtml, reportHtml(report, await renderCharts(report)));
  for (const g of graded) writeAtomically(path.join(files.feedbackDir, `${g.id}.md`), feedbackMarkdown(a, g));
  return files;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
