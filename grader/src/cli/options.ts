import * as os from 'os';
import { InvalidArgumentError } from 'commander';
import type { GradingLimits } from '../core/limits';

// Limits and parallelism shared by `grade` and `grade-batch`.

export type LimitFlags = { testTimeout: number; submissionTimeout: number; memory: number };

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

export function limitsFrom(f: LimitFlags): GradingLimits {
  return { callTimeoutMs: f.testTimeout * 1000, budgetMs: f.submissionTimeout * 1000, memoryMb: f.memory };
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}
