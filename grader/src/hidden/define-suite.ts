import * as fs from 'fs';
import type { Assignment } from '../core/assignment';
import { SandboxedProbe } from '../sandbox/sandboxed-probe';
import { closeZygotes } from '../sandbox/zygote-client';
import { studentId } from '../submission/load-submission';
import { InProcessProbe } from './in-process-probe';
import type { Probe } from './probe';
import { MANIFEST_ENV, SUBMISSION_ENV, type RunManifest } from './run-manifest';

// Declares one Jest `describe` per student and one `test` per hidden test id of the assignment. Students come from
// the batch grader's manifest (sandboxed) or from DECAYLAB_SUBMISSION (in-process, unisolated).

export type Check = (probe: Probe) => Promise<void>;

type Target = { id: string; open: () => Probe; finish: (p: Probe) => Promise<void> };

export function defineHiddenSuite(assignment: Assignment, checks: Record<string, Check>): void {
  const missing = assignment.tests.filter((t) => !checks[t.id]).map((t) => t.id);
  if (missing.length) throw new Error(`hidden suite for ${assignment.id} lacks checks for ${missing.join(', ')}`);
  const { targets, testTimeoutMs } = resolveTargets();
  for (const target of targets) {
    describe(target.id, () => {
      let probe: Probe;
      beforeAll(() => {
        probe = target.open();
      });
      afterAll(() => target.finish(probe), testTimeoutMs);
      for (const t of assignment.tests) test(t.id, () => checks[t.id](probe), testTimeoutMs);
    });
  }
}

function resolveTargets(): { targets: Target[]; testTimeoutMs: number } {
  const manifestFile = process.env[MANIFEST_ENV];
  if (manifestFile) return fromManifest(JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RunManifest);
  const entry = process.env[SUBMISSION_ENV];
  if (!entry) throw new Error(`set ${SUBMISSION_ENV}=<submission file> (or run through decaylab grade-batch)`);
  return { targets: [{ id: studentId(entry), open: () => new InProcessProbe(entry), finish: (p) => p.close() }], testTimeoutMs: 60_000 };
}

function fromManifest(m: RunManifest): { targets: Target[]; testTimeoutMs: number } {
  afterAll(closeZygotes);
  const probes = m.students.map((s) => new SandboxedProbe(m.harnessDir, s.module, m.limits));
  const targets = m.students.map((s, i) => ({
    id: s.id,
    open: () => {
      probes[i].warmUp();
      probes[i + 1]?.warmUp();
      return probes[i];
    },
    finish: async (p: Probe) => {
      await p.close();
      fs.writeFileSync(s.notesFile, JSON.stringify({ notes: p.notes(), loadFailed: p.loadFailed() }));
      fs.appendFileSync(m.progressFile, `${s.id}\n`);
    },
  }));
  return { targets, testTimeoutMs: m.limits.budgetMs + 30_000 };
}
