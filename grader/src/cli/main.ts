import { Command, CommanderError } from 'commander';
import { GraderFault, UsageError } from '../core/errors';
import { printableLines } from '../report/printable';
import { assignmentsCommand } from './assignments-command';
import { gradeBatchCommand } from './grade-batch-command';
import { gradeCommand } from './grade-command';
import { gradescopeCommand } from './gradescope-command';
import { print } from './output';
import { serveCommand } from './serve-command';
import { tokenCommand } from './token-command';
import { workerCommand } from './worker-command';
import { versionText } from './versions';

// The `decaylab` command line: one line per command here, each command in its own file. Exit codes: 0 grading ran
// (whatever the scores), 2 usage error, 1 a fault of the grader itself.

const EXIT_OK = 0;
const EXIT_FAULT = 1;
const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  const program = new Command('decaylab')
    .description('DecayLab autograder: hidden Jest tests on the tfjs-node native backend, each submission sandboxed')
    .option('-V, --version', 'print the grader, tfjs-node and libtensorflow versions')
    .exitOverride()
    .configureOutput({ writeOut: print, writeErr: (s) => process.stderr.write(s) })
    .action((opts: { version?: boolean }) => (opts.version ? print(versionText()) : program.help()));

  gradeCommand(program);
  gradeBatchCommand(program);
  assignmentsCommand(program);
  serveCommand(program);
  workerCommand(program);
  tokenCommand(program);
  gradescopeCommand(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return exitCodeFor(e);
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (e instanceof UsageError) {
    process.stderr.write(`decaylab: ${printableLines(e.message)}\n`);
    return EXIT_USAGE;
  }
  const message = e instanceof GraderFault ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
  process.stderr.write(`decaylab: ${printableLines(message)}\n(a problem of the grader or of its setup, not of any submission)\n`);
  return EXIT_FAULT;
}
