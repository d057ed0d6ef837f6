/** The limits one submission is graded under (the CLI's --test-timeout, --submission-timeout, --memory). */
export type GradingLimits = {
  /** Wall-clock limit of one call into the submission. */
  callTimeoutMs: number;
  /** Wall-clock budget of the submission over all its tests. */
  budgetMs: number;
  /** Resident memory limit of the submission's worker, tfjs included. */
  memoryMb: number;
};
