import { Job, type Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { GradedStudent, GradescopeResults } from '../core/results';
import { keys, SubmissionStatus, submissionId, type GradedJob, type SubmissionJob } from './protocol';

// Submissions as the API sees them, kept in BullMQ's jobs (data, state, return value, failure reason) plus one sorted
// set per student and assignment that orders the student's submissions for the gradebook.

/** A grader fault (a crashed or hung grading worker, an assignment the worker does not know) is retried this often. */
const ATTEMPTS = 3;
const BACKOFF_MS = 2000;

export type SubmissionView = {
  id: string;
  student: string;
  assignment: string;
  status: SubmissionStatus;
  /** Epoch milliseconds: when the job was first queued, and when its grading finished (graded or failed). */
  submittedAt: number;
  finishedAt?: number;
  results?: GradescopeResults;
  error?: string;
};

export class SubmissionStore {
  constructor(
    private readonly queue: Queue<SubmissionJob, GradedJob>,
    private readonly redis: IORedis,
  ) {}

  /**
   * Resolves once the job is in Redis (which fsyncs it before answering when it runs with appendfsync always).
   * Identical bytes resubmitted find the existing job: graded work is not graded again; a failed one is retried.
   */
  async submit(student: string, assignment: string, filename: string, bytes: Buffer): Promise<string> {
    const id = submissionId(student, assignment, bytes);
    const submittedAt = Date.now();
    // Indexed first: an index entry whose job never made it into the queue is skipped by the gradebook.
    await this.redis.multi().zadd(keys.submissionsOf(assignment, student), submittedAt, id).sadd(keys.studentsOf(assignment), student).exec();
    const data: SubmissionJob = { student, assignment, filename, bytesBase64: bytes.toString('base64'), submittedAt };
    const job = await this.queue.add('grade', data, {
      jobId: id,
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: BACKOFF_MS },
      removeOnComplete: false,
      removeOnFail: false,
    });
    if ((await job.getState()) === 'failed') await job.retry('failed');
    return id;
  }

  async find(id: string): Promise<SubmissionView | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    // State first, then the job: a job read just before it finished would pair 'completed' with no return value.
    const state = await this.queue.getJobState(id);
    const job = await Job.fromId<SubmissionJob, GradedJob>(this.queue, id);
    if (!job || state === 'unknown') return undefined;
    const status = statusOf(state);
    const view: SubmissionView = { id, student: job.data.student, assignment: job.data.assignment, status, submittedAt: job.timestamp };
    if (job.finishedOn && (status === SubmissionStatus.Graded || status === SubmissionStatus.Failed)) view.finishedAt = job.finishedOn;
    if (status === SubmissionStatus.Graded && job.returnvalue) view.results = job.returnvalue.graded.results;
    if (status === SubmissionStatus.Failed) view.error = job.failedReason;
    return view;
  }

  /** Per student (sorted by id), the most recently submitted of their graded submissions. */
  async gradebookRows(assignment: string): Promise<GradedStudent[]> {
    const students = (await this.redis.smembers(keys.studentsOf(assignment))).sort();
    const rows = await Promise.all(students.map((s) => this.latestGraded(assignment, s)));
    return rows.filter((r): r is GradedStudent => r !== undefined);
  }

  private async latestGraded(assignment: string, student: string): Promise<GradedStudent | undefined> {
    const ids = await this.redis.zrevrange(keys.submissionsOf(assignment, student), 0, -1);
    for (const id of ids) {
      const job = await Job.fromId<SubmissionJob, GradedJob>(this.queue, id);
      if (job?.finishedOn && job.returnvalue) return job.returnvalue.graded;
    }
    return undefined;
  }
}

function statusOf(state: string): SubmissionStatus {
  switch (state) {
    case 'completed':
      return SubmissionStatus.Graded;
    case 'failed':
      return SubmissionStatus.Failed;
    case 'active':
      return SubmissionStatus.Running;
    default:
      // waiting, delayed (a retry's back-off), prioritized, waiting-children
      return SubmissionStatus.Queued;
  }
}
