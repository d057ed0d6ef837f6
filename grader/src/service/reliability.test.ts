import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Job, Queue } from 'bullmq';
import { EmbeddedRedis, freePort } from './embedded-redis';
import { contentDigest, QUEUE_NAME, RETRY_POLICY, submissionId, type GradedJob, type SubmissionJob } from './protocol';
import { connectRedis, ConnectionUse } from './redis-connection';
import { call, copiesOf, DecaylabProcess, exampleUploads, keysHolding, runDecaylab, submit, until, FAST_LIMITS } from './service-test-kit';

// Reliability with real processes: the `decaylab` server and workers as separate process groups, a real redis-server,
// kill -9 where the issue says kill -9.

jest.setTimeout(300_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-reliability-'));
const started: DecaylabProcess[] = [];
const redises: EmbeddedRedis[] = [];
const STALL = ['--stall-seconds', '4'];

function start(args: string[]): DecaylabProcess {
  const p = new DecaylabProcess(args);
  started.push(p);
  return p;
}

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  for (const r of redises) await r.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function tokensFor(redisArgs: string[], students: string[]): Promise<{ staff: string; students: Map<string, string> }> {
  const roster = path.join(tmp, `roster-${Date.now()}.csv`);
  fs.writeFileSync(roster, `name,student\n${students.map((s) => `Someone,${s}`).join('\n')}\n`);
  const issued = await runDecaylab(['token', ...redisArgs, '--roster', roster]);
  expect(issued.code).toBe(0);
  const lines = issued.stdout.trim().split('\n');
  expect(lines[0]).toBe('student,token');
  const staff = await runDecaylab(['token', ...redisArgs, '--staff']);
  expect(staff.stdout).toMatch(/^dl_[A-Za-z0-9_-]{43}\n$/);
  return { staff: staff.stdout.trim(), students: new Map(lines.slice(1).map((l) => l.split(',') as [string, string])) };
}

function graded(base: string, token: string, id: string, timeoutMs = 200_000) {
  return until(
    `submission ${id} finished`,
    async () => {
      const r = await call(base, 'GET', `/v1/submissions/${id}`, { token });
      return r.json?.status === 'graded' || r.json?.status === 'failed' ? r.json : undefined;
    },
    timeoutMs,
    500,
  );
}

test('3 workers started separately share one redis-server; kill -9 of one mid-grade loses nothing and grades once; SIGTERM finishes the job in hand; 503 while Redis is down', async () => {
  const redisDir = path.join(tmp, 'external');
  let redis = await EmbeddedRedis.start(redisDir);
  redises.push(redis);
  const url = redis.url;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = start(['serve', '--redis', url, '--port', String(port), '--workers', '0']);
  await server.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
  const uploads = exampleUploads();
  const { staff, students } = await tokensFor(['--redis', url], [...uploads.map((u) => u.student), 'late', 'after-outage']);
  expect((await call(base, 'GET', '/healthz')).status).toBe(503);

  const workers = [0, 1, 2].map(() => start(['worker', '--redis', url, '--jobs', '1', ...STALL, ...FAST_LIMITS]));
  const ids = await Promise.all(workers.map(async (w) => (await w.waitFor(/^worker (\S+) grading/m))[1]));
  await until('3 live workers', async () => ((await call(base, 'GET', '/healthz')).json?.workers === 3 ? true : undefined), 30_000);

  const connection = connectRedis(url, ConnectionUse.Worker);
  const queue = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection });
  try {
    const jobIds = new Map<string, string>();
    for (const u of uploads) {
      const r = await submit(base, students.get(u.student)!, 'decay', u);
      expect(r.status).toBe(202);
      jobIds.set(u.student, r.json.id);
    }
    // A grader fault (a worker that does not know the assignment, as after a partial upgrade) is retried, then failed.
    const faultId = submissionId('late', 'retired-assignment', Buffer.from('x'));
    await queue.add(
      'grade',
      { student: 'late', assignment: 'retired-assignment', filename: 'x.ts', digest: contentDigest(Buffer.from('x')), bytesBase64: 'eA==' },
      {
        jobId: faultId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
      },
    );

    // kill -9 of the worker holding the first job it takes, with everything it started.
    const victim = await until(
      'a job in hand',
      async () => {
        const active = (await queue.getActive()).find((j) => j.processedBy && ids.includes(j.processedBy) && j.data.assignment === 'decay');
        return active ? { job: active.id!, worker: ids.indexOf(active.processedBy!) } : undefined;
      },
      60_000,
      100,
    );
    await workers[victim.worker].kill9();

    const views = new Map<string, any>();
    for (const [student, id] of jobIds) views.set(student, await graded(base, staff, id));
    expect([...views.values()].every((v) => v.status === 'graded')).toBe(true);
    expect(views.get('alice').results.score).toBe(42);
    const recovered = (await Job.fromId<SubmissionJob, GradedJob>(queue, victim.job))!;
    expect(await recovered.getState()).toBe('completed');
    expect(ids.indexOf(recovered.processedBy!)).not.toBe(victim.worker);
    const fault = await graded(base, staff, faultId);
    expect(fault).toMatchObject({ status: 'failed', error: expect.stringMatching(/does not know assignment "retired-assignment"/) });
    expect((await Job.fromId(queue, faultId))!.attemptsMade).toBe(3);

    // Graded exactly once: one completion per submission reached the server's counter, one gradebook row per student.
    const metrics = await call(base, 'GET', '/metrics');
    const counted = [...metrics.text.matchAll(/^decaylab_submissions_graded_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    expect(counted).toBe(uploads.length);
    const book = (await call(base, 'GET', '/v1/assignments/decay/gradebook.csv', { token: staff })).text.trim().split('\n');
    expect(book.slice(1).map((l) => l.split(',')[0])).toEqual(uploads.map((u) => u.student));
    const completedBy = new Set((await queue.getCompleted()).map((j) => j.processedBy));
    expect(completedBy.size).toBeGreaterThanOrEqual(2);

    // SIGTERM finishes the job in hand before the worker exits.
    const late = await submit(base, students.get('late')!, 'decay', uploads[0]);
    const holder = await until(
      'the late job in hand',
      async () => {
        const j = await Job.fromId(queue, late.json.id);
        return j && (await j.getState()) === 'active' && j.processedBy ? ids.indexOf(j.processedBy) : undefined;
      },
      60_000,
      100,
    );
    workers[holder].child.kill('SIGTERM');
    expect((await workers[holder].exited).code).toBe(0);
    const lateJob = (await Job.fromId<SubmissionJob, GradedJob>(queue, late.json.id))!;
    expect(await lateJob.getState()).toBe('completed');
    expect(lateJob.attemptsStarted).toBe(1);
    expect(lateJob.returnvalue.graded.results.score).toBe(42);
  } finally {
    await queue.close();
    connection.disconnect();
  }

  // Redis down: 503 with a reason, then the same server recovers when Redis is back on the same files.
  await redis.stop();
  const down = await submit(base, students.get('after-outage')!, 'decay', uploads[0]);
  expect(down.status).toBe(503);
  expect(down.json.error).toMatch(/Redis/);
  redis = await EmbeddedRedis.start(redisDir);
  redises.push(redis);
  expect(redis.url).toBe(url);
  const back = await until(
    '202 after Redis is back',
    async () => {
      const r = await submit(base, students.get('after-outage')!, 'decay', uploads[0]);
      return r.status === 202 ? r : undefined;
    },
    20_000,
    500,
  );
  expect(back.json.status).toBe('queued');
  await server.stop();
  expect((await server.exited).code).toBe(0);
  for (const w of workers) await w.stop();
  await redis.stop();
});

test('embedded Redis: kill -9 of the server (and its redis-server), restart on the same --data, then kill -9 of redis-server alone: nothing lost', async () => {
  const data = path.join(tmp, 'embedded');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serve = () => start(['serve', '--data', data, '--port', String(port), '--workers', '1', ...STALL, ...FAST_LIMITS]);
  let server = serve();
  await server.waitFor(/listening on/);
  const uploads = exampleUploads();
  // Cheap where the point allows it: gus does not compile and hana is not a notebook, so neither runs the hidden suite.
  const { staff, students } = await tokensFor(['--data', data], ['alice', 'bruno', 'gus', 'hana']);
  const byName = (s: string) => uploads.find((u) => u.student === s)!;
  const alice = (await submit(base, students.get('alice')!, 'decay', byName('alice'))).json.id;
  expect((await graded(base, staff, alice)).results.score).toBe(42);
  const bruno = (await submit(base, students.get('bruno')!, 'decay', byName('bruno'))).json.id;
  const gus = (await submit(base, students.get('gus')!, 'decay', byName('gus'))).json.id;
  await server.kill9();

  server = serve();
  await server.waitFor(/listening on/);
  expect((await call(base, 'GET', `/v1/submissions/${alice}`, { token: staff })).json).toMatchObject({ status: 'graded', results: { score: 42 } });
  expect(await graded(base, staff, bruno)).toMatchObject({ status: 'graded', results: { score: 42 } });
  expect(await graded(base, staff, gus)).toMatchObject({ status: 'graded', results: { score: 0 } });

  const redisPid = Number(fs.readFileSync(path.join(data, 'redis', 'redis.pid'), 'utf8'));
  const hana = (await submit(base, students.get('hana')!, 'decay', byName('hana'))).json.id;
  process.kill(redisPid, 'SIGKILL');
  await server.waitFor(/./, 1000).catch(() => undefined);
  await until(
    'the API answering again',
    async () => ((await call(base, 'GET', `/v1/submissions/${alice}`, { token: staff })).status === 200 ? true : undefined),
    30_000,
  );
  expect(server.stderr).toMatch(/redis-server exited \(SIGKILL\); restarting it/);
  expect((await call(base, 'GET', `/v1/submissions/${alice}`, { token: staff })).json.results.score).toBe(42);
  expect(await graded(base, staff, hana)).toMatchObject({ status: 'graded', results: { score: 0 } });
  const book = (await call(base, 'GET', '/v1/assignments/decay/gradebook.csv', { token: staff })).text.trim().split('\n');
  expect(book.slice(1).map((l) => l.split(',')[0])).toEqual(['alice', 'bruno', 'gus', 'hana']);

  // kill -9 of the server process alone: its redis-server follows (parent-death signal), so a restart finds the files free.
  const currentRedis = Number(fs.readFileSync(path.join(data, 'redis', 'redis.pid'), 'utf8'));
  process.kill(server.pid, 'SIGKILL');
  await until('redis-server to end with its parent', async () => (fs.existsSync(`/proc/${currentRedis}`) ? undefined : true), 15_000);
  await server.stop();
});

test('a submission whose worker is killed (-9) every time it holds it ends failed with a plain reason; the submissions queued beside it are graded', async () => {
  const redis = await EmbeddedRedis.start(path.join(tmp, 'poison'));
  redises.push(redis);
  const url = redis.url;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = start(['serve', '--redis', url, '--port', String(port), '--workers', '0']);
  await server.waitFor(/listening on/);
  const uploads = exampleUploads();
  const byName = (s: string) => uploads.find((u) => u.student === s)!;
  const innocents = ['alice', 'bruno', 'gus'];
  const { staff, students } = await tokensFor(['--redis', url], ['poison', ...innocents]);
  const marker = `marker${randomBytes(12).toString('hex')}`;
  const poisonBytes = Buffer.concat([byName('alice').bytes, Buffer.from(`\n// ${marker}\n`)]);
  const poison = (await submit(base, students.get('poison')!, 'decay', { student: 'poison', filename: 'poison.ts', bytes: poisonBytes })).json.id as string;
  const innocentIds = new Map<string, string>();
  for (const s of innocents) innocentIds.set(s, (await submit(base, students.get(s)!, 'decay', byName(s))).json.id);

  // A worker's id is read from its first line whenever it has printed it, so that a slow start never hides a holder.
  const workerId = (w: DecaylabProcess) => /^worker (\S+) grading/m.exec(w.stdout)?.[1];
  const worker = () => start(['worker', '--redis', url, '--jobs', '1', ...STALL, ...FAST_LIMITS]);
  let workers = [worker(), worker()];
  const connection = connectRedis(url, ConnectionUse.Worker);
  const queue = new Queue<SubmissionJob, GradedJob>(QUEUE_NAME, { connection });
  let kills = 0;
  const aloneLine = (k: number) => `submission ${poison} was held by a worker that stopped (${k} time(s)); grading it alone`;
  try {
    // Whenever a worker holds the poisonous job, kill -9 it (with everything it started) and start another.
    const end = await until(
      'the poisonous submission to end',
      async () => {
        const job = (await Job.fromId<SubmissionJob, GradedJob>(queue, poison))!;
        const state = await job.getState();
        if (state === 'failed' || state === 'completed') return state;
        const holder = workers.find((w) => workerId(w) === job.processedBy);
        // A job is active from the moment a worker fetches it; a suspect is killed only once its holder has said it
        // grades it alone, or a kill under load could come before the gate and the check below would miss its line.
        const admitted = (w: DecaylabProcess) => job.stalledCounter === 0 || w.stderr.includes(aloneLine(job.stalledCounter));
        if (state === 'active' && holder && job.stalledCounter <= RETRY_POLICY.maxStalledCount && admitted(holder)) {
          await holder.kill9();
          kills++;
          workers = [...workers.filter((w) => w !== holder), worker()];
        }
        return undefined;
      },
      240_000,
      100,
    );
    expect(end).toBe('failed');
    expect(kills).toBe(RETRY_POLICY.maxStalledCount + 1);
    // After each death the next holder graded it alone (suspect-gate.ts), so no neighbour died with it again.
    const logs = started.map((p) => p.stderr).join('');
    for (let k = 1; k <= RETRY_POLICY.maxStalledCount; k++) expect(logs).toContain(aloneLine(k));
    const view = (await call(base, 'GET', `/v1/submissions/${poison}`, { token: students.get('poison') })).json;
    expect(view).toMatchObject({ id: poison, status: 'failed', filename: 'poison.ts' });
    expect(view.error).toMatch(/^the grading worker stopped \(killed or crashed\) each time it held this submission, 3 times; it was set aside/);
    for (const [s, id] of innocentIds) {
      expect(await graded(base, staff, id)).toMatchObject({ student: s, status: 'graded', results: { score: s === 'gus' ? 0 : 42 } });
    }
    await until(
      'the failed upload released',
      async () => ((await keysHolding(connection, copiesOf(poisonBytes, marker))).length === 0 ? true : undefined),
      10_000,
    );

    // Resubmitted once the workers are left alone, the same file gets the same id and is graded this time.
    const again = await submit(base, students.get('poison')!, 'decay', { student: 'poison', filename: 'poison.ts', bytes: poisonBytes });
    expect(again.json).toEqual({ id: poison, status: 'queued' });
    expect(await graded(base, staff, poison)).toMatchObject({ status: 'graded', results: { score: 42 } });
  } finally {
    await queue.close();
    connection.disconnect();
  }
  await server.stop();
  for (const w of workers) await w.stop();
  await redis.stop();
});
