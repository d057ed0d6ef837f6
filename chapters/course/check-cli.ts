#!/usr/bin/env node
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { COURSE_CHAPTERS, type CourseChapter } from './chapters';
import { allPass, formatReport, runPublicTests } from './check-run';
import { loadExercises } from './check-notebook';

// `npm run check [-- <notebook>...]` in the student release: the public tests on the saved notebooks, one line per
// graded function, exit 0 only when every public test passes.

/** The chapter a notebook belongs to: by its file name (a renamed copy needs --assignment). */
function chapterOf(file: string, assignment?: string): CourseChapter {
  const found = assignment ? COURSE_CHAPTERS.find((c) => c.assignment === assignment) : COURSE_CHAPTERS.find((c) => path.basename(file) === c.notebook);
  if (found) return found;
  if (assignment) throw new Error(`--assignment ${assignment}: no such assignment; expected one of ${COURSE_CHAPTERS.map((c) => c.assignment).join(', ')}`);
  throw new Error(`${file}: not one of the course's notebooks (${COURSE_CHAPTERS.map((c) => c.notebook).join(', ')}); say which with --assignment <id>`);
}

function checkNotebook(file: string, chapter: CourseChapter): boolean {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such notebook`);
  console.log(`${chapter.assignment} (${file})`);
  const report = runPublicTests(chapter.assignment, loadExercises(file, chapter.exercises));
  for (const line of formatReport(report)) console.log(line);
  return allPass(report);
}

function main(argv: string[]): number {
  const program = new Command('check')
    .description('Runs the public tests on your notebooks: one line per graded function; exit 0 when every public test passes.')
    .argument('[notebooks...]', 'notebooks to check (default: the three chapters of this folder)')
    .option('--assignment <id>', `the assignment of a renamed notebook (${COURSE_CHAPTERS.map((c) => c.assignment).join(', ')})`)
    .parse(argv, { from: 'user' });
  const given = program.args;
  const { assignment } = program.opts<{ assignment?: string }>();
  // npm runs scripts from the package's folder; a path is the student's, relative to where they typed the command.
  const from = process.env.INIT_CWD ?? process.cwd();
  const targets = given.length
    ? given.map((f) => ({ file: path.relative(process.cwd(), path.resolve(from, f)) || f, chapter: chapterOf(f, assignment) }))
    : COURSE_CHAPTERS.map((c) => ({ file: path.join(c.dir, c.notebook), chapter: c }));
  let ok = true;
  for (const t of targets) {
    try {
      if (!checkNotebook(t.file, t.chapter)) ok = false;
    } catch (e) {
      console.log(`${t.chapter.assignment}: ${(e as Error).message}`);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`check: ${(e as Error).message}`);
  process.exitCode = 1;
}
