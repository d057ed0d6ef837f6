import * as fs from 'fs';
import * as os from 'os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Assignment } from '../core/assignment';
import { UsageError } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import { resolveAssignment, type IsolationChoice } from '../engine/engine';

// Options and argument checks shared by `grade` and `grade-batch`.

export type LimitFlags = { testTimeout: number; submissionTimeout: number; memory: number };
export type IsolationFlag = { isolation: IsolationChoice };

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function addLimitOptions(c: Command): Command {
  return c
    .addOption(new Option('--test-timeout <seconds>', 'wall-clock limit of one call into the submission').argParser(positiveNumber).default(10))
    .addOption(new Option('--submission-timeout <seconds>', 'wall-clock budget of one submission over all tests').argParser(positiveNumber).default(120))
    .addOption(new Option('--memory <mb>', 'resident memory limit of one submission, tfjs included').argParser(positiveInt).default(1536));
}

export function addIsolationOption(c: Command): Command {
  return c.addOption(
    new Option('--isolation <kind>', 'fork-server (a warm sandboxed zygote forks each worker), spawn (a fresh sandboxed node per student), or auto')
      .choices(['auto', 'fork-server', 'spawn'])
      .default('auto'),
  );
}

export function limitsFrom(f: LimitFlags): GradingLimits {
  return { callTimeoutMs: f.testTimeout * 1000, budgetMs: f.submissionTimeout * 1000, memoryMb: f.memory };
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export function needAssignment(id: string): Assignment {
  return resolveAssignment(id);
}

export function needPath(p: string): void {
  if (!fs.existsSync(p)) throw new UsageError(`${p} does not exist`);
}
