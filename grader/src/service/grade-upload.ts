import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Assignment } from '../assignments/assignment';
import { gradeBatch, type GradedStudent } from '../grading/run-batch';
import type { ProbeLimits } from '../sandbox/sandboxed-probe';

// Grades one uploaded file. TEMPORARY until the engine lands: one grade-batch run on a one-entry folder per upload.

export type Upload = { assignment: Assignment; id: string; filename: string; bytes: Buffer };
export type Grader = { grade(u: Upload): Promise<GradedStudent>; close(): Promise<void> };

export async function startGrader(o: { jobs: number; limits: ProbeLimits }): Promise<Grader> {
  return {
    async grade(u) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-upload-'));
      try {
        const entry = path.join(dir, u.id);
        fs.mkdirSync(entry);
        fs.writeFileSync(path.join(entry, u.filename), u.bytes);
        const [graded] = await gradeBatch({ assignment: u.assignment, entries: [entry], jobs: 1, limits: o.limits });
        return graded;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    async close() {},
  };
}
