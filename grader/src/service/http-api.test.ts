import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import type { RunningService } from './course-service';
import { QUEUE_NAME, Role } from './protocol';
import { connectRedis, ConnectionUse } from './redis-connection';
import { issueToken } from './tokens';
import { call, exampleUploads, runDecaylab, startTestService, submit, until, FAST_LIMITS, EXAMPLES, type Upload } from './service-test-kit';

// The HTTP API against a real redis-server (the service's own, under a temporary data folder) and a real local
// grading worker: every status code, token scopes, idempotent resubmission, hostile uploads, and a gradebook equal
// to grade-batch's for the example class.

jest.setTimeout(240_000);

const data = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-api-'));
const MAX_UPLOAD = 64 * 1024;
const RATE = 4;
let service: RunningService;
let base: string;
const tokens = new Map<string, string>();
let staff: string;
let redis: ReturnType<typeof connectRedis>;

beforeAll(async () => {
  service = await startTestService(data, { workers: 2, maxUploadBytes: MAX_UPLOAD, ratePerMinute: RATE });
  base = service.url;
  redis = connectRedis(service.redisUrl, ConnectionUse.Worker);
  staff = await issueToken(redis, { role: Role.Staff });
  for (const s of [...exampleUploads().map((u) => u.student), 'flood', 'hostile', 'other', 'uploader'])
    tokens.set(s, await issueToken(redis, { role: Role.Student, student: s }));
});

afterAll(async () => {
  redis?.disconnect();
  await service?.close();
  fs.rmSync(data, { recursive: true, force: true });
});

