import * as fs from 'fs';
import * as path from 'path';
import { Command, Option } from 'commander';
import type { Assignment } from '../core/assignment';
import { UsageError } from '../core/errors';
import { gradedFromResults } from '../core/grading-results';
import type { GradingLimits } from '../core/limits';
import type { GradedStudent, GradescopeResults } from '../core/results';
import { graderVersion } from '../core/version';
import { startEngine } from '../engine/engine';
import { writeFileAtomic } from '../report/atomic-file';
import { gradebookCsv } from '../report/gradebook-csv';
import { writeClassReport } from '../report/write-class-report';
import { ResumeManifest, sha256, submissionHash } from '../report/resume-manifest';
import { printable } from '../report/printable';
import { resultFileNames } from '../report/result-file-names';
import { listEntries } from '../submission/load-submission';
import { assignStudentIds } from '../submission/student-ids';
import {
  addIsolationOption,
  addLimitOptions,
  defaultJobs,
  limitsFrom,
  needAssignment,
  needPath,
  positiveInt,
  type IsolationFlag,
  type LimitFlags,
} from './options';
import { print } from './output';
import { progressReporter } from './progress';

// `decaylab grade-batch`: a class folder through the engine. Each student's results file is written (atomically) the
// moment that student is done and recorded in the --out folder's manifest, so a run stopped at any point, even by
// kill -9, resumes where it was: the same command grades only the students without valid results, and writes the
// same gradebook.csv an uninterrupted run would.

type BatchFlags = LimitFlags & IsolationFlag & { assignment: string; out: string; jobs: number; force?: boolean };

export function gradeBatchCommand(program: Command): void {
  const command = program
    .command('grade-batch')
    .description('grade every entry of a class folder; write <out>/<student>.json as each is done and <out>/gradebook.csv')
    .argument('<folder>', 'one entry per student: a .ts/.js file, an .ipynb notebook, or a folder holding one')
    .requiredOption('--assignment <id>', 'assignment id (see `decaylab assignments`)')
    .requiredOption('--out <folder>', 'output folder (created if missing); a second run over it grades only what changed')
    .addOption(new Option('--jobs <n>', 'submissions graded in parallel').argParser(positiveInt).default(defaultJobs(), 'all cores'))
    .option('--force', 'grade every student again, even those with valid results in --out');
  addIsolationOption(addLimitOptions(command)).action((folder: string, opts: BatchFlags) => gradeBatch(folder, opts));
}

async function gradeBatch(folder: string, opts: BatchFlags): Promise<void> {
  const a = needAssignment(opts.assignment);
  needPath(folder);
  if (!fs.statSync(folder).isDirectory()) throw new UsageError(`${folder} is not a folder`);
  const entries = listEntries(path.resolve(folder));
  if (entries.length === 0) throw new UsageError(`${folder} holds no submissions`);
  const students = assignStudentIds(entries);
  const ids = students.map((s) => s.id);
  const files = new Map(resultFileNames(ids).map((f, i) => [ids[i], f]));
  for (const s of students) if (s.warning) process.stderr.write(`decaylab: warning: ${printable(s.warning)}\n`);
  const limits = limitsFrom(opts);
  fs.mkdirSync(opts.out, { recursive: true });
  const manifest = new ResumeManifest(opts.out);
  const settings = settingsHash(a, limits);
  const started = Date.now();
  const graded = new Map<string, GradedStudent>();
  const todo: { id: string; entry: string; warning?: string; fingerprint: string }[] = [];
  for (const { id, entry, warning } of students) {
    const fingerprint = sha256(`${submissionHash(entry)}\0${settings}`);
    const resultsFile = path.join(opts.out, files.get(id)!);
    const earlier = opts.force ? undefined : manifest.current(id, fingerprint, resultsFile);
    if (earlier) graded.set(id, gradedFromResults(a, id, entry, earlier.status, JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as GradescopeResults));
    else todo.push({ id, entry, warning, fingerprint });
  }
  const bar = progressReporter(`grading ${a.id}`, todo.length);
  if (graded.size > 0) print(`${graded.size} of ${entries.length} students already graded in ${opts.out} (unchanged); grading ${todo.length}\n`);
  if (todo.length > 0) {
    const engine = await startEngine({
      jobs: Math.min(opts.jobs, todo.length),
      limits,
      isolation: opts.isolation,
      onEvent: (e) => e.type === 'isolation' && bar.log(e.line),
    });
    try {
      await Promise.all(
        todo.map(async ({ id, entry, warning, fingerprint }) => {
          const g = await engine.grade({ assignment: a, id, path: entry, warning });
          const text = JSON.stringify(g.results, null, 2) + '\n';
          await writeFileAtomic(path.join(opts.out, files.get(id)!), text);
          await manifest.record({ id, fingerprint, results: sha256(text), status: g.status });
          graded.set(id, g);
          bar.student(scoreLine(g, files.get(id)!));
        }),
      );
    } finally {
      bar.stop();
      await engine.close();
    }
  }
  // The class's final results, in the folder's order: the one place the whole class is at hand.
  const results = ids.map((id) => graded.get(id)!);
  await writeFileAtomic(path.join(opts.out, 'gradebook.csv'), gradebookCsv(a, results));
  await writeClassReport(opts.out, a, results, (id) => files.get(id)!.replace(/\.json$/, ''));
  await manifest.compact(ids);
  if (bar.isTerminal) for (const g of results) print(`${scoreLine(g, files.get(g.id)!)}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  print(
    `graded ${todo.length} of ${results.length} submissions in ${seconds} s; wrote ${opts.out}/gradebook.csv, report.html, report.json, ` +
      'one results file per student and feedback/<student>.md\n',
  );
}

/** What results depend on besides the submission: the assignment's tests and points, the limits, the grader. */
function settingsHash(a: Assignment, limits: GradingLimits): string {
  return sha256(JSON.stringify({ assignment: a.id, tests: a.tests, limits, grader: graderVersion() }));
}

/** A student's line for the terminal: its id made printable, and its results file when that is not `<id>.json`. */
function scoreLine(g: GradedStudent, file: string): string {
  const where = file === `${g.id}.json` ? '' : `, results in ${file}`;
  return `${printable(g.id)}: ${g.results.score}/${g.results.max_score} (${g.status}${where})`;
}
