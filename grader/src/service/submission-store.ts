import { Job, type Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { GradedStudent, GradescopeResults } from '../core/results';
import { releaseUpload } from './upload-release';
import { contentDigest, keys, RETRY_POLICY, SubmissionStatus, submissionId, type GradedJob, type SubmissionJob } from './protocol';

// Submissions as the API sees them, kept in BullMQ's jobs (data, state, return value, failure reason) plus one sorted
// set per student and assignment that orders the student's submissions for the gradebook. A job carries the uploaded
// bytes until it is final (upload-release.ts).

export type SubmissionView = {
  id: string;
  student: string;
  assignment: string;
  filename: string;
  /** SHA-256 (hex) of the uploaded bytes. */
  digest: string;
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
   * Identical bytes resubmitted find the existing job: graded work is not graded again; a failed one, whose bytes were
   * released, is replaced by a fresh job with the bytes just received and its retries anew.
   */
  async submit(student: string, assignment: string, filename: string, bytes: Buffer): Promise<string> {
    const id = submissionId(student, assignment, bytes);
    // Indexed first: an index entry whose job never made it into the queue is skipped by the gradebook, and an id in
    // the held set whose job does not exist is dropped from it by the next release.
    await this.redis
      .multi()
      .zadd(keys.submissionsOf(assignment, student), Date.now(), id)
      .sadd(keys.studentsOf(assignment), student)
      .sadd(keys.heldUploads, id)
      .exec();
    const data: SubmissionJob = { student, assignment, filename, digest: contentDigest(bytes), bytesBase64: bytes.toString('base64') };
    const add = () =>
      this.queue.add('grade', data, {
        jobId: id,
        attempts: RETRY_POLICY.attempts,
        backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
        removeOnComplete: false,
        removeOnFail: false,
      });
    const job = await add();
    const state = await job.getState();
    if (state === 'failed') {
      // A concurrent identical resubmission may have replaced it already (its job is then locked or new); the add
      // below then finds that job, which holds the same bytes.
      await job.remove().catch(() => undefined);
      await add();
    } else if (state === 'completed') {
      // Graded before: the bytes just sent were not stored, and the id leaves the held set again.
      await releaseUpload(this.queue, this.redis, id);
    }
    return id;
  }

  async find(id: string): Promise<SubmissionView | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    // State first, then the job: a job read just before it finished would pair 'completed' with no return value.
    const state = await this.queue.getJobState(id);
    const job = await Job.fromId<SubmissionJob, GradedJob>(this.queue, id);
    if (!job || state === 'unknown') return undefined;
    const status = statusOf(state);
    const d = job.data;
    const view: SubmissionView = {
      id,
      student: d.student,
      assignment: d.assignment,
      filename: d.filename,
      digest: d.digest,
      status,
      submittedAt: job.timestamp,
    };
    if (job.finishedOn && (status === SubmissionStatus.Graded || status === SubmissionStatus.Failed)) view.finishedAt = job.finishedOn;
    if (status === SubmissionStatus.Graded && job.returnvalue) view.results = job.returnvalue.graded.results;
    if (status === SubmissionStatus.Failed) view.error = failureOf(job);
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

/** Why a submission failed, for a course admin: BullMQ's reason for a job whose workers kept dying is its own jargon. */
function failureOf(job: Job<SubmissionJob, GradedJob>): string {
  if (job.stalledCounter > RETRY_POLICY.maxStalledCount) {
    return (
      `the grading worker stopped (killed or crashed) each time it held this submission, ${job.stalledCounter} times; ` +
      "it was set aside so that the queue goes on. Look at the workers' logs and the machines' memory; resubmitting the same file grades it again"
    );
  }
  return job.failedReason;
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
