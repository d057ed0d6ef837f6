import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { maxScore, type Assignment } from '../core/assignment';
import { assignments, findAssignment } from '../assignments/registry';
import { GraderFault, UsageError } from '../core/errors';
import type { GradedStudent } from '../core/results';
import { startEngine } from '../engine/engine';
import { gradeBatch } from '../grading/run-batch';
import { studentId } from '../submission/load-submission';
import { gradebookCsv } from '../report/gradebook-csv';
import { writeClassReport } from '../report/write-class-report';
import { listEntries } from '../submission/load-submission';
import { defaultJobs, limitsFrom, positiveInt, positiveNumber, type LimitFlags } from './options';
import { progressReporter } from './progress';

// The `decaylab` command line. Exit codes: 0 grading ran (whatever the scores), 2 usage error, 1 internal fault.

const EXIT_OK = 0;
const EXIT_FAULT = 1;
const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('decaylab')
    .description('DecayLab autograder: hidden Jest tests on the tfjs-node native backend, each submission sandboxed')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const withLimits = (c: Command) =>
    c
      .addOption(new Option('--test-timeout <seconds>', 'wall-clock limit of one call into the submission').argParser(positiveNumber).default(10))
      .addOption(new Option('--submission-timeout <seconds>', 'wall-clock budget of one submission over all tests').argParser(positiveNumber).default(120))
      .addOption(new Option('--memory <mb>', 'resident memory limit of one submission, tfjs included').argParser(positiveInt).default(1536));

  withLimits(
    program
      .command('grade')
      .description('grade one submission and write its Gradescope results.json')
      .argument('<submission>', 'a .ts/.js module, an .ipynb notebook, or a folder holding one')
      .requiredOption('--assignment <id>', 'assignment id (see `decaylab assignments`)')
      .requiredOption('--out <results.json>', 'where to write the results'),
  ).action(async (submission: string, opts: LimitFlags & { assignment: string; out: string }) => {
    const a = needAssignment(opts.assignment);
    needPath(submission);
    const engine = await startEngine({ jobs: 1, limits: limitsFrom(opts) });
    let graded: GradedStudent;
    try {
      graded = await engine.grade({ assignment: a, id: studentId(submission), path: submission });
    } finally {
      await engine.close();
    }
    writeJson(opts.out, graded.results);
    process.stdout.write(`${graded.results.output}\n${failedLines(graded)}wrote ${opts.out}\n`);
  });

  withLimits(
    program
      .command('grade-batch')
      .description('grade every entry of a class folder; write <out>/<student>.json and <out>/gradebook.csv')
      .argument('<folder>', 'one entry per student: a .ts/.js file, an .ipynb notebook, or a folder holding one')
      .requiredOption('--assignment <id>', 'assignment id (see `decaylab assignments`)')
      .requiredOption('--out <folder>', 'output folder (created if missing)')
      .addOption(new Option('--jobs <n>', 'submissions graded in parallel').argParser(positiveInt).default(defaultJobs(), 'all cores')),
  ).action(async (folder: string, opts: LimitFlags & { assignment: string; out: string; jobs: number }) => {
    const a = needAssignment(opts.assignment);
    needPath(folder);
    if (!fs.statSync(folder).isDirectory()) throw new UsageError(`${folder} is not a folder`);
    const entries = listEntries(path.resolve(folder));
    if (entries.length === 0) throw new UsageError(`${folder} holds no submissions`);
    const bar = progressReporter(`grading ${a.id}`);
    const started = Date.now();
    let graded: GradedStudent[];
    try {
      graded = await gradeBatch({ assignment: a, entries, jobs: opts.jobs, limits: limitsFrom(opts), onProgress: bar.update });
    } finally {
      bar.stop();
    }
    fs.mkdirSync(opts.out, { recursive: true });
    for (const g of graded) writeJson(path.join(opts.out, `${g.id}.json`), g.results);
    fs.writeFileSync(path.join(opts.out, 'gradebook.csv'), gradebookCsv(a, graded));
    await writeClassReport(opts.out, a, graded);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const g of graded) process.stdout.write(`${g.id}: ${g.results.score}/${g.results.max_score} (${g.status})\n`);
    process.stdout.write(
      `graded ${graded.length} submissions in ${seconds} s; wrote ${opts.out}/gradebook.csv, report.html, report.json, one results file per student and feedback/<student>.md\n`,
    );
  });

  program
    .command('assignments')
    .description('list the assignments with their tests and points')
    .action(() => {
      for (const a of assignments) process.stdout.write(describeAssignment(a));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    code = exitCodeFor(e);
  }
  return code;
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (e instanceof UsageError) {
    process.stderr.write(`decaylab: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const message = e instanceof GraderFault ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
  process.stderr.write(`decaylab: ${message}\n(this is a fault of the grader, not of a submission; please report it)\n`);
  return EXIT_FAULT;
}

function needAssignment(id: string): Assignment {
  const a = findAssignment(id);
  if (!a) throw new UsageError(`unknown assignment "${id}"; known: ${assignments.map((x) => x.id).join(', ')}`);
  return a;
}

function needPath(p: string): void {
  if (!fs.existsSync(p)) throw new UsageError(`${p} does not exist`);
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function failedLines(g: GradedStudent): string {
  return g.tests
    .filter((t) => !t.passed)
    .map((t) => `  failed ${t.testId}: ${t.message.split('\n')[0]}\n`)
    .join('');
}

function describeAssignment(a: Assignment): string {
  const lines = a.tests.map((t) => `  ${String(t.points).padStart(2)}  ${t.id.padEnd(28)} ${t.name}`);
  return `${a.id}: ${a.title} (${maxScore(a)} points; exports ${a.exports.join(', ')})\n${lines.join('\n')}\n\n`;
}
