import { randomBytes } from 'crypto';
import * as os from 'os';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { findAssignment } from '../assignments/registry';
import { GraderFault } from '../core/errors';
import type { IsolationChoice } from '../core/isolation';
import type { GradingLimits } from '../core/limits';
import { startEngine, type Engine } from '../engine/engine';
import { QUEUE_NAME, RETRY_POLICY, type GradedJob, type SubmissionJob } from './protocol';
import { connectRedis, ConnectionUse, waitConnected } from './redis-connection';
import { Admission, SuspectGate } from './suspect-gate';
import { releaseHeldUploads, releaseUpload } from './upload-release';
import { startHeartbeat } from './worker-heartbeat';

// A grading worker: takes submissions from the queue and grades them with one long-lived engine (warm sandboxes).
// It holds a few more jobs than it has sandboxes so that a free sandbox never waits for Redis. A student's own
// failure (no compile, a crash in their code, a timeout) is a graded result; a fault of the grader throws, and BullMQ
// retries the job with back-off, then marks it failed with the reason (RETRY_POLICY). A worker killed with -9 stops
// renewing its jobs' locks; after `stallSeconds` another worker takes them again (BullMQ's stalled-job check), one at a
// time (suspect-gate.ts). A job this worker finishes has its uploaded bytes released at once.

export type WorkerOptions = {
  redisUrl: string;
  jobs: number;
  limits: GradingLimits;
  isolation?: IsolationChoice;
  stallSeconds: number;
  log: (line: string) => void;
};

/** How long a job given back by the suspect gate waits before it can be taken again. */
const GIVE_BACK_MS = 1000;

export type GradingWorker = { id: string; close(): Promise<void> };

export async function startGradingWorker(o: WorkerOptions): Promise<GradingWorker> {
  const id = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connection = connectRedis(o.redisUrl, ConnectionUse.Worker);
  const beats = connectRedis(o.redisUrl, ConnectionUse.Worker);
  try {
    await waitConnected(connection, o.redisUrl);
  } catch (e) {
    connection.disconnect();
    beats.disconnect();
    throw e;
  }
  const engine: Engine = await startEngine({
    jobs: o.jobs,
    limits: o.limits,
    isolation: o.isolation,
    onEvent: (e) => e.type === 'isolation' && o.log(e.line),
  });
  // Past this a grading is taken to hang in the grader itself: the engine enforces each student's budget, and a job in
  // hand waits at most for the one ahead of it in its slot.
  const hungMs = 2 * o.limits.budgetMs + 60_000;

  const gate = new SuspectGate();
  const grade = async (job: Job<SubmissionJob, GradedJob>): Promise<GradedJob> => {
    const d = job.data;
    const assignment = findAssignment(d.assignment);
    if (!assignment) throw new GraderFault(`worker ${id} does not know assignment "${d.assignment}" (update the project on this machine)`);
    if (d.bytesBase64 === undefined) throw new GraderFault(`the uploaded file of submission ${job.id} is no longer in Redis; resubmit it`);
    const started = Date.now();
    const graded = await withTimeout(
      engine.grade({ assignment, id: d.student, filename: d.filename, bytes: Buffer.from(d.bytesBase64, 'base64') }),
      hungMs,
      `grading did not finish within ${hungMs / 1000} s on worker ${id}`,
    );
    return { graded, gradingSeconds: (Date.now() - started) / 1000 };
  };

  const worker: Worker<SubmissionJob, GradedJob> = new Worker<SubmissionJob, GradedJob>(
    QUEUE_NAME,
    async (job, token) => {
      const admission = gate.admit(job.id!, job.stalledCounter > 0);
      if (admission === Admission.GiveBack) {
        await job.moveToDelayed(Date.now() + GIVE_BACK_MS, token);
        throw new DelayedError();
      }
      try {
        if (admission === Admission.Grade) return await grade(job);
        await worker.pause(true);
        o.log(`submission ${job.id} was held by a worker that stopped (${job.stalledCounter} time(s)); grading it alone`);
        await gate.othersDone();
        return await grade(job);
      } finally {
        gate.leave(job.id!);
        if (admission === Admission.GradeAlone) worker.resume();
      }
    },
    {
      connection,
      concurrency: 2 * o.jobs,
      lockDuration: o.stallSeconds * 1000,
      stalledInterval: Math.max(1000, (o.stallSeconds * 1000) / 2),
      maxStalledCount: RETRY_POLICY.maxStalledCount,
      autorun: true,
      name: id,
    },
  );
  const queue = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection });
  const release = (job: Job<SubmissionJob, GradedJob> | undefined) =>
    job?.id && releaseUpload(queue, connection, job.id).catch((e: Error) => o.log(`submission ${job.id}: could not release its upload: ${e.message}`));
  worker.on('completed', (job) => void release(job));
  worker.on('failed', (job, e) => {
    if (!job || e instanceof DelayedError) return;
    o.log(`submission ${job.id} (${job.data.student}, ${job.data.assignment}): grader fault: ${e.message}`);
    void release(job);
  });
  worker.on('error', (e) => o.log(`worker ${id}: ${e.message}`));
  await worker.waitUntilReady();
  // Jobs that finished while the process that would have released their bytes was killed.
  await releaseHeldUploads(queue, connection).catch((e: Error) => o.log(`could not release finished uploads: ${e.message}`));
  const stopBeating = startHeartbeat(beats, id);

  return {
    id,
    async close() {
      // Jobs in hand are finished; jobs not yet taken stay in the queue for the other workers.
      await worker.close();
      await queue.close();
      await stopBeating();
      await engine.close();
      beats.disconnect();
      connection.disconnect();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new GraderFault(message)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
