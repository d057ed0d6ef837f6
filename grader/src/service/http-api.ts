import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type IORedis from 'ioredis';
import type { Assignment } from '../core/assignment';
import { gradebookCsv } from '../report/gradebook-csv';
import { REPORT_CSP } from '../report/report-html';
import { renderClassReport } from '../report/write-class-report';
import { FILENAME, Role, type Principal } from './protocol';
import { takeSubmissionSlot } from './rate-limit';
import type { ServiceMetrics } from './service-metrics';
import type { SubmissionStore } from './submission-store';
import { principalOf } from './tokens';
import { liveWorkers } from './worker-heartbeat';

// The course platform's HTTP API (JSON, /v1). A submission is checked in the cheapest order before its body is read
// (token, assignment, file name, the student's rate), so a flood or an oversized upload costs almost nothing, and is
// acknowledged with 202 only once its job is in Redis. Every error is `{"error": "..."}` with its status code.

export type ApiOptions = {
  redis: IORedis;
  store: SubmissionStore;
  metrics: ServiceMetrics;
  assignments: readonly Assignment[];
  maxUploadBytes: number;
  ratePerMinute: number;
  log: (line: string) => void;
};

class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function buildApi(o: ApiOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: o.maxUploadBytes });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: o.maxUploadBytes }, (_req, body, done) => done(null, body));

  const authenticate = async (req: FastifyRequest) => {
    const principal = await principalOf(o.redis, req.headers.authorization);
    if (!principal) throw new ApiError(401, 'missing or unknown bearer token (Authorization: Bearer <token>)');
    req.principal = principal;
  };
  const assignmentOf = (id: string) => {
    const a = o.assignments.find((x) => x.id === id);
    if (!a) throw new ApiError(404, `unknown assignment "${id}"; known: ${o.assignments.map((x) => x.id).join(', ')}`);
    return a;
  };

  app.post<{ Params: { assignment: string } }>('/v1/assignments/:assignment/submissions', {
    onRequest: async (req) => {
      await authenticate(req);
      const principal = req.principal!;
      if (principal.role !== Role.Student) throw new ApiError(403, 'only a student token can submit');
      assignmentOf(req.params.assignment);
      const filename = req.headers['x-filename'];
      if (typeof filename !== 'string' || !FILENAME.test(filename)) {
        throw new ApiError(415, 'X-Filename must be a plain file name ending in .ipynb, .ts or .js (no folders, at most 100 characters)');
      }
      if (req.headers['content-type'] !== 'application/octet-stream') throw new ApiError(415, 'Content-Type must be application/octet-stream');
      const slot = await takeSubmissionSlot(o.redis, principal.student, o.ratePerMinute);
      if (!slot.allowed) {
        throw new ApiError(429, `more than ${o.ratePerMinute} submissions in a minute; retry in ${slot.retryAfterSeconds} s`, {
          'retry-after': String(slot.retryAfterSeconds),
        });
      }
    },
    handler: async (req, reply) => {
      const principal = req.principal as Extract<Principal, { role: Role.Student }>;
      const bytes = req.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new ApiError(400, "the body is empty: send the file's bytes");
      const id = await o.store.submit(principal.student, req.params.assignment, req.headers['x-filename'] as string, bytes);
      return reply.code(202).send({ id, status: 'queued' });
    },
  });

  app.get<{ Params: { id: string } }>('/v1/submissions/:id', { onRequest: authenticate }, async (req) => {
    const view = await o.store.find(req.params.id);
    if (!view) throw new ApiError(404, `no submission ${req.params.id}`);
    const p = req.principal!;
    if (p.role === Role.Student && p.student !== view.student) throw new ApiError(403, 'this submission belongs to another student');
    return view;
  });

  app.get<{ Params: { assignment: string } }>('/v1/assignments/:assignment/gradebook.csv', { onRequest: authenticate }, async (req, reply) => {
    if (req.principal!.role !== Role.Staff) throw new ApiError(403, 'the gradebook needs a staff token');
    const a = assignmentOf(req.params.assignment);
    const csv = gradebookCsv(a, await o.store.gradebookRows(a.id));
    return reply.type('text/csv; charset=utf-8').send(csv);
  });

  // grade-batch's class report, from each student's latest graded submission; the page's CSP is sent as a header too.
  const classReport = async (req: FastifyRequest<{ Params: { assignment: string } }>) => {
    if (req.principal!.role !== Role.Staff) throw new ApiError(403, 'the class report needs a staff token');
    const a = assignmentOf(req.params.assignment);
    return renderClassReport(a, await o.store.gradebookRows(a.id));
  };
  app.get<{ Params: { assignment: string } }>('/v1/assignments/:assignment/report.json', { onRequest: authenticate }, async (req, reply) =>
    reply.type('application/json; charset=utf-8').send((await classReport(req)).json),
  );
  app.get<{ Params: { assignment: string } }>('/v1/assignments/:assignment/report.html', { onRequest: authenticate }, async (req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', REPORT_CSP)
      .send((await classReport(req)).html),
  );

  app.get('/healthz', async (_req, reply) => {
    const workers = await liveWorkers(o.redis);
    return reply.code(workers > 0 ? 200 : 503).send({ redis: 'ok', workers });
  });

  app.get('/metrics', async (_req, reply) => reply.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics()));

  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` }));
  app.setErrorHandler(async (e: Error & { code?: string; statusCode?: number }, req, reply: FastifyReply) => {
    if (e instanceof ApiError) return reply.code(e.statusCode).headers(e.headers).send({ error: e.message });
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: `the upload is larger than ${o.maxUploadBytes} bytes` });
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: 'Content-Type must be application/octet-stream' });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send({ error: e.message });
    if (await redisUnreachable(o.redis)) return reply.code(503).send({ error: 'the queue (Redis) is unreachable; retry shortly' });
    o.log(`${req.method} ${req.url}: internal error: ${e.message}`);
    return reply.code(500).send({ error: `internal error: ${e.message}` });
  });
  return app;
}

/** After a failed call, whether Redis answers at all: a failure while it does not is an outage (503), not a bug. */
async function redisUnreachable(redis: IORedis): Promise<boolean> {
  if (redis.status !== 'ready') return true;
  return redis.ping().then(
    () => false,
    () => true,
  );
}
