import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Assignment } from '../core/assignment';
import type { RunManifest } from '../hidden/run-manifest';
import { MANIFEST_ENV } from '../hidden/run-manifest';
import { gradedStudent } from '../core/grading-results';
import { GraderFault, UsageError } from '../core/errors';
import type { GradedStudent, StudentStatus, TestOutcome } from '../core/results';
import { prepareHarness } from '../sandbox/prepare-harness';
import { sandboxCommand } from '../sandbox/bwrap-command';
import type { GradingLimits } from '../core/limits';
import { prepareSubmission, type Prepared } from '../submission/load-submission';
import { readJestOutcomes } from './jest-outcomes';

// Grades a list of submissions: compiles them here (trusted, no student code runs), splits the runnable ones into one
// share per job, runs the hidden suite once per share in its own Jest process (each student sandboxed inside it),
// and turns Jest's report into results. Nothing a submission does can stop the other shares or this process.

export type BatchOptions = {
  assignment: Assignment;
  entries: string[];
  /** Student ids, one per entry (default: each entry's name without extension). */
  ids?: string[];
  jobs: number;
  limits: GradingLimits;
  onProgress?: (done: number, total: number) => void;
};

const HIDDEN_CONFIG = path.join(__dirname, '..', '..', 'jest.hidden.config.js');

export async function gradeBatch(o: BatchOptions): Promise<GradedStudent[]> {
  checkSandboxTools();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-run-'));
  // Traversable but not listable by the sandboxes' users, which open only the files they are given by name.
  fs.chmodSync(runDir, 0o711);
  try {
    const harnessDir = prepareHarness(path.join(runDir, 'harness'));
    checkSandboxStarts(harnessDir, o.limits);
    const prepared = o.entries.map((e, i) => prepareSubmission(e, o.ids?.[i]));
    assertUniqueIds(prepared);
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
    return prepared.map((p, i) => toGraded(o.assignment, p, outcomes.get(p.id), notesOf(runDir, i, p)));
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

type ShareContext = { runDir: string; harnessDir: string; progressFile: string; limits: GradingLimits };

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
function checkSandboxStarts(harnessDir: string, limits: GradingLimits): void {
  const cmd = sandboxCommand(harnessDir, harnessDir, limits, ['/bin/true']);
  const r = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
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

function toGraded(a: Assignment, p: Prepared, outcomes: Map<string, TestOutcome> | undefined, n: StudentNotes): GradedStudent {
  if ('error' in p) return gradedStudent(a, { id: p.id, entry: p.entry, status: p.status, outcomes: new Map(), notes: [p.error], missingReason: `not run: ${firstLine(p.error)}` });
  const status: StudentStatus = n.loadFailed ? 'load-error' : 'graded';
  return gradedStudent(a, { id: p.id, entry: p.entry, status, outcomes: outcomes ?? new Map(), notes: n.notes, missingReason: 'not run (no result from the hidden suite)' });
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

function assertUniqueIds(prepared: Prepared[]): void {
  const seen = new Map<string, string>();
  for (const p of prepared) {
    const other = seen.get(p.id);
    if (other) throw new UsageError(`two entries give the same student id "${p.id}": ${other} and ${p.entry}`);
    seen.set(p.id, p.entry);
  }
}

function countLines(file: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
