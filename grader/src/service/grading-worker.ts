import { randomBytes } from 'crypto';
import * as os from 'os';
import { Worker, type Job } from 'bullmq';
import { findAssignment } from '../assignments/registry';
import { GraderFault } from '../core/errors';
import type { IsolationChoice } from '../core/isolation';
import type { GradingLimits } from '../core/limits';
import { startEngine, type Engine } from '../engine/engine';
import { QUEUE_NAME, type GradedJob, type SubmissionJob } from './protocol';
import { connectRedis, ConnectionUse, waitConnected } from './redis-connection';
import { startHeartbeat } from './worker-heartbeat';

// A grading worker: takes submissions from the queue and grades them with one long-lived engine (warm sandboxes).
// It holds a few more jobs than it has sandboxes so that a free sandbox never waits for Redis. A student's own
// failure (no compile, a crash in their code, a timeout) is a graded result; a fault of the grader throws, and BullMQ
// retries the job with back-off, then marks it failed with the reason. A worker killed with -9 stops renewing its
// jobs' locks; after `stallSeconds` another worker takes them again (BullMQ's stalled-job check).

export type WorkerOptions = {
  redisUrl: string;
  jobs: number;
  limits: GradingLimits;
  isolation?: IsolationChoice;
  stallSeconds: number;
  log: (line: string) => void;
};

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

  const worker = new Worker<SubmissionJob, GradedJob>(
    QUEUE_NAME,
    async (job: Job<SubmissionJob, GradedJob>) => {
      const d = job.data;
      const assignment = findAssignment(d.assignment);
      if (!assignment) throw new GraderFault(`worker ${id} does not know assignment "${d.assignment}" (update the project on this machine)`);
      const started = Date.now();
      const graded = await withTimeout(
        engine.grade({ assignment, id: d.student, filename: d.filename, bytes: Buffer.from(d.bytesBase64, 'base64') }),
        hungMs,
        `grading did not finish within ${hungMs / 1000} s on worker ${id}`,
      );
      return { graded, gradingSeconds: (Date.now() - started) / 1000 };
    },
    {
      connection,
      concurrency: 2 * o.jobs,
      lockDuration: o.stallSeconds * 1000,
      stalledInterval: Math.max(1000, (o.stallSeconds * 1000) / 2),
      // A job whose worker died is taken again, twice at most; a third death marks it failed (a grader fault).
      maxStalledCount: 2,
      autorun: true,
      name: id,
    },
  );
  worker.on('failed', (job, e) => job && o.log(`submission ${job.id} (${job.data.student}, ${job.data.assignment}): grader fault: ${e.message}`));
  worker.on('error', (e) => o.log(`worker ${id}: ${e.message}`));
  await worker.waitUntilReady();
  const stopBeating = startHeartbeat(beats, id);

  return {
    id,
    async close() {
      // Jobs in hand are finished; jobs not yet taken stay in the queue for the other workers.
      await worker.close();
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
