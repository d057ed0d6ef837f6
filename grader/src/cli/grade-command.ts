import * as fs from 'fs';
import * as path from 'path';
import { Option, type Command } from 'commander';
import { VISIBILITIES, type Visibility } from '../core/assignment';
import { prepareResultsValidation, withTestVisibility } from '../core/grading-results';
import type { GradedStudent } from '../core/results';
import { startEngine } from '../engine/engine';
import { describeConfinement } from '../sandbox/confinement';
import { writeFileAtomic } from '../report/atomic-file';
import { printableLines } from '../report/printable';
import { studentId } from '../submission/load-submission';
import { addIsolationOption, addLimitOptions, limitsFrom, needAssignment, needPath, type IsolationFlag, type LimitFlags } from './options';
import { print } from './output';

// `decaylab grade`: one submission (a Gradescope container, a student checking their work) through the engine.

type GradeFlags = LimitFlags & IsolationFlag & { assignment: string; out: string; visibility?: Visibility };

export function gradeCommand(program: Command): void {
  const command = program
    .command('grade')
    .description('grade one submission and write its Gradescope results.json')
    .argument('<submission>', 'a .ts/.js module, an .ipynb notebook, or a folder holding one')
    .requiredOption('--assignment <id>', 'assignment id (see `decaylab assignments`)')
    .requiredOption('--out <results.json>', 'where to write the results')
    .addOption(new Option('--visibility <when>', "when Gradescope shows each test to the student (default: the assignment's own)").choices(VISIBILITIES));
  addIsolationOption(addLimitOptions(command)).action(async (submission: string, opts: GradeFlags) => {
    const a = needAssignment(opts.assignment);
    needPath(submission);
    const engine = await startEngine({
      jobs: 1,
      limits: limitsFrom(opts),
      isolation: opts.isolation,
      // The lane loads while the submission compiles; it has one student to take.
      warm: [a],
      slotsPerLane: 1,
      onEvent: (e) => e.type === 'isolation' && process.stderr.write(`${e.line}\n`),
    });
    try {
      const grading = engine.grade({ assignment: a, id: studentId(submission), path: submission });
      // Compiled while the lane starts, not after the last test.
      prepareResultsValidation();
      const graded = await grading;
      // Written before the lane has ended: its exit is the engine's to wait for, not the results'.
      fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      const results = opts.visibility ? withTestVisibility(graded.results, opts.visibility) : graded.results;
      await writeFileAtomic(path.resolve(opts.out), JSON.stringify(results, null, 2) + '\n');
      print(`${printableLines(`${graded.results.output}\n${failedLines(graded)}`)}wrote ${opts.out}\n${describeConfinement(engine.confinement)}\n`);
    } finally {
      await engine.close();
    }
  });
}

function failedLines(g: GradedStudent): string {
  return g.tests
    .filter((t) => !t.passed)
    .map((t) => `  failed ${t.testId}: ${t.message.split('\n')[0]}\n`)
    .join('');
}
