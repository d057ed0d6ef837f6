import { Command, CommanderError } from 'commander';
import { GraderFault, UsageError } from '../core/errors';
import { printableLines } from '../report/printable';
import { print } from './output';

// The `decaylab` command line: one line per command here, each command in its own file. Only the command being run
// is loaded (the others appear in the help by their summary), so `--help` or `grade` never pays for the service's or
// the class report's libraries. Exit codes: 0 grading ran (whatever the scores), 2 usage error, 1 a fault of the
// grader itself.

const EXIT_OK = 0;
const EXIT_FAULT = 1;
const EXIT_USAGE = 2;

type Define = (program: Command) => void;
type Entry = { name: string; summary: string; load: () => Promise<Define> };

const COMMANDS: Entry[] = [
  { name: 'grade', summary: 'grade one submission and write its Gradescope results.json', load: async () => (await import('./grade-command')).gradeCommand },
  {
    name: 'grade-batch',
    summary: 'grade a class folder: a results.json per student as each is done, then gradebook.csv and the class report',
    load: async () => (await import('./grade-batch-command')).gradeBatchCommand,
  },
  {
    name: 'assignments',
    summary: 'list the assignments with their tests and points',
    load: async () => (await import('./assignments-command')).assignmentsCommand,
  },
  { name: 'serve', summary: 'run the grading service (HTTP API, queue, local workers)', load: async () => (await import('./serve-command')).serveCommand },
  { name: 'worker', summary: "grade submissions from a course's queue", load: async () => (await import('./worker-command')).workerCommand },
  { name: 'token', summary: 'issue a bearer token for the HTTP API', load: async () => (await import('./token-command')).tokenCommand },
  { name: 'gradescope', summary: 'build the autograder zip for Gradescope', load: async () => (await import('./gradescope-command')).gradescopeCommand },
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command('decaylab')
    .description('DecayLab autograder: hidden Jest tests on the tfjs-node native backend, each submission sandboxed')
    .option('-V, --version', 'print the grader, tfjs-node and libtensorflow versions')
    .exitOverride()
    .configureOutput({ writeOut: print, writeErr: (s) => process.stderr.write(s) })
    .action(async (opts: { version?: boolean }) => (opts.version ? print(await (await import('./versions')).versionText()) : program.help()));

  try {
    const chosen = chosenCommand(argv);
    for (const entry of COMMANDS) {
      if (entry.name === chosen) (await entry.load())(program);
      else program.command(entry.name);
      program.commands.find((c) => c.name() === entry.name)?.summary(entry.summary);
    }
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    return exitCodeFor(e);
  }
}

/** The command argv names: the program's own options take no values, so it is the first operand. */
function chosenCommand(argv: string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
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
