import type { GradingLimits } from '../core/limits';

/** What the batch grader hands one hidden-suite Jest process: its share of the class and where to report. */
export type RunManifest = {
  harnessDir: string;
  limits: GradingLimits;
  progressFile: string;
  students: { id: string; module: string; notesFile: string }[];
};

export const MANIFEST_ENV = 'DECAYLAB_MANIFEST';
export const SUBMISSION_ENV = 'DECAYLAB_SUBMISSION';
