import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, percentile, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { makeClass } from './make-class';
import { pointsFrom, runBaseline, runGradeBatch, type RunResult } from './run-graders';
import { fixedCosts, singleSubmission } from './time-breakdown';

const SCRIPT = 'bench/grading';
const USAGE = `Usage: node bench/dist/grading/main.js [--n 200] [--jobs <cores>] [--quick]
  Grades a generated class (the grader's examples and misconception fixtures, cycled) twice: with
  \`decaylab grade-batch\` (full isolation) and with one fresh \`jest\` process per submission (the naive, unisolated
  baseline), both with the same parallelism; checks that every score is identical.
  --n      class size (default 200; use 1000 for the full run)
  --jobs   parallel jobs for both (default: number of cores)
  --quick  4 submissions, one repetition of the fixed-cost probes (CI)`;

function mib(bytes: number): string {
  return `${fmt(bytes / 2 ** 20)} MiB`;
}

function row(label: string, n: number, r: RunResult, peer: RunResult): string[] {
  const done = [...r.completionSeconds].sort((a, b) => a - b);
  return [
    label,
    String(n),
    fmt(r.wallSeconds),
    fmt(n / r.wallSeconds),
    `${fmt(percentile(done, 50))} / ${fmt(percentile(done, 90))} / ${fmt(percentile(done, 100))}`,
    mib(r.peakBytes),
    `${fmt(peer.wallSeconds / r.wallSeconds, 2)}x`,
  ];
}

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    n: { type: 'string' },
    jobs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const quick = args.quick as boolean;
  const n = positiveInt(SCRIPT, 'n', args.n as string | undefined, quick ? 4 : 200);
  const jobs = positiveInt(SCRIPT, 'jobs', args.jobs as string | undefined, os.availableParallelism?.() ?? os.cpus().length);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-bench-grading-'));
  let mismatches: string[] = [];
  try {
    const subs = makeClass(n, path.join(work, 'class'));
    // Warm both routes' transpile caches on a two-student class so neither pays them inside the timing.
    const warm = makeClass(2, path.join(work, 'warm'));
    await runGradeBatch(path.join(work, 'warm'), path.join(work, 'warm-out'), jobs, warm);
    const points = pointsFrom(path.join(work, 'warm-out', `${warm[0].id}.json`));
    await runBaseline(warm.slice(0, 1), 1, points, fs.mkdtempSync(path.join(work, 'warm-jest-')));

    const batch = await runGradeBatch(path.join(work, 'class'), path.join(work, 'out'), jobs, subs);
    const baseline = await runBaseline(subs, jobs, points, fs.mkdtempSync(path.join(work, 'jest-')));

    mismatches = subs.flatMap((s) => {
      const a = batch.graded.get(s.id);
      const b = baseline.graded.get(s.id);
      if (!a || !b) return [`${s.id}: missing result`];
      const tests = [...a.passed].filter(([id, ok]) => b.passed.get(id) !== ok).map(([id]) => id);
      if (a.score === b.score && tests.length === 0) return [];
      return [`${s.id} (${s.source}): grade-batch ${a.score}, baseline ${b.score}; differing tests ${tests.join(', ')}; grade-batch said: ${a.feedback}; baseline said: ${b.feedback}`];
    });

    const costs = fixedCosts(quick ? 1 : 5);
    const single = singleSubmission(subs[0].entry, path.join(work, 'single'), quick ? 1 : 3);
    const perProcess = summarize(baseline.processSeconds ?? [0]);
    const jestRuntime = summarize(baseline.jestRuntimeSeconds?.length ? baseline.jestRuntimeSeconds : [0]);
    const testsOwn = summarize(baseline.testsSeconds?.length ? baseline.testsSeconds : [0]);
    const tfjs = costs.tfjsLoad.median - costs.nodeStart.median;
    const jestOnly = costs.jestStart.median - costs.nodeStart.median;
    const scores = [...batch.graded.values()].map((g) => g.score);

    console.log(`Machine: ${describeMachine()}`);
    console.log(`Class: ${n} submissions cycled from grader/examples/submissions and grader/fixtures/misconceptions; jobs = ${jobs}; scores ${Math.min(...scores)}..${Math.max(...scores)}.\n`);
    console.log('### Grading a class: `decaylab grade-batch` (isolated) vs one `jest` process per submission (unisolated)\n');
    console.log(
      markdownTable(
        ['route', 'submissions', 'wall s', 'submissions/s', 'done after p50 / p90 / max s', 'peak RSS', 'speed-up vs baseline'],
        [row('decaylab grade-batch (bwrap sandbox per student)', n, batch, baseline), row('jest per submission (no isolation)', n, baseline, baseline)],
      ),
    );
    console.log(`\nScores identical for ${n - mismatches.length} of ${n} submissions (every test's pass/fail compared).\n`);
    console.log('### Where a fresh-process-per-submission run spends its time (medians, seconds)\n');
    console.log(
      markdownTable(
        ['part', 'seconds'],
        [
          ['node process start (`node -e 0`)', fmt(costs.nodeStart.median)],
          ['loading tfjs-node + libtensorflow (on top of node start)', fmt(tfjs)],
          ['Jest start and teardown, trivial test (on top of node start)', fmt(jestOnly)],
          ['the hidden test file inside Jest (transpile, tfjs load, submission load, the tests)', fmt(jestRuntime.median)],
          ['  of which the 26 tests themselves (sum of Jest test durations)', fmt(testsOwn.median)],
          ['whole baseline process per submission', fmt(perProcess.median)],
          ['grade-batch: wall per submission per job (wall x jobs / n)', fmt((batch.wallSeconds * jobs) / n)],
          [`one submission alone: \`decaylab grade\` (sandboxed), ${single.grade.runs} run(s)`, fmt(single.grade.median)],
          [`one submission alone: one \`jest\` process, ${single.jest.runs} run(s)`, fmt(single.jest.median)],
        ],
      ),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (mismatches.length > 0) fail(SCRIPT, `scores differ between the two routes:\n  ${mismatches.slice(0, 20).join('\n  ')}`);
}

main().catch((e: Error) => fail(SCRIPT, e.message));
