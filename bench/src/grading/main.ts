import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withClass, parseClassBenchCli } from '../common/class-bench';
import { fail } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, formatSummary, percentile, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { pointsFrom, runBaseline, runGradeBatch, type RunResult } from './run-graders';
import { fixedCosts, singleSubmission } from './time-breakdown';

const SCRIPT = 'bench/grading';
const USAGE = `Usage: node bench/dist/grading/main.js [--n 200] [--jobs <cores>] [--quick]
  Grades a generated class (the grader's examples and misconception fixtures, cycled) twice: with
  \`decaylab grade-batch\` (full isolation) and with one fresh \`jest\` process per submission (the naive, unisolated
  baseline), both with the same parallelism; checks that every score is identical.
  --n      class size (default 200; use 1000 for the full run)
  --jobs   parallel jobs for both (default: number of cores)
  --rounds repetitions of both routes, alternating which goes first (default 2)
  --quick  4 submissions, one repetition of the fixed-cost probes (CI)`;

function mib(bytes: number): string {
  return `${fmt(bytes / 2 ** 20)} MiB`;
}

/** One table row over all rounds of a route: wall median (min-max), rate from the median, the last round's percentiles. */
function row(label: string, n: number, runs: RunResult[], peer: RunResult[]): string[] {
  const wall = summarize(runs.map((r) => r.wallSeconds));
  const peerWall = summarize(peer.map((r) => r.wallSeconds));
  const done = [...runs[runs.length - 1].completionSeconds].sort((a, b) => a - b);
  return [
    label,
    String(n),
    formatSummary(wall),
    fmt(n / wall.median),
    `${fmt(done[0])} / ${fmt(percentile(done, 50))} / ${fmt(percentile(done, 90))} / ${fmt(percentile(done, 100))}`,
    mib(Math.max(...runs.map((r) => r.peakBytes))),
    `${fmt(peerWall.median / wall.median, 2)}x`,
  ];
}

async function main(): Promise<void> {
  const {
    n,
    parallel: jobs,
    rounds,
    quick,
  } = parseClassBenchCli(SCRIPT, USAGE, 'jobs', {
    n: 200,
    quickN: 4,
    parallel: os.availableParallelism?.() ?? os.cpus().length,
    rounds: 2,
    quickRounds: 1,
  });
  const mismatches = await withClass('grading', n, async ({ work, classDir, subs, warmDir, warm }) => {
    // Warm both routes' transpile caches on a two-student class so neither pays them inside the timing.
    await runGradeBatch(warmDir, path.join(work, 'warm-out'), jobs, warm);
    const points = pointsFrom(path.join(work, 'warm-out', `${warm[0].id}.json`));
    await runBaseline(warm.slice(0, 1), 1, points, fs.mkdtempSync(path.join(work, 'warm-jest-')));

    // Rounds alternate the order (batch first, then baseline first, ...) so that a change in the shared machine's
    // load hits both routes alike; a single sequential pair once showed 5.1x under load and 1.9x on a quieter machine.
    const batches: RunResult[] = [];
    const baselines: RunResult[] = [];
    for (let round = 0; round < rounds; round++) {
      const runBatch = async () => batches.push(await runGradeBatch(classDir, path.join(work, `out${round}`), jobs, subs));
      const runBase = async () => baselines.push(await runBaseline(subs, jobs, points, fs.mkdtempSync(path.join(work, 'jest-'))));
      for (const step of round % 2 === 0 ? [runBatch, runBase] : [runBase, runBatch]) await step();
    }
    const batch = batches[batches.length - 1];
    const baseline = baselines[baselines.length - 1];

    // Every round of both routes must give the first grade-batch round's outcome, test by test.
    const runsByLabel: [string, RunResult][] = [
      ...batches.map((r, k): [string, RunResult] => [`grade-batch round ${k + 1}`, r]),
      ...baselines.map((r, k): [string, RunResult] => [`baseline round ${k + 1}`, r]),
    ];
    const mismatches = subs.flatMap((s) => {
      const a = batches[0].graded.get(s.id);
      return runsByLabel.flatMap(([label, run]) => {
        const b = run.graded.get(s.id);
        if (!a || !b) return [`${s.id}: missing result in ${label}`];
        const tests = [...a.passed].filter(([id, ok]) => b.passed.get(id) !== ok).map(([id]) => id);
        if (a.score === b.score && tests.length === 0) return [];
        return [
          `${s.id} (${s.source}): grade-batch ${a.score}, ${label} ${b.score}; differing tests ${tests.join(', ')}; grade-batch said: ${a.feedback}; ${label} said: ${b.feedback}`,
        ];
      });
    });

    const costs = fixedCosts(quick ? 1 : 5);
    const single = await singleSubmission(subs[0].entry, path.join(work, 'single'), quick ? 1 : 5);
    if (single.differing.length > 0) mismatches.push(`one submission alone: grade and bare jest disagree on ${single.differing.join(', ')}`);
    const perProcess = summarize(baseline.processSeconds ?? [0]);
    const jestRuntime = summarize(baseline.jestRuntimeSeconds?.length ? baseline.jestRuntimeSeconds : [0]);
    const testsOwn = summarize(baseline.testsSeconds?.length ? baseline.testsSeconds : [0]);
    const tfjs = costs.tfjsLoad.median - costs.nodeStart.median;
    const jestOnly = costs.jestStart.median - costs.nodeStart.median;
    const scores = [...batch.graded.values()].map((g) => g.score);

    console.log(`Machine: ${describeMachine()}`);
    console.log(
      `Class: ${n} submissions cycled from grader/examples/submissions and grader/fixtures/misconceptions; jobs = ${jobs}; scores ${Math.min(...scores)}..${Math.max(...scores)}.\n`,
    );
    console.log('### Grading a class: `decaylab grade-batch` (isolated) vs one `jest` process per submission (unisolated)\n');
    console.log(
      markdownTable(
        [
          'route',
          'submissions',
          `wall s (${rounds} round(s))`,
          'submissions/s',
          'results after: first / p50 / p90 / last s',
          'peak RSS',
          'speed-up vs baseline',
        ],
        [
          row('decaylab grade-batch (bwrap sandbox, a forked worker per student)', n, batches, baselines),
          row('jest per submission (no isolation)', n, baselines, baselines),
        ],
      ),
    );
    const agreeing = subs.filter((s) => !mismatches.some((m) => m.startsWith(`${s.id} `) || m.startsWith(`${s.id}:`))).length;
    console.log(`\nScores identical for ${agreeing} of ${n} submissions across all ${2 * rounds} runs (every test's pass/fail compared).\n`);
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
          ['  its peak RSS, whole process tree (MiB, largest run)', fmt(single.gradePeakBytes / 2 ** 20)],
          [`one submission alone: one \`jest\` process, ${single.jest.runs} run(s)`, fmt(single.jest.median)],
          ['  its peak RSS, whole process tree (MiB, largest run)', fmt(single.jestPeakBytes / 2 ** 20)],
          ['one submission alone: `decaylab grade` over one `jest` process (wall, medians)', `${fmt(single.ratio, 2)}x`],
        ],
      ),
    );
    return mismatches;
  });
  if (mismatches.length > 0) fail(SCRIPT, `scores differ between the two routes:\n  ${mismatches.slice(0, 20).join('\n  ')}`);
}

main().catch((e: Error) => fail(SCRIPT, e.message));
