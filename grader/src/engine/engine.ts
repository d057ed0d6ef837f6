import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import { UsageError } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import type { GradedStudent } from '../core/results';
import type { SubmissionRequest } from '../core/submission';
import { findAssignment, assignments } from '../assignments/registry';
import { gradeBatch } from '../grading/run-batch';

// The grading engine: started once, fed submissions one at a time in any order, each promise settling as soon as
// that student is graded. grade, grade-batch, the course service and the benchmarks all grade through it.

/** How each student's code is isolated: a fork of a warm sandboxed zygote, or a fresh sandboxed node per student. */
export type Isolation = 'fork-server' | 'spawn';
export type IsolationChoice = Isolation | 'auto';

export type EngineOptions = {
  /** Submissions graded at the same time (one per core by default in the CLI). */
  jobs: number;
  limits: GradingLimits;
  /** 'auto' (the default) uses the fork server and falls back to spawn where it cannot start. */
  isolation?: IsolationChoice;
};

export interface Engine {
  /** The isolation in use (after 'auto' chose). */
  readonly isolation: Isolation;
  /** Grades one submission; rejects only for a usage error (unknown assignment) or a fault of the grader itself. */
  grade(request: SubmissionRequest): Promise<GradedStudent>;
  /** Stops taking submissions, lets the ones in flight finish, and ends every process the engine started. */
  close(): Promise<void>;
}

export async function startEngine(o: EngineOptions): Promise<Engine> {
  const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-uploads-'));
  let running = 0;
  const waiting: (() => void)[] = [];
  let uploaded = 0;
  const slot = async () => {
    if (running >= o.jobs) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    isolation: 'fork-server',
    async grade(request) {
      const a = resolveAssignment(request.assignment);
      let entry: string;
      if ('path' in request) entry = path.resolve(request.path);
      else {
        const dir = path.join(uploads, String(uploaded++));
        fs.mkdirSync(dir);
        entry = path.join(dir, path.basename(request.filename));
        fs.writeFileSync(entry, request.bytes);
      }
      await slot();
      try {
        const [graded] = await gradeBatch({ assignment: a, entries: [entry], ids: [request.id], jobs: 1, limits: o.limits });
        return graded;
      } finally {
        release();
      }
    },
    async close() {
      fs.rmSync(uploads, { recursive: true, force: true });
    },
  };
}

export function resolveAssignment(a: Assignment | string): Assignment {
  if (typeof a !== 'string') return a;
  const found = findAssignment(a);
  if (!found) throw new UsageError(`unknown assignment "${a}"; known: ${assignments.map((x) => x.id).join(', ')}`);
  return found;
}
