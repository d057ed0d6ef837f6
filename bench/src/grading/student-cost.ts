import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fail, parseCli, positiveInt } from '../common/cli';
import { describeMachine } from '../common/machine';
import { fmt, formatSummary, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { REPO } from '../common/make-class';
import { TreeCpu, type ProcessCpu } from './process-tree-cpu';

// Where one student's CPU goes in `grade-batch`, by process: the CLI (the engine: compiling submissions, results
// files, the gradebook), the lane (Jest running the hidden tests, the comparisons with the reference), the sandbox
// (the fork server and the workers it forked and reaped). Each part's cost per student is the difference between a
// large and a small class over the difference in size, so start-up costs cancel. Three classes split it further:
// - an empty module (every test fails at once: "does not export", no call is made) gives what a student costs before
//   any call: the fork, TensorFlow's eager context, the lock-down, loading the module, and Jest's own work per test;
// - a correct submission gives the whole of a student;
// - the same submission doing every call's work twice (the first result disposed) adds one more run of the student's
//   own tensor work and nothing else: the same calls cross the channel, with the same values to observe and compare.

const SCRIPT = 'bench/grading/student-cost';
const USAGE = `Usage: node bench/dist/grading/student-cost.js [--small 10] [--large 40] [--rounds 2] [--quick]
  Grades classes of copies of one correct submission, of the same submission doing its work twice and of an empty
  module with \`decaylab grade-batch --jobs 1\`, samples the CPU time of every process of the run from /proc, and
  prints the core-seconds one student costs in each part of the grader (medians over rounds).
  --small, --large  the two class sizes whose difference is measured (default 10 and 40)
  --rounds          repetitions, alternating the order of the runs (default 2)
  --quick           sizes 2 and 4, one round (CI: checks that the script runs)`;

const CORRECT = path.join(REPO, 'grader', 'examples', 'submissions', 'alice.ts');
const EMPTY_MODULE = 'export const nothing = 1;\n';
const PARTS = ['cli', 'lane', 'sandbox', 'other'] as const;
type Part = (typeof PARTS)[number];
const KINDS = ['correct', 'twice', 'empty'] as const;
type Kind = (typeof KINDS)[number];

/** The correct submission with each exported function run twice per call, the first run's tensors disposed. */
function doingItsWorkTwice(source: string): string {
  const names = [...source.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]);
  const renamed = source.replace(/^export function (\w+)\(/gm, 'function $1__once(');
  const wrappers = names.map(
    (n) =>
      `\nexport function ${n}(...args: Parameters<typeof ${n}__once>): ReturnType<typeof ${n}__once> {\n` +
      `  tf.dispose(${n}__once(...args) as unknown as tf.TensorContainer);\n  return ${n}__once(...args);\n}\n`,
  );
  return renamed + wrappers.join('');
}

function writeClass(dir: string, n: number, kind: Kind): void {
  fs.mkdirSync(dir, { recursive: true });
  const correct = fs.readFileSync(CORRECT, 'utf8');
  const source = kind === 'empty' ? EMPTY_MODULE : kind === 'twice' ? doingItsWorkTwice(correct) : correct;
  for (let i = 1; i <= n; i++) fs.writeFileSync(path.join(dir, `s${String(i).padStart(4, '0')}.ts`), source);
}

/** The fork server and its forks are node running harness/zygote.js; bubblewrap's own processes name that file too. */
const isZygote = (p: ProcessCpu) => p.command.startsWith(`${process.execPath} `) && p.command.includes('harness/zygote.js');

/** The fork server's workers are counted through what it reaped, so they are not counted again themselves. */
function roleOf(p: ProcessCpu, parent: ProcessCpu | undefined): { role: Part | 'skip'; self: boolean; reaped: boolean } {
  if (isZygote(p) && parent && isZygote(parent)) return { role: 'skip', self: false, reaped: false };
  if (isZygote(p)) return { role: 'sandbox', self: true, reaped: true };
  if (p.command.includes('grader/bin/decaylab.js')) return { role: 'cli', self: true, reaped: false };
  if (p.command.includes('grader/bin/lane.js')) return { role: 'lane', self: true, reaped: false };
  return { role: 'other', self: true, reaped: false };
}

async function gradeClass(dir: string, out: string): Promise<Map<string, number>> {
  const args = [path.join(REPO, 'grader', 'bin', 'decaylab.js'), 'grade-batch', dir, '--assignment', 'decay', '--out', out, '--jobs', '1', '--force'];
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const cpu = new TreeCpu(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const totals = cpu.stop(roleOf);
  if (code !== 0) fail(SCRIPT, `decaylab grade-batch ${dir} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return totals;
}

/** The split assumes both correct classes pass every test, so that they make the same calls. */
function expectFullMarks(out: string, kind: Kind): void {
  const results = JSON.parse(fs.readFileSync(path.join(out, 's0001.json'), 'utf8')) as { score: number; max_score: number };
  if (results.score !== results.max_score)
    fail(SCRIPT, `the ${kind} class scored ${results.score} of ${results.max_score}: its calls differ from a correct student's`);
}

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    small: { type: 'string' },
    large: { type: 'string' },
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const quick = args.quick as boolean;
  const small = positiveInt(SCRIPT, 'small', args.small as string | undefined, quick ? 2 : 10);
  const large = positiveInt(SCRIPT, 'large', args.large as string | undefined, quick ? 4 : 40);
  const rounds = positiveInt(SCRIPT, 'rounds', args.rounds as string | undefined, quick ? 1 : 2);
  if (large <= small) fail(SCRIPT, `--large (${large}) must be larger than --small (${small})`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-bench-student-cost-'));
  try {
    const runs = KINDS.flatMap((kind) => [small, large].map((n) => ({ kind, n, dir: path.join(work, `${kind}-${n}`) })));
    for (const r of runs) writeClass(r.dir, r.n, r.kind);
    const perStudent = new Map<string, number[]>();
    const record = (key: string, ms: number) => perStudent.set(key, [...(perStudent.get(key) ?? []), ms]);
    for (let round = 0; round < rounds; round++) {
      const measured = new Map<string, Map<string, number>>();
      const order = round % 2 === 0 ? runs : [...runs].reverse();
      for (const r of order) {
        const out = path.join(work, `out-${r.kind}-${r.n}-${round}`);
        measured.set(`${r.kind}-${r.n}`, await gradeClass(r.dir, out));
        if (r.kind !== 'empty') expectFullMarks(out, r.kind);
      }
      const cost = (kind: Kind, part: Part) =>
        (((measured.get(`${kind}-${large}`)!.get(part) ?? 0) - (measured.get(`${kind}-${small}`)!.get(part) ?? 0)) / (large - small)) * 1000;
      for (const kind of KINDS) {
        for (const part of PARTS) record(`${kind}/${part}`, cost(kind, part));
        record(
          `${kind}/all`,
          PARTS.reduce((a, p) => a + cost(kind, p), 0),
        );
      }
      // Each part of the split is a difference of runs from the same round (minutes apart); the medians come after.
      const calls = cost('twice', 'sandbox') - cost('correct', 'sandbox');
      record('split/fork', cost('empty', 'sandbox'));
      record('split/calls', calls);
      record('split/observation', cost('correct', 'sandbox') - cost('empty', 'sandbox') - calls);
      record('split/comparison', cost('correct', 'lane') - cost('empty', 'lane'));
      record('split/jest', cost('empty', 'lane'));
      record('split/engine', cost('correct', 'cli') + cost('correct', 'other'));
    }
    const ms = (key: string) => formatSummary(summarize(perStudent.get(key)!));
    const rows = [...PARTS, 'all'].map((part) => [part, ...KINDS.map((kind) => ms(`${kind}/${part}`))]);
    console.log(`Machine: ${describeMachine()}`);
    console.log(
      `Classes: ${small} and ${large} copies of grader/examples/submissions/alice.ts (42/42), of alice.ts doing its work twice and of an empty module; jobs 1; ${rounds} round(s).\n`,
    );
    console.log('#### CPU one student costs in `decaylab grade-batch`, core-milliseconds per student, median (min-max)\n');
    console.log(markdownTable(['part of the grader', 'correct submission', 'correct, its work done twice', 'empty module (no call is made)'], rows));
    console.log('\n#### A correct student, split by what the CPU does, core-milliseconds per student, median (min-max)\n');
    const split: [string, string, string][] = [
      ['split/fork', 'fork, TensorFlow context, lock-down, loading the module (worker)', 'sandbox of the empty module'],
      ['split/calls', "the student's own calls: its tensor work, run a second time (worker)", 'sandbox: twice minus correct'],
      ['split/observation', 'observation of each call and the channel (worker)', 'sandbox: correct minus empty minus the calls'],
      ['split/comparison', 'comparison with the reference, wire encoding, the checks (lane)', 'lane: correct minus empty'],
      ['split/jest', "Jest's own side: running and reporting the tests (lane)", 'lane of the empty module'],
      ['split/engine', 'the engine: compiling, results files, manifest, gradebook (CLI)', 'CLI (and any other process) of the correct submission'],
    ];
    console.log(markdownTable(['part', 'core-ms', 'measured as'], [...split.map(([key, what, how]) => [what, ms(key), how]), ['all', ms('correct/all'), '']]));
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const all = summarize(perStudent.get('correct/all')!).median;
    console.log(`\nWith all of a student costing ${fmt(all)} core-ms, ${cores} cores grade at most ${fmt((cores * 1000) / all)} students/s.`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => fail(SCRIPT, e.message));
