import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, formatSummary, percentile, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { withClass } from '../common/class-bench';
import { REPO } from '../common/make-class';
import { runGradeBatch, type RunResult } from './run-graders';

// This checkout's `decaylab grade-batch` against another checkout's (typically main before a change), on the same
// generated class, rounds alternating which goes first; every score must agree.

const SCRIPT = 'bench/grading/against-checkout';
const USAGE = `Usage: node bench/dist/grading/against-checkout.js --other <checkout> [--n 200] [--jobs <cores>] [--rounds 1] [--other-first]`;

function row(label: string, n: number, runs: RunResult[], peer: RunResult[]): string[] {
  const wall = summarize(runs.map((r) => r.wallSeconds));
  const done = [...runs[runs.length - 1].completionSeconds].sort((a, b) => a - b);
  return [
    label,
    formatSummary(wall),
    fmt(n / wall.median),
    `${fmt(done[0])} / ${fmt(percentile(done, 50))} / ${fmt(percentile(done, 90))} / ${fmt(percentile(done, 100))}`,
    `${fmt(Math.max(...runs.map((r) => r.peakBytes)) / 2 ** 20)} MiB`,
    `${fmt(summarize(peer.map((r) => r.wallSeconds)).median / wall.median, 2)}x`,
  ];
}

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    other: { type: 'string' },
    n: { type: 'string' },
    jobs: { type: 'string' },
    rounds: { type: 'string' },
    'other-first': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const other = args.other as string | undefined;
  if (!other || !fs.existsSync(path.join(other, 'grader', 'bin', 'decaylab.js')))
    fail(SCRIPT, `--other must name a DecayLab checkout (got ${other ?? 'nothing'})`);
  const n = positiveInt(SCRIPT, 'n', args.n as string | undefined, 200);
  const jobs = positiveInt(SCRIPT, 'jobs', args.jobs as string | undefined, os.availableParallelism?.() ?? os.cpus().length);
  const rounds = positiveInt(SCRIPT, 'rounds', args.rounds as string | undefined, 1);
  await withClass('against', n, async ({ work, classDir, subs, warmDir, warm }) => {
    for (const repo of [REPO, other!]) await runGradeBatch(warmDir, path.join(work, `warm-${path.basename(repo)}`), jobs, warm, repo);
    const mine: RunResult[] = [];
    const theirs: RunResult[] = [];
    for (let round = 0; round < rounds; round++) {
      const a = async () => mine.push(await runGradeBatch(classDir, path.join(work, `this-${round}`), jobs, subs));
      const b = async () => theirs.push(await runGradeBatch(classDir, path.join(work, `other-${round}`), jobs, subs, other));
      for (const step of (round + (args['other-first'] ? 1 : 0)) % 2 === 0 ? [a, b] : [b, a]) await step();
    }
    const differing = subs.filter((s) => [...mine, ...theirs].some((r) => r.graded.get(s.id)?.score !== mine[0].graded.get(s.id)?.score));
    console.log(`Machine: ${describeMachine()}`);
    console.log(`Class: ${n} submissions (bench/grading's mix); jobs = ${jobs}; ${rounds} round(s), alternating.\n`);
    console.log(
      markdownTable(
        ['route', `wall s`, 'submissions/s', 'results after: first / p50 / p90 / last s', 'peak RSS', 'speed-up vs other'],
        [row(`grade-batch, this checkout (${REPO})`, n, mine, theirs), row(`grade-batch, ${other}`, n, theirs, theirs)],
      ),
    );
    console.log(`\nScores identical for ${n - differing.length} of ${n} submissions across all ${2 * rounds} runs.`);
    if (differing.length)
      fail(
        SCRIPT,
        `scores differ for ${differing
          .map((s) => s.id)
          .slice(0, 10)
          .join(', ')}`,
      );
  });
}

main().catch((e: Error) => fail(SCRIPT, e.message));