const alice = () => exampleUploads().find((u) => u.student === 'alice')!;
const graded = (id: string, token = staff) => {
  let last = '';
  return until(
    `submission ${id} graded (last seen: ${last})`,
    async () => {
      const r = await call(base, 'GET', `/v1/submissions/${id}`, { token });
      last = r.text.slice(0, 200);
      return r.json?.status === 'graded' || r.json?.status === 'failed' ? r.json : undefined;
    },
    150_000,
    500,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last seen: ${last}`);
  });
};

test('the example class graded through the API gives the same gradebook as grade-batch', async () => {
  const uploads = exampleUploads();
  const ids = new Map<string, string>();
  for (const u of uploads) {
    const r = await submit(base, tokens.get(u.student)!, 'decay', u);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'queued' });
    ids.set(u.student, r.json.id);
  }
  const out = path.join(data, 'grade-batch');
  const batch = await runDecaylab(['grade-batch', EXAMPLES, '--assignment', 'decay', '--out', out, ...FAST_LIMITS]);
  expect(batch.code).toBe(0);
  for (const [student, id] of ids) {
    const view = await graded(id, tokens.get(student));
    expect(view).toMatchObject({ id, student, assignment: 'decay', status: 'graded' });
    expect(view.results.score).toBe(JSON.parse(fs.readFileSync(path.join(out, `${student}.json`), 'utf8')).score);
  }
  const book = await call(base, 'GET', '/v1/assignments/decay/gradebook.csv', { token: staff });
  expect(book.status).toBe(200);
  expect(book.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(book.text).toBe(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8'));
  expect(book.text).toMatch(/^alice,42,42,graded,/m);
  expect(book.text).toMatch(/^gus,0,42,compile-error,/m);
});

test("staff get the class report (report.json, report.html) of the latest graded submissions: grade-batch's, counting as the service's gradebook", async () => {
  const book = parse((await call(base, 'GET', '/v1/assignments/decay/gradebook.csv', { token: staff })).text, { columns: true }) as Record<string, string>[];
  const json = await call(base, 'GET', '/v1/assignments/decay/report.json', { token: staff });
  expect(json.status).toBe(200);
  expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  const report = json.json;
  expect(report.scores.perStudent).toEqual(book.map((r) => ({ student: r.student, score: Number(r.score), status: r.status })));
  const counts: Record<string, number> = {};
  for (const row of book) for (const id of row.misconceptions.split(' ').filter(Boolean)) counts[id] = (counts[id] ?? 0) + 1;
  expect(Object.keys(counts).length).toBeGreaterThan(0);
  expect(Object.fromEntries(report.misconceptions.map((m: { id: string; students: string[] }) => [m.id, m.students.length]))).toEqual(counts);
  // grade-batch's report of the same class, but for the timing, which is measured anew in every run.
  const { timing: _timing, ...graded } = report;
  const { timing: _batchTiming, ...batch } = JSON.parse(fs.readFileSync(path.join(data, 'grade-batch', 'report.json'), 'utf8'));
  expect(graded).toEqual(batch);

  const html = await call(base, 'GET', '/v1/assignments/decay/report.html', { token: staff });
  expect(html.status).toBe(200);
  expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html.text)?.[1];
  expect(csp).toMatch(/^default-src 'none'/);
  expect(html.headers.get('content-security-policy')).toBe(csp);
  expect(html.text).not.toMatch(/<script[^>]*\ssrc=|<link\b|(?:src|href)="https?:/);
  expect((html.text.match(/<figure class="chart"[^>]*><svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
  const embedded = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html.text)![1];
  expect(JSON.parse(embedded)).toEqual(report);

  for (const route of ['/v1/assignments/decay/report.html', '/v1/assignments/decay/report.json']) {
    expect((await call(base, 'GET', route)).status).toBe(401);
    const student = await call(base, 'GET', route, { token: tokens.get('alice') });
    expect([student.status, student.json.error]).toEqual([403, 'the class report needs a staff token']);
  }
  const unknown = await call(base, 'GET', '/v1/assignments/no-such/report.json', { token: staff });
  expect([unknown.status, unknown.json.error]).toEqual([404, expect.stringMatching(/unknown assignment "no-such"/)]);
});

test('identical bytes resubmitted give the same id and no second job; changed bytes a new one', async () => {
  const queue = new Queue(QUEUE_NAME, { connection: redis });
  try {
    const u = alice();
    const first = await submit(base, tokens.get('other')!, 'decay', u);
    const before = Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0);
    const again = await submit(base, tokens.get('other')!, 'decay', u);
    expect(again.status).toBe(202);
    expect(again.json.id).toBe(first.json.id);
    expect(Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0)).toBe(before);
    const changed = await submit(base, tokens.get('other')!, 'decay', { ...u, bytes: Buffer.concat([u.bytes, Buffer.from('\n// v2\n')]) });
    expect(changed.json.id).not.toBe(first.json.id);
    // Another student with the same bytes is a different submission.
    const bytesOfAlice = await submit(base, tokens.get('uploader')!, 'decay', u);
    expect(bytesOfAlice.json.id).not.toBe(first.json.id);
    await graded(changed.json.id);
  } finally {
    await queue.close();
  }
});

test('401, 403 and 404: tokens and their scopes', async () => {
  const route = '/v1/assignments/decay/submissions';
  const u = alice();
  const body = { headers: { 'content-type': 'application/octet-stream', 'x-filename': 'a.ts' }, body: u.bytes };
  for (const r of [
    await call(base, 'POST', route, body),
    await call(base, 'POST', route, { ...body, token: 'dl_not-a-token' }),
    await call(base, 'POST', route, { ...body, headers: { ...body.headers, authorization: 'Basic abc' } }),
    await call(base, 'GET', '/v1/assignments/decay/gradebook.csv'),
  ]) {
    expect(r.status).toBe(401);
    expect(r.json.error).toMatch(/token/);
  }
  const mine = await submit(base, tokens.get('alice')!, 'decay', u);
  const other = await call(base, 'GET', `/v1/submissions/${mine.json.id}`, { token: tokens.get('bruno') });
  expect(other.status).toBe(403);
  expect(other.json.error).toMatch(/another student/);
  expect((await call(base, 'GET', `/v1/submissions/${mine.json.id}`, { token: tokens.get('alice') })).status).toBe(200);
  expect((await call(base, 'GET', `/v1/submissions/${mine.json.id}`, { token: staff })).status).toBe(200);
  const book = await call(base, 'GET', '/v1/assignments/decay/gradebook.csv', { token: tokens.get('alice') });
  expect(book.status).toBe(403);
  expect((await submit(base, staff, 'decay', u)).status).toBe(403);
  const unknownAssignment = await submit(base, tokens.get('alice')!, 'no-such', u);
  expect(unknownAssignment.status).toBe(404);
  expect(unknownAssignment.json.error).toMatch(/unknown assignment "no-such"; known: decay/);
  expect((await call(base, 'GET', '/v1/assignments/no-such/gradebook.csv', { token: staff })).status).toBe(404);
  expect((await call(base, 'GET', `/v1/submissions/${'0'.repeat(32)}`, { token: staff })).status).toBe(404);
  expect((await call(base, 'GET', '/v1/submissions/..%2F..%2Fetc', { token: staff })).status).toBe(404);
});

test('413 over --max-upload, 415 for a missing, path-like or unsupported file name or content type', async () => {
  const token = tokens.get('uploader')!;
  const big = await submit(base, token, 'decay', { student: 'uploader', filename: 'big.ts', bytes: Buffer.alloc(MAX_UPLOAD + 1, 0x41) });
  expect(big.status).toBe(413);
  expect(big.json.error).toMatch(/larger than 65536 bytes/);
  const route = '/v1/assignments/decay/submissions';
  const bytes = alice().bytes;
  const cases: Record<string, string>[] = [
    { 'content-type': 'application/octet-stream' },
    { 'content-type': 'application/octet-stream', 'x-filename': '../../etc/passwd.ts' },
    { 'content-type': 'application/octet-stream', 'x-filename': 'sub/dir.ts' },
    { 'content-type': 'application/octet-stream', 'x-filename': 'notes.txt' },
    { 'content-type': 'application/octet-stream', 'x-filename': '.hidden.ts' },
    { 'content-type': 'application/json', 'x-filename': 'ok.ts' },
  ];
  for (const headers of cases) {
    const r = await call(base, 'POST', route, { token, headers, body: bytes });
    expect([r.status, r.json.error]).toEqual([415, expect.stringMatching(/X-Filename|Content-Type/)]);
  }
});

test('hostile uploads (a hanging submission, a forger, binary garbage) are graded without stalling an honest one', async () => {
  const token = tokens.get('hostile')!;
  const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'hostile');
  const hang: Upload = { student: 'hostile', filename: 'infinite-loop.ts', bytes: fs.readFileSync(path.join(fixtures, 'infinite-loop.ts')) };
  const forger: Upload = { student: 'hostile', filename: 'forger.ts', bytes: fs.readFileSync(path.join(fixtures, 'forger.ts')) };
  const garbage: Upload = { student: 'hostile', filename: 'garbage.ipynb', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) };
  const ids = [];
  for (const u of [hang, forger, garbage]) {
    const r = await submit(base, token, 'decay', u);
    expect(r.status).toBe(202);
    ids.push(r.json.id);
  }
  const honest = await submit(base, tokens.get('flood')!, 'decay', alice());
  const honestView = await graded(honest.json.id);
  expect(honestView.results.score).toBe(42);
  const [hangView, forgerView, garbageView] = await Promise.all(ids.map((id) => graded(id)));
  expect(hangView.status).toBe('graded');
  expect(hangView.results.score).toBeLessThan(42);
  expect(forgerView.results.score).toBeLessThan(42);
  expect(garbageView.status).toBe('graded');
  expect(garbageView.results).toMatchObject({ score: 0, output: expect.stringMatching(/garbage\.ipynb/) });
});

test('429 with Retry-After past --rate submissions a minute from one token', async () => {
  const token = tokens.get('flood')!;
  const statuses = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < RATE + 3; i++) {
    const r = await submit(base, token, 'decay', { student: 'flood', filename: 'flood.ts', bytes: Buffer.from(`// ${i}\n`) });
    statuses.push(r.status);
    if (r.status === 429) {
      retryAfter = r.headers.get('retry-after');
      expect(r.json.error).toMatch(new RegExp(`more than ${RATE} submissions in a minute`));
    }
  }
  // The honest submission of the previous test used one of flood's slots, unless the minute turned over since.
  expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(RATE - 1);
  expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(RATE);
  expect(statuses.slice(-3)).toEqual([429, 429, 429]);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  // Other students are not limited by it.
  expect((await submit(base, tokens.get('dana')!, 'decay', { student: 'dana', filename: 'x.ts', bytes: Buffer.from('// other\n') })).status).toBe(202);
});

test('/healthz answers 200 with a live worker; /metrics has queue depth, graded counts and the grading-time histogram', async () => {
  const health = await call(base, 'GET', '/healthz');
  expect(health.status).toBe(200);
  expect(health.json.workers).toBeGreaterThanOrEqual(1);
  const metrics = await call(base, 'GET', '/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.text).toMatch(/^decaylab_queue_jobs\{state="completed"\} [1-9]\d*$/m);
  expect(metrics.text).toMatch(/^decaylab_submissions_graded_total\{assignment="decay",status="graded"\} [1-9]\d*$/m);
  expect(metrics.text).toMatch(/^decaylab_submissions_graded_total\{assignment="decay",status="compile-error"\} [1-9]\d*$/m);
  expect(metrics.text).toMatch(/^decaylab_grading_seconds_count\{assignment="decay"\} [1-9]\d*$/m);
  const unknown = await call(base, 'GET', '/v2/nothing');
  expect(unknown.status).toBe(404);
  expect(unknown.json.error).toMatch(/no route/);
});
