import type { Assignment } from './assignment';

// What a caller hands the grading engine: a submission on disk (file, notebook or folder), or uploaded bytes with
// the filename they came with (the service, Gradescope). The id names the student in results and gradebooks.

export type SubmissionSource = { path: string } | { filename: string; bytes: Uint8Array };

/** `warning`: something the student and TA should read about the entry itself (it shared its id with another entry). */
export type SubmissionRequest = { assignment: Assignment | string; id: string; warning?: string } & SubmissionSource;
