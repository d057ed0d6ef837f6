import type { AddressInfo } from 'net';
import { Job, Queue, QueueEvents } from 'bullmq';
import { assignments } from '../assignments/registry';
import type { IsolationChoice } from '../core/isolation';
import { UsageError } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import { EmbeddedRedis } from './embedded-redis';
import { startGradingWorker, type GradingWorker } from './grading-worker';
import { buildApi } from './http-api';
import { QUEUE_NAME, type GradedJob, type SubmissionJob } from './protocol';
import { chooseRedisUrl, connectRedis, ConnectionUse, waitConnected } from './redis-connection';
import { ServiceMetrics } from './service-metrics';
import { SubmissionStore } from './submission-store';
import { releaseHeldUploads, releaseUpload } from './upload-release';

// `decaylab serve` assembled: Redis (given, or its own redis-server under the data folder), the queue, the HTTP API
// and any local grading workers. Stopping it stops the API first, lets local workers finish their jobs in hand, then
// stops its own Redis last.

export type ServiceOptions = {
  host: string;
  port: number;
  dataDir: string;
  redisUrl?: string;
  workers: number;
  maxUploadBytes: number;
  ratePerMinute: number;
  limits: GradingLimits;
  isolation?: IsolationChoice;
  stallSeconds: number;
  log: (line: string) => void;
  /** Called when the service cannot go on (its own Redis died too often). */
  onFatal: (reason: string) => void;
};

export type RunningService = { url: string; redisUrl: string; redisPid?: number; close(): Promise<void> };

export async function startService(o: ServiceOptions): Promise<RunningService> {
  const embedded = o.redisUrl
    ? undefined
    : await EmbeddedRedis.start(o.dataDir, {
        onRestart: (reason) => o.log(`${reason}; restarting it on the same data (${o.dataDir})`),
        onGiveUp: (reason) => o.onFatal(`the service's redis-server cannot be kept running: ${reason}`),
      });
  const redisUrl = o.redisUrl ? chooseRedisUrl(o.redisUrl, o.dataDir) : embedded!.url;
  const redis = connectRedis(redisUrl, ConnectionUse.Api);
  const eventsConnection = connectRedis(redisUrl, ConnectionUse.Worker);
  const stopping: (() => Promise<unknown>)[] = [];
  try {
    await waitConnected(redis, redisUrl);
    const queue = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection: redis });
    const metrics = new ServiceMetrics(queue);
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection, autorun: true });
    // Releasing here too covers a worker killed between finishing a job and releasing its bytes.
    const release = (jobId: string) => void releaseUpload(queue, redis, jobId).catch(() => undefined);
    events.on('completed', ({ jobId, returnvalue }) => {
      const job = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as GradedJob;
      metrics.observeGraded(job);
      release(jobId);
    });
    events.on('failed', ({ jobId }) => {
      void Job.fromId<SubmissionJob, GradedJob>(queue, jobId)
        .then((job) => job && metrics.observeFailed(job.data.assignment))
        .catch(() => undefined);
      release(jobId);
    });
    events.on('error', () => undefined);
    stopping.push(
      () => events.close(),
      () => queue.close(),
    );
    await events.waitUntilReady();
    // Jobs that finished while no process was there to release their bytes (everything was killed at once).
    await releaseHeldUploads(queue, redis).catch((e: Error) => o.log(`could not release finished uploads: ${e.message}`));

    const local: GradingWorker | undefined =
      o.workers > 0
        ? await startGradingWorker({ redisUrl, jobs: o.workers, limits: o.limits, isolation: o.isolation, stallSeconds: o.stallSeconds, log: o.log })
        : undefined;
    if (local) stopping.unshift(() => local.close());

    const app = buildApi({
      redis,
      store: new SubmissionStore(queue, redis),
      metrics,
      assignments,
      maxUploadBytes: o.maxUploadBytes,
      ratePerMinute: o.ratePerMinute,
      log: o.log,
    });
    await app.listen({ host: o.host, port: o.port }).catch((e: Error & { code?: string }) => {
      throw e.code === 'EADDRINUSE' || e.code === 'EADDRNOTAVAIL' ? new UsageError(`cannot listen on ${o.host}:${o.port} (${e.code})`) : e;
    });
    stopping.unshift(() => app.close());
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      redisUrl,
      redisPid: embedded?.pid,
      close: () => closeAll(stopping, redis, eventsConnection, embedded),
    };
  } catch (e) {
    await closeAll(stopping, redis, eventsConnection, embedded);
    throw e;
  }
}

async function closeAll(
  stopping: (() => Promise<unknown>)[],
  redis: ReturnType<typeof connectRedis>,
  events: ReturnType<typeof connectRedis>,
  embedded?: EmbeddedRedis,
) {
  for (const stop of stopping) await stop().catch(() => undefined);
  redis.disconnect();
  events.disconnect();
  await embedded?.stop();
}
