import * as fs from 'fs';
import * as path from 'path';
import { CHAPTERS, CHAPTERS_ROOT, REPO_ROOT, notebookPath, type Chapter } from './course-manifest';
import { executeNotebook, type CellRun, type NotebookRun } from './execute-notebook';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { MODEL_ANSWER_TAG, withModelAnswers } from './model-answers';
import { writeRepoKernelSpec } from './kernel-spec';
import { linkReleaseModules } from './link-release-modules';
import { buildRelease } from './release';
import { cellText, readNotebook, type Notebook } from './notebook-file';
import { stubExercises } from './stub-exercises';

// `nx run chapters:execute [-- --out <dir>] [--only <chapter-dir>]`: runs every chapter twice through Jupyter and the
// tslab kernel. With the reference solutions filled in, no cell may fail. The student form is run from a freshly built
// release (what students receive, with its own node_modules), and there the only failures allowed are exercises that
// throw "not implemented yet". Prints the time of each run and of the whole course.

export interface ChapterOutcome {
  chapter: string;
  solvedSeconds: number;
  studentSeconds: number;
  problems: string[];
}

/** Problems with the committed notebook itself: outputs left in, or exercise code where the stubs should be. */
export function sourceProblems(nb: Notebook, c: Chapter): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type === 'code' && ((cell.outputs ?? []).length > 0 || cell.execution_count != null)) {
      problems.push(`cell ${i} has outputs or an execution count; commit notebooks clean`);
    }
  });
  nb.cells.forEach((cell, i) => {
    if ((cell.metadata.tags ?? []).includes(MODEL_ANSWER_TAG)) {
      problems.push(`cell ${i} is a model answer; those live in solutions/free-response, not in the notebook`);
    }
  });
  const stubbed = stubExercises(nb, c.exercises);
  stubbed.cells.forEach((cell, i) => {
    if (cellText(cell) !== cellText(nb.cells[i])) problems.push(`exercise cell ${i} contains an implementation; commit the student form (stubs)`);
  });
  return problems;
}

const describeCell = (r: CellRun) => `cell ${r.index}: ${r.errorText.trim().split('\n').slice(0, 6).join('\n    ') || '(no message)'}`;

export function solvedProblems(run: NotebookRun): string[] {
  return run.cells.filter((r) => r.status !== 'ok').map((r) => `solved form, ${describeCell(r)}`);
}

export function studentProblems(run: NotebookRun): string[] {
  return run.cells
    .filter((r) => r.status !== 'ok' && !/: not implemented yet/.test(r.errorText))
    .map((r) => `student form, a failure other than "not implemented yet" in ${describeCell(r)}`);
}

export function executeChapter(c: Chapter, outRoot: string, jupyterPath: string, release: string): ChapterOutcome {
  const nb = readNotebook(notebookPath(c));
  const problems = sourceProblems(nb, c);
  const reference = loadReferenceDeclarations(path.join(REPO_ROOT, 'solutions', 'src', c.solutionsArea));
  const workdir = path.join(CHAPTERS_ROOT, c.dir);
  const instructor = withModelAnswers(fillSolutions(nb, c.exercises, reference), c.dir);
  const solved = executeNotebook(instructor, { jupyterPath, workdir, outDir: path.join(outRoot, c.dir, 'solved') });
  problems.push(...solvedProblems(solved));
  const student = executeNotebook(readNotebook(path.join(release, c.dir, c.notebook)), {
    jupyterPath,
    workdir: path.join(release, c.dir),
    outDir: path.join(outRoot, c.dir, 'student'),
  });
  problems.push(...studentProblems(student));
  if (!student.cells.some((r) => r.status !== 'ok')) problems.push('student form: no exercise failed, so the notebook never calls them');
  return { chapter: c.dir, solvedSeconds: solved.seconds, studentSeconds: student.seconds, problems };
}

function parseArgs(argv: string[]): { out: string; only?: string } {
  const args: { out: string; only?: string } = { out: path.join(CHAPTERS_ROOT, '.executed') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if ((flag === '--out' || flag === '--only') && value) {
      if (flag === '--out') args.out = path.resolve(value);
      else args.only = value;
      i++;
    } else {
      throw new Error(`unknown argument '${flag}'. usage: execute [--out <dir>] [--only <chapter-dir>]`);
    }
  }
  return args;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const chapters = CHAPTERS.filter((c) => !args.only || c.dir === args.only);
  if (chapters.length === 0) throw new Error(`--only ${args.only}: no such chapter; chapters are ${CHAPTERS.map((c) => c.dir).join(', ')}`);
  for (const c of chapters) fs.rmSync(path.join(args.out, c.dir), { recursive: true, force: true });
  const jupyterPath = path.join(args.out, 'jupyter');
  writeRepoKernelSpec(jupyterPath);
  const release = path.join(args.out, 'release');
  fs.rmSync(release, { recursive: true, force: true });
  buildRelease(release);
  linkReleaseModules(release);
  const outcomes: ChapterOutcome[] = [];
  for (const c of chapters) {
    const o = executeChapter(c, args.out, jupyterPath, release);
    outcomes.push(o);
    fs.writeFileSync(path.join(args.out, c.dir, 'outcome.json'), JSON.stringify(o, null, 1));
    const verdict = o.problems.length ? `${o.problems.length} problem(s)` : 'ok';
    console.log(`${c.dir}: solved ${o.solvedSeconds.toFixed(1)} s, student form ${o.studentSeconds.toFixed(1)} s: ${verdict}`);
    for (const p of o.problems) console.log(`  - ${p}`);
  }
  const total = outcomes.reduce((s, o) => s + o.solvedSeconds, 0);
  const totalStudent = outcomes.reduce((s, o) => s + o.studentSeconds, 0);
  console.log(`whole course: ${total.toFixed(1)} s solved, ${totalStudent.toFixed(1)} s student form (executed notebooks in ${args.out})`);
  return outcomes.some((o) => o.problems.length) ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`chapters:execute: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
