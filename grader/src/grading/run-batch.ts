import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Assignment } from '../assignments/assignment';
import type { RunManifest } from '../hidden/run-manifest';
import { MANIFEST_ENV } from '../hidden/run-manifest';
import { buildResults, type GradescopeResults, type StudentStatus, type TestOutcome } from '../report/gradescope-report';
import { prepareHarness } from '../sandbox/prepare-harness';
import { sandboxCommand } from '../sandbox/bwrap-command';
import type { ProbeLimits } from '../sandbox/sandboxed-probe';
import { prepareSubmission, type Prepared } from '../submission/load-submission';
import { assignStudentIds } from '../submission/student-ids';
import { readJestOutcomes } from './jest-outcomes';

// Grades a list of submissions: compiles them here (trusted, no student code runs), splits the runnable ones into one
// share per job, runs the hidden suite once per share in its own Jest process (each student sandboxed inside it),
// and turns Jest's report into results. Nothing a submission does can stop the other shares or this process.

/** `warning`: what the TA should know about the entry itself (it shared its id with another entry). */
export type GradedStudent = { id: string; entry: string; status: StudentStatus; warning?: string; results: GradescopeResults };
export type BatchOptions = {
  assignment: Assignment;
  entries: string[];
  jobs: number;
  limits: ProbeLimits;
  onProgress?: (done: number, total: number) => void;
};

export class GraderFault extends Error {}

const HIDDEN_CONFIG = path.join(__dirname, '..', '..', 'jest.hidden.config.js');

export async function gradeBatch(o: BatchOptions): Promise<GradedStudent[]> {
  checkSandboxTools();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-run-'));
  // Traversable but not listable by the sandboxes' users, which open only the files they are given by name.
  fs.chmodSync(runDir, 0o711);
  try {
    const harnessDir = prepareHarness(path.join(runDir, 'harness'));
    checkSandboxStarts(harnessDir, o.limits);
    const students = assignStudentIds(o.entries);
    const prepared = students.map((s) => prepareSubmission(s.entry, s.id));
    const runnable = prepared.flatMap((p, index) => ('js' in p ? [{ p, index }] : []));
    const progressFile = path.join(runDir, 'progress');
    fs.writeFileSync(progressFile, '');
    const shares = split(runnable, Math.max(1, Math.min(o.jobs, runnable.length)));
    const ticker = setInterval(() => o.onProgress?.(prepared.length - runnable.length + countLines(progressFile), prepared.length), 200);
    let outcomes: Map<string, Map<string, TestOutcome>>;
    try {
      const reports = await Promise.all(
        shares.map((share, k) => runShare(o.assignment, share, k, { runDir, harnessDir, progressFile, limits: o.limits })),
      );
      outcomes = new Map(reports.flatMap((r) => [...r]));
    } finally {
      clearInterval(ticker);
    }
    o.onProgress?.(prepared.length, prepared.length);
    return prepared.map((p, i) => toGraded(o.assignment, p, outcomes.get(p.id), notesOf(runDir, i, p), students[i].warning));
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

type ShareContext = { runDir: string; harnessDir: string; progressFile: string; limits: ProbeLimits };

type Runnable = { p: Extract<Prepared, { js: string }>; index: number };

async function runShare(a: Assignment, share: Runnable[], k: number, ctx: ShareContext) {
  if (share.length === 0) return new Map<string, Map<string, TestOutcome>>();
  const manifest: RunManifest = {
    harnessDir: ctx.harnessDir,
    limits: ctx.limits,
    progressFile: ctx.progressFile,
    students: share.map(({ p, index }) => {
      const module = path.join(ctx.runDir, `student-${index}.js`);
      fs.writeFileSync(module, p.js, { mode: 0o644 });
      return { id: p.id, module, notesFile: path.join(ctx.runDir, `student-${index}.notes.json`) };
    }),
  };
  const manifestFile = path.join(ctx.runDir, `share-${k}.json`);
  const reportFile = path.join(ctx.runDir, `share-${k}.report.json`);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const stderr = await runJest(a, manifestFile, reportFile);
  if (!fs.existsSync(reportFile)) throw new GraderFault(`the hidden suite's Jest run wrote no report:\n${stderr}`);
  try {
    return readJestOutcomes(reportFile);
  } catch (e) {
    throw new GraderFault(`${(e as Error).message}\n${stderr}`);
  }
}

/** Without the sandbox every student would get 0 for the grader's own problem: refuse to grade instead. */
function checkSandboxTools(): void {
  for (const [tool, args, fix] of [
    ['bwrap', ['--version'], 'install bubblewrap (tools/setup/system-deps.sh does)'],
    ['prlimit', ['--version'], 'install util-linux'],
    ['setpriv', ['--version'], 'install util-linux'],
  ] as const) {
    const r = spawnSync(tool, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) throw new GraderFault(`${tool} is not available (${r.error?.message ?? `exit ${r.status}`}); ${fix}`);
  }
}

/** A sandbox that cannot start (no unprivileged user namespaces, say) is the grader's problem, not the students'. */
function checkSandboxStarts(harnessDir: string, limits: ProbeLimits): void {
  const cmd = sandboxCommand(harnessDir, harnessDir, limits, ['/bin/true']);
  const r = spawnSync(cmd.file, cmd.args, { env: cmd.env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new GraderFault(
      `the sandbox does not start here (${(r.error?.message ?? r.stderr.trim()) || `exit ${r.status}`}); bubblewrap needs unprivileged user namespaces ` +
        '(sysctl kernel.unprivileged_userns_clone=1, and on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0)',
    );
  }
}

function runJest(a: Assignment, manifestFile: string, reportFile: string): Promise<string> {
  const args = [
    require.resolve('jest/bin/jest'),
    '--config',
    HIDDEN_CONFIG,
    '--runInBand',
    '--ci',
    '--silent',
    '--json',
    '--outputFile',
    reportFile,
    '--runTestsByPath',
    a.hiddenSuite,
  ];
  const env = { ...process.env, [MANIFEST_ENV]: manifestFile, TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr!.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-4000)));
    child.on('exit', () => resolve(tail));
    child.on('error', (e) => resolve(e.message));
  });
}

function toGraded(a: Assignment, p: Prepared, outcomes: Map<string, TestOutcome> | undefined, n: StudentNotes, warning?: string): GradedStudent {
  const warnings = warning ? [warning] : [];
  if ('error' in p) {
    const status: StudentStatus = / does not compile:/.test(p.error) ? 'compile-error' : 'invalid';
    return { id: p.id, entry: p.entry, status, warning, results: buildResults(a, p.id, new Map(), status, [...warnings, p.error], `not run: ${firstLine(p.error)}`) };
  }
  const status: StudentStatus = n.loadFailed ? 'load-error' : 'graded';
  const results = buildResults(a, p.id, outcomes ?? new Map(), status, [...warnings, ...n.notes], 'not run (no result from the hidden suite)');
  return { id: p.id, entry: p.entry, status, warning, results };
}

type StudentNotes = { notes: string[]; loadFailed: boolean };

function notesOf(runDir: string, index: number, p: Prepared): StudentNotes {
  const file = path.join(runDir, `student-${index}.notes.json`);
  if ('error' in p || !fs.existsSync(file)) return { notes: [], loadFailed: false };
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StudentNotes;
}

function split<T>(items: T[], n: number): T[][] {
  const shares: T[][] = Array.from({ length: n }, () => []);
  items.forEach((item, i) => shares[i % n].push(item));
  return shares;
}

export class UsageError extends Error {}

function countLines(file: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
