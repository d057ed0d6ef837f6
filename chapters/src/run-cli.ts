import type { Command, OptionValues } from 'commander';

// The chapters' command-line tools share one shape: commander reads the options, the tool does its job and says in
// one line what it wrote; a failure is one line `<tool>: <message>` and exit code 1, never a stack trace.

/** Parses `argv` with `program`, runs `job` with its options and prints the line it returns. */
export function runCli<Options extends OptionValues>(program: Command, job: (options: Options) => string, argv = process.argv.slice(2)): void {
  try {
    program.parse(argv, { from: 'user' });
    console.log(job(program.opts<Options>()));
  } catch (e) {
    console.error(`${program.name()}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
