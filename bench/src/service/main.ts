import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { parseClassBenchCli, withClass } from '../common/class-bench';
import { fail, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, percentile, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import type { Submission } from '../common/make-class';
import { runGradeBatch, type RunResult } from '../grading/run-graders';
import { collect, postAll, type Outcome } from './load-generator';
import { issueTokens, startCourse, stopCourse } from './service-processes';

const SCRIPT = 'bench/service';
const USAGE = `Usage: node bench/dist/service/main.js [--n 1000] [--workers 2] [--in-flight 16] [--rounds 1] [--quick]
  A deadline burst: n submissions posted over HTTP on 127.0.0.1 (at most --in-flight open requests) to
  \`decaylab serve\` with its own redis-server, drained by --workers separately started \`decaylab worker --jobs 1\`;
  the peer is \`decaylab grade-batch --jobs <workers>\` on the same files in the same run. Reports time to drain,
  submissions/s and their ratio to grade-batch's, p50/p99 submit-to-result latency, submissions lost (must be 0), and
  checks that every score and every test's pass/fail equals grade-batch's.
  --quick  6 submissions, one round (CI)`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

type ServiceRun = { drainSeconds: number; latencies: number[]; outcomes: Outcome[]; lost: string[] };

async function runService(work: string, round: number, subs: Submission[], workers: number, inFlight: number): Promise<ServiceRun> {
  const data = path.join(work, `service-${round}`);
  const course = await startCourse(data, await freePort(), workers, []);
  try {
    const roster = path.join(work, `roster-${round}.csv`);
    fs.writeFileSync(roster, `student\n${subs.map((s) => s.id).join('\n')}\n`);
    const tokens = await issueTokens(data, ['--roster', roster]);
    const staff = [...(await issueTokens(data, ['--staff'])).keys()][0];
    const t0 = Date.now();
    const { posted, refused } = await postAll(course.base, subs, tokens, inFlight);
    // Generous: 20 s per submission per worker would be ten times the normal rate.
    const { outcomes, lost } = await collect(course.base, staff, posted, 60_000 + (20_000 * subs.length) / workers);
    const finished = outcomes.map((o) => o.finishedAt);
    return {
      drainSeconds: (Math.max(...finished, t0) - t0) / 1000,
      latencies: outcomes.map((o) => (o.finishedAt - o.postedAt) / 1000).sort((a, b) => a - b),
      outcomes,
      lost: [...refused, ...lost],
    };
  } finally {
    await stopCourse(course);
  }
}

async function main(): Promise<void> {
  const {
    n,
    parallel: workers,
    rounds,
    values,
  } = parseClassBenchCli(SCRIPT, USAGE, 'workers', { n: 1000, quickN: 6, parallel: 2, rounds: 1, quickRounds: 1 }, { 'in-flight': { type: 'string' } });
  const inFlight = positiveInt(SCRIPT, 'in-flight', values['in-flight'] as string | undefined, 16);
  const problems = await withClass('service', n, async ({ work, classDir, subs, warmDir, warm }) => {
    const problems: string[] = [];
    await runGradeBatch(warmDir, path.join(work, 'warm-out'), workers, warm);

    const batches: RunResult[] = [];
    const services: ServiceRun[] = [];
    for (let round = 0; round < rounds; round++) {
      const batch = async () => batches.push(await runGradeBatch(classDir, path.join(work, `out${round}`), workers, subs));
      const service = async () => services.push(await runService(work, round, subs, workers, inFlight));
      for (const step of round % 2 === 0 ? [batch, service] : [service, batch]) await step();
    }

    for (const [k, s] of services.entries()) {
      problems.push(...s.lost.map((l) => `round ${k + 1}: lost ${l}`));
      for (const o of s.outcomes) {
        const b = batches[0].graded.get(o.student);
        const differing = b ? [...b.passed].filter(([id, ok]) => o.passed.get(id) !== ok).map(([id]) => id) : ['(no grade-batch result)'];
        if (!b || b.score !== o.score || differing.length > 0)
          problems.push(`round ${k + 1}: ${o.student}: service ${o.score}, grade-batch ${b?.score}; differing ${differing.join(', ')}`);
      }
    }

    const batchWall = summarize(batches.map((b) => b.wallSeconds));
    const drain = summarize(services.map((s) => s.drainSeconds));
    const last = services[services.length - 1];
    const lost = services.reduce((sum, s) => sum + s.lost.length, 0);
    console.log(`Machine: ${describeMachine()}`);
    console.log(
      `Class: ${n} submissions cycled from grader/examples/submissions and grader/fixtures/misconceptions; ${workers} workers; ${inFlight} requests in flight; ${rounds} round(s).\n`,
    );
    console.log('### Deadline burst: `decaylab serve` + separately started workers vs `decaylab grade-batch` on the same class\n');
    console.log(
      markdownTable(
        ['route', 'submissions', 'time to drain / wall s (median)', 'submissions/s', 'throughput vs grade-batch', 'submit-to-result p50 / p99 s', 'lost'],
        [
          [
            `decaylab serve + ${workers} x decaylab worker --jobs 1 (HTTP, BullMQ on redis-server)`,
            String(n),
            fmt(drain.median),
            fmt(n / drain.median),
            `${fmt(batchWall.median / drain.median, 2)}x`,
            `${fmt(percentile(last.latencies, 50))} / ${fmt(percentile(last.latencies, 99))}`,
            String(lost),
          ],
          [`decaylab grade-batch --jobs ${workers}`, String(n), fmt(batchWall.median), fmt(n / batchWall.median), '1.0x', '', ''],
        ],
      ),
    );
    const agreeing = last.outcomes.length - problems.filter((p) => p.includes(`round ${services.length}:`) && !p.includes('lost')).length;
    console.log(`\nScores identical to grade-batch for ${agreeing} of ${n} submissions (every test's pass/fail compared); ${lost} lost.`);
    console.log('The service route is timed from its first POST (server and workers already started); grade-batch includes its own start.');
    return problems;
  });
  if (problems.length > 0) fail(SCRIPT, `the service lost submissions or disagreed with grade-batch:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

main().catch((e: Error) => fail(SCRIPT, e.message));
