import { createHash } from 'crypto';
import type { GradedStudent } from '../core/results';

// What the HTTP API, the queue and the workers agree on: the job's data and return value, the statuses a client sees,
// the Redis keys outside BullMQ's own, and how a submission's id is derived.

export const QUEUE_NAME = 'decaylab-submissions';

/**
 * Everything a worker needs; the bytes travel base64 in the job so that a worker needs nothing but the Redis URL.
 * They are dropped from the job once it is final (graded, or failed for good): see upload-release.ts.
 */
export type SubmissionJob = {
  student: string;
  assignment: string;
  filename: string;
  /** SHA-256 (hex) of the uploaded bytes: what stays of them once they are released. */
  digest: string;
  bytesBase64?: string;
};

/**
 * How often a job is tried again, set here rather than left to BullMQ's defaults. A grader fault (the engine
 * rejects, a hung grading, an unknown assignment) is retried `attempts` times in all, `backoffMs` doubling between
 * tries. A worker that dies holding a job (kill -9, the OOM killer, a crash of node) stops renewing its lock; the job
 * is taken again after the lock expires, `maxStalledCount` times at most; one more death marks it failed.
 */
export const RETRY_POLICY = { attempts: 3, backoffMs: 2000, maxStalledCount: 2 } as const;

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
  return createHash('sha256')
    .update(`${student}\0${assignment}\0${contentDigest(bytes)}`)
    .digest('hex')
    .slice(0, 32);
}

export function contentDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const keys = {
  tokens: 'decaylab:tokens',
  /** A sorted set per student and assignment: submission ids scored by the time they were (last) submitted. */
  submissionsOf: (assignment: string, student: string) => `decaylab:submissions:${assignment}:${student}`,
  studentsOf: (assignment: string) => `decaylab:students:${assignment}`,
  rate: (student: string, minute: number) => `decaylab:rate:${student}:${minute}`,
  /** Submissions whose job may still hold the uploaded bytes (emptied as they are released). */
  heldUploads: 'decaylab:held-uploads',
  /** Workers' heartbeats: worker id scored by the time it last answered. */
  workers: 'decaylab:workers',
};
