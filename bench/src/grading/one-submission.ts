import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, formatSummary } from '../common/stats';
import { markdownTable } from '../common/table';
import { REPO } from '../common/make-class';
import { singleSubmission } from './time-breakdown';

// One submission alone, the Gradescope case: `decaylab grade` (sandboxed) against one bare `jest` process on the same
// file (unisolated), alternating, with the peak memory of each route's whole process tree (RSS summed over the
// processes, and PSS, which counts a shared page once) against Gradescope's default 768 MB container. Peaks are the
// largest over the runs.

const SCRIPT = 'bench/grading/one-submission';
const USAGE = `Usage: node bench/dist/grading/one-submission.js [--runs 5] [--submission <file>]
  Grades one submission with \`decaylab grade\` and with one bare \`jest\` process (also once more per round with the
  Jest configuration of a lane, still unisolated), --runs times each, alternating which goes first; prints medians,
  the ratio and the peak RSS of each route's process tree; checks that every test's pass/fail agrees.
  --runs        runs of each route (default 5)
  --submission  the file to grade (default grader/examples/submissions/chen.ts)
  --other       another checkout (with node_modules and the grader's addon built) whose \`decaylab grade\` runs as a
                third route in the same rounds: the before of a change`;

const GRADESCOPE_MB = 768;

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    runs: { type: 'string' },
    submission: { type: 'string' },
    other: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  const runs = positiveInt(SCRIPT, 'runs', args.runs as string | undefined, 5);
  const entry = path.resolve((args.submission as string | undefined) ?? path.join(REPO, 'grader', 'examples', 'submissions', 'chen.ts'));
  if (!fs.existsSync(entry)) fail(SCRIPT, `${entry} does not exist`);
  const other = args.other ? path.resolve(args.other as string) : undefined;
  if (other && !fs.existsSync(path.join(other, 'grader', 'bin', 'decaylab.js'))) fail(SCRIPT, `${other} is not a checkout of this repository`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-bench-one-'));
  try {
    // One untimed run of each warms the transpile caches (the launcher's and Jest's).
    await singleSubmission(entry, path.join(work, 'warm'), 1, other, true);
    const load = os.loadavg().map((x) => x.toFixed(2));
    const r = await singleSubmission(entry, path.join(work, 'single'), runs, other, true);
    console.log(`Machine: ${describeMachine()}; load average at the start ${load.join(' ')}`);
    console.log(`Submission: ${path.relative(REPO, entry)}; ${runs} runs of each route, alternating.\n`);
    const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB (${fmt((100 * bytes) / 1e6 / GRADESCOPE_MB)}% of ${GRADESCOPE_MB} MB)`;
    console.log(
      markdownTable(
        ['route', 'wall s, median (min-max)', 'wall vs bare jest', 'peak RSS, whole process tree', 'peak PSS, whole process tree'],
        [
          [
            '`decaylab grade` (bwrap sandbox, fork server, seccomp per worker)',
            formatSummary(r.grade),
            `${fmt(r.ratio, 2)}x`,
            mb(r.gradePeakBytes),
            mb(r.gradePeakPssBytes),
          ],
          ['one bare `jest` process (no isolation)', formatSummary(r.jest), '1.0x', mb(r.jestPeakBytes), mb(r.jestPeakPssBytes)],
          [
            'the same bare `jest`, configured as a lane (lane transform and trusted tfjs; no isolation, no engine)',
            formatSummary(r.jestLikeLane!),
            `${fmt(r.jestLikeLane!.median / r.jest.median, 2)}x`,
            '',
            '',
          ],
          ...(r.other
            ? [
                [
                  `\`decaylab grade\` of ${other}`,
                  formatSummary(r.other.grade),
                  `${fmt(r.other.grade.median / r.jest.median, 2)}x`,
                  mb(r.other.gradePeakBytes),
                  mb(r.other.gradePeakPssBytes),
                ],
              ]
            : []),
        ],
      ),
    );
    if (r.differing.length > 0) fail(SCRIPT, `the routes disagree on ${r.differing.join(', ')}`);
    console.log(`\nEvery test's pass/fail identical between grade and both bare jest runs.`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => fail(SCRIPT, e.message));
