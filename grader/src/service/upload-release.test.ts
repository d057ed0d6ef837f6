import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Job, Queue } from 'bullmq';
import type { RunningService } from './course-service';
import { startGradingWorker, type GradingWorker } from './grading-worker';
import { contentDigest, keys, QUEUE_NAME, Role, submissionId, type GradedJob, type SubmissionJob } from './protocol';
import { connectRedis, ConnectionUse } from './redis-connection';
import { issueToken } from './tokens';
import { call, copiesOf, exampleUploads, FAST_GRADING_LIMITS, keysHolding, startTestService, submit, until } from './service-test-kit';

// Uploaded bytes leave Redis once their submission is final: a submission carrying a random marker is found in Redis
// while it waits, and nowhere (no key of any type) once it is graded; the same for one that ends failed. What the API
// and the gradebook need stays.

jest.setTimeout(180_000);

const data = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-release-'));
let service: RunningService;
let worker: GradingWorker | undefined;
let redis: ReturnType<typeof connectRedis>;

beforeAll(async () => {
  // No local worker: the test starts one once it has seen the bytes waiting in Redis.
  service = await startTestService(data, { workers: 0, maxUploadBytes: 1 << 20, ratePerMinute: 100 });
  redis = connectRedis(service.redisUrl, ConnectionUse.Worker);
});

afterAll(async () => {
  await worker?.close();
  redis?.disconnect();
  await service?.close();
  fs.rmSync(data, { recursive: true, force: true });
});

const finished = (id: string, token: string) =>
  until(
    `submission ${id} finished`,
    async () => {
      const r = await call(service.url, 'GET', `/v1/submissions/${id}`, { token });
      return r.json?.status === 'graded' || r.json?.status === 'failed' ? r.json : undefined;
    },
    150_000,
    300,
  );

test('a graded and a failed submission leave no copy of their bytes in Redis, even after a kill between finishing and releasing; id, digest, results and error stay', async () => {
  const staff = await issueToken(redis, { role: Role.Staff });
  const student = await issueToken(redis, { role: Role.Student, student: 'marked' });
  const alice = exampleUploads().find((u) => u.student === 'alice')!;
  const marker = `marker${randomBytes(12).toString('hex')}`;
  const bytes = Buffer.concat([alice.bytes, Buffer.from(`\n// ${marker}\n`)]);
  const accepted = await submit(service.url, student, 'decay', { student: 'marked', filename: 'marked.ts', bytes });
  expect(accepted.status).toBe(202);
  const id = accepted.json.id as string;

  // A grader fault that ends failed for good: a job for an assignment no worker knows (as after a partial upgrade).
  const queue = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection: redis });
  const failMarker = `marker${randomBytes(12).toString('hex')}`;
  const failBytes = Buffer.from(`export const note = '${failMarker}';\n`);
  const failId = submissionId('marked', 'retired-assignment', failBytes);
  await queue.add(
    'grade',
    { student: 'marked', assignment: 'retired-assignment', filename: 'old.ts', digest: contentDigest(failBytes), bytesBase64: failBytes.toString('base64') },
    { jobId: failId, attempts: 2, backoff: { type: 'fixed', delay: 200 } },
  );
  await queue.close();

  // While they wait, the scan finds both (so it can see a copy), and the held set names the API's submission.
  const needles = copiesOf(bytes, marker);
  const failNeedles = copiesOf(failBytes, failMarker);
  expect(await keysHolding(redis, needles)).toEqual([`bull:${QUEUE_NAME}:${id}`]);
  expect(await keysHolding(redis, failNeedles)).toEqual([`bull:${QUEUE_NAME}:${failId}`]);
  expect(await redis.sismember(keys.heldUploads, id)).toBe(1);

  worker = await startGradingWorker({ redisUrl: service.redisUrl, jobs: 1, limits: FAST_GRADING_LIMITS, stallSeconds: 30, log: () => undefined });
  const graded = await finished(id, staff);
  expect(graded).toMatchObject({ id, student: 'marked', assignment: 'decay', filename: 'marked.ts', digest: contentDigest(bytes), status: 'graded' });
  expect(graded.results.score).toBe(42);
  const failed = await finished(failId, staff);
  expect(failed).toMatchObject({
    status: 'failed',
    filename: 'old.ts',
    digest: contentDigest(failBytes),
    error: expect.stringMatching(/does not know assignment/),
  });

  // The release follows the completion by a round trip; it must come, and leave nothing behind.
  await until('both uploads released', async () => ((await keysHolding(redis, [...needles, ...failNeedles])).length === 0 ? true : undefined), 10_000);
  expect(await redis.scard(keys.heldUploads)).toBe(0);
  const book = await call(service.url, 'GET', '/v1/assignments/decay/gradebook.csv', { token: staff });
  expect(book.text).toMatch(/^marked,42,42,graded,/m);

  // Identical bytes again: the same id, still graded, not queued again, and the bytes sent are not kept.
  const again = await submit(service.url, student, 'decay', { student: 'marked', filename: 'marked.ts', bytes });
  expect(again.json).toEqual({ id, status: 'queued' });
  expect((await call(service.url, 'GET', `/v1/submissions/${id}`, { token: student })).json).toMatchObject({ status: 'graded', results: { score: 42 } });
  expect(await redis.scard(keys.heldUploads)).toBe(0);
  expect(await keysHolding(redis, needles)).toEqual([]);

  // What a worker killed between finishing a job and releasing it leaves behind (everything else stopped too): a final
  // job still holding its bytes. The next server to start (here a second one on the same Redis) releases them before it serves.
  const restore = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection: redis });
  const job = (await Job.fromId<SubmissionJob, GradedJob>(restore, id))!;
  await job.updateData({ ...job.data, bytesBase64: bytes.toString('base64') });
  await redis.sadd(keys.heldUploads, id);
  await restore.close();
  expect(await keysHolding(redis, needles)).toEqual([`bull:${QUEUE_NAME}:${id}`]);
  await worker.close();
  worker = undefined;
  const next = await startTestService(data, { redisUrl: service.redisUrl, workers: 0, maxUploadBytes: 1 << 20, ratePerMinute: 100 });
  try {
    expect(await keysHolding(redis, needles)).toEqual([]);
    expect(await redis.scard(keys.heldUploads)).toBe(0);
    expect((await call(next.url, 'GET', `/v1/submissions/${id}`, { token: staff })).json).toMatchObject({ status: 'graded', results: { score: 42 } });
  } finally {
    await next.close();
  }
});
