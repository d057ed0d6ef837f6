import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ParseArgsConfig } from 'util';
import { parseCli, positiveInt } from './cli';
import { makeClass, type Submission } from './make-class';

// What the benchmarks that grade a generated class share: their command line (--n, a parallelism option, --rounds,
// --quick, --help, plus their own options) and a scratch folder holding the class and a two-student warm-up class.

export type ClassBenchDefaults = { n: number; quickN: number; parallel: number; rounds: number; quickRounds: number };

export type ClassBenchArgs = {
  n: number;
  /** The value of the parallelism option (`--jobs`, `--workers`, ...). */
  parallel: number;
  rounds: number;
  quick: boolean;
  /** Every option as parsed, for the benchmark's own. */
  values: Record<string, string | boolean | undefined>;
};

export function parseClassBenchCli(
  script: string,
  usage: string,
  parallel: string,
  defaults: ClassBenchDefaults,
  own: NonNullable<ParseArgsConfig['options']> = {},
): ClassBenchArgs {
  const values = parseCli(script, usage, {
    ...own,
    n: { type: 'string' },
    [parallel]: { type: 'string' },
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  }) as Record<string, string | boolean | undefined>;
  const quick = values.quick === true;
  const number = (name: string, fallback: number) => positiveInt(script, name, values[name] as string | undefined, fallback);
  return {
    n: number('n', quick ? defaults.quickN : defaults.n),
    parallel: number(parallel, defaults.parallel),
    rounds: number('rounds', quick ? defaults.quickRounds : defaults.rounds),
    quick,
    values,
  };
}

export type ClassWork = { work: string; classDir: string; subs: Submission[]; warmDir: string; warm: Submission[] };

/** Runs `bench` with a fresh scratch folder holding the class of `n` (`<work>/class`) and two students (`<work>/warm`). */
export async function withClass<T>(name: string, n: number, bench: (c: ClassWork) => Promise<T>): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `decaylab-bench-${name}-`));
  try {
    const classDir = path.join(work, 'class');
    const warmDir = path.join(work, 'warm');
    return await bench({ work, classDir, subs: makeClass(n, classDir), warmDir, warm: makeClass(2, warmDir) });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
