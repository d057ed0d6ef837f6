import { Presets, SingleBar } from 'cli-progress';
import { print } from './output';

// grade-batch's progress: on a terminal, a bar with the ETA on stderr (the per-student list follows at the end); in a
// pipe or a log file, one line per student on stdout as each is done.

export type Progress = {
  readonly isTerminal: boolean;
  student: (line: string) => void;
  /** A line that is not a student's (which isolation is used, say), shown above the bar. */
  log: (line: string) => void;
  stop: () => void;
};

export function progressReporter(label: string, total: number): Progress {
  if (!process.stderr.isTTY) {
    return { isTerminal: false, student: (line) => print(`${line}\n`), log: (line) => process.stderr.write(`${line}\n`), stop: () => undefined };
  }
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} submissions | ETA {eta_formatted}`, stream: process.stderr, etaBuffer: 20 },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  let stopped = false;
  return {
    isTerminal: true,
    student: () => bar.increment(),
    log: (line) => {
      process.stderr.write(`\r\u001b[K${line}\n`);
      bar.render();
    },
    stop: () => {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
