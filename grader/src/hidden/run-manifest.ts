/** The unisolated mode's submission file (the benchmark's baseline; see grader/README.md). */
export const SUBMISSION_ENV = 'DECAYLAB_SUBMISSION';
