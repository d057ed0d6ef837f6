import { createHash } from 'crypto';
import type { GradedStudent } from '../core/results';

// What the HTTP API, the queue and the workers agree on: the job's data and return value, the statuses a client sees,
// the Redis keys outside BullMQ's own, and how a submission's id is derived.

export const QUEUE_NAME = 'decaylab-submissions';

/** Everything a worker needs; the bytes travel base64 in the job so that a worker needs nothing but the Redis URL. */
export type SubmissionJob = {
  student: string;
  assignment: string;
  filename: string;
  bytesBase64: string;
  submittedAt: number;
};

/** A job's return value: the engine's typed result, plus the grading time for the metrics. */
export type GradedJob = { graded: GradedStudent; gradingSeconds: number };

export enum SubmissionStatus {
  Queued = 'queued',
  Running = 'running',
  Graded = 'graded',
  Failed = 'failed',
}

export enum Role {
  Staff = 'staff',
  Student = 'student',
}

export type Principal = { role: Role.Staff } | { role: Role.Student; student: string };

export const SUPPORTED_EXTENSIONS = ['.ipynb', '.ts', '.js'];

/** Student ids become folder names on the workers and cells of the gradebook: a conservative alphabet. */
export const STUDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Uploaded file names: a plain name with a supported extension, nothing path-like. */
export const FILENAME = /^[A-Za-z0-9_][A-Za-z0-9._ -]{0,99}\.(ipynb|ts|js)$/;

/**
 * Identical bytes from the same student for the same assignment give the same id, so a resubmission finds the job
 * already in the queue instead of adding a second one. Hex only: BullMQ refuses custom ids containing ':'.
 */
export function submissionId(student: string, assignment: string, bytes: Buffer): string {
  const content = createHash('sha256').update(bytes).digest('hex');
  return createHash('sha256').update(`${student}\0${assignment}\0${content}`).digest('hex').slice(0, 32);
}

export const keys = {
  tokens: 'decaylab:tokens',
  /** A sorted set per student and assignment: submission ids scored by the time they were (last) submitted. */
  submissionsOf: (assignment: string, student: string) => `decaylab:submissions:${assignment}:${student}`,
  studentsOf: (assignment: string) => `decaylab:students:${assignment}`,
  rate: (student: string, minute: number) => `decaylab:rate:${student}:${minute}`,
  /** Workers' heartbeats: worker id scored by the time it last answered. */
  workers: 'decaylab:workers',
};
