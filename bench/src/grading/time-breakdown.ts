import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { summarize, type Summary } from '../common/stats';
import { REPO } from '../common/make-class';
import { PeakMemory } from './process-tree-memory';

function wall(args: string[], cwd: string, runs: number, extraEnv: Record<string, string> = {}): Summary {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...extraEnv };
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`\`node ${args.join(' ')}\` exited with ${r.status ?? r.signal}`);
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return summarize(out);
}

/** The fixed costs a fresh-process-per-submission grader pays each time, each measured on its own. */
export function fixedCosts(runs: number): { nodeStart: Summary; tfjsLoad: Summary; jestStart: Summary } {
  const nodeStart = wall(['-e', '0'], REPO, runs);
  const tfjsLoad = wall(['-e', "require('@tensorflow/tfjs-node')"], REPO, runs);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-jest-start-'));
  try {
    fs.writeFileSync(path.join(dir, 'trivial.test.js'), "test('nothing', () => {});\n");
    fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node' };\n");
    const jest = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
    const jestStart = wall([jest, '-c', path.join(dir, 'jest.config.js'), '--ci'], dir, runs);
    return { nodeStart, tfjsLoad, jestStart };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type SingleSubmission = {
  /** `decaylab grade`: the CLI, a lane (Jest), the sandbox's zygote and the student's forked worker. */
  grade: Summary;
  gradePeakBytes: number;
  /** The same tree's peak PSS (shared pages counted once, as a container's memory limit counts them). */
  gradePeakPssBytes: number;
  /** One bare `jest` process running the hidden suite on the same file in-process (no isolation). */
  jest: Summary;
  jestPeakBytes: number;
  jestPeakPssBytes: number;
  /**
   * The same bare `jest` with the configuration a lane's Jest gets (jest.hidden.config.js under DECAYLAB_LANE: the
   * lane's transform and trusted tfjs, no reporters), still unisolated and without an engine: how much of grade's
   * time is isolation and the engine rather than Jest's configuration.
   */
  jestLikeLane?: Summary;
  /** Wall time of grade over bare jest, medians. */
  ratio: number;
  /** Test ids whose pass/fail differs between the two routes (must be none). */
  differing: string[];
  /** `decaylab grade` of another checkout (`other`), when asked for: the same run's before. */
  other?: { grade: Summary; gradePeakBytes: number; gradePeakPssBytes: number };
};

/**
 * Runs `args` under node and returns its wall seconds and the peak RSS of its whole process tree (sampled every 50 ms).
 * `okCodes`: the exit codes of a run that worked (Jest exits 1 when a test failed, as it does for a wrong submission).
 */
async function timedTree(
  args: string[],
  extraEnv: Record<string, string>,
  okCodes = [0],
  cwd = REPO,
): Promise<{ seconds: number; peakBytes: number; peakPssBytes: number }> {
  const memory = new PeakMemory(50, true);
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...extraEnv } });
  memory.watch(child.pid);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await closed;
  const peakBytes = memory.stop();
  const peakPssBytes = memory.peakPss;
  if (code === null || !okCodes.includes(code)) throw new Error(`\`node ${args.join(' ')}\` exited with ${code}:\n${stderr.trim()}`);
  return { seconds, peakBytes, peakPssBytes };
}

/**
 * Grading one submission on its own (the Gradescope case), end to end, by both routes, `runs` times each, alternating
 * which goes first so that a change in the shared machine's load hits both alike; and every test's outcome compared.
 */
export async function singleSubmission(entry: string, out: string, runs: number, other?: string, laneConfigPeer = false): Promise<SingleSubmission> {
  const gradeBy = (repo: string, file: string) => [path.join(repo, 'grader', 'bin', 'decaylab.js'), 'grade', entry, '--assignment', 'decay', '--out', file];
  const grade = gradeBy(REPO, `${out}.json`);
  const report = `${out}.jest.json`;
  const laneReport = `${out}.jest-like-lane.json`;
  const jestWith = (file: string) => [
    path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'),
    '-c',
    path.join(REPO, 'grader', 'jest.hidden.config.js'),
    '--ci',
    '--json',
    '--outputFile',
    file,
    '/assignments/decay/',
  ];
  const g: Awaited<ReturnType<typeof timedTree>>[] = [];
  const j: Awaited<ReturnType<typeof timedTree>>[] = [];
  const l: Awaited<ReturnType<typeof timedTree>>[] = [];
  // No IPC channel: the lane environment stays plain jest-environment-node and the suite runs DECAYLAB_SUBMISSION.
  const likeLane = { DECAYLAB_SUBMISSION: entry, DECAYLAB_LANE: '{}' };
  const o: Awaited<ReturnType<typeof timedTree>>[] = [];
  for (let i = 0; i < runs; i++) {
    const steps = [
      async () => g.push(await timedTree(grade, {})),
      async () => j.push(await timedTree(jestWith(report), { DECAYLAB_SUBMISSION: entry }, [0, 1])),
    ];
    if (laneConfigPeer) steps.push(async () => l.push(await timedTree(jestWith(laneReport), likeLane, [0, 1])));
    if (other) steps.push(async () => o.push(await timedTree(gradeBy(other, `${out}.other.json`), {}, [0], other)));
    for (const step of i % 2 === 0 ? steps : steps.reverse()) await step();
  }
  const graded = JSON.parse(fs.readFileSync(`${out}.json`, 'utf8')) as { tests: { name: string; status: string }[] };
  const passedBy = (file: string) => {
    const byJest = JSON.parse(fs.readFileSync(file, 'utf8')) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
    return new Map(byJest.testResults.flatMap((f) => f.assertionResults.map((a) => [a.title, a.status === 'passed'] as const)));
  };
  const jestPassed = passedBy(report);
  const laneConfigPassed = laneConfigPeer ? passedBy(laneReport) : jestPassed;
  const differing = graded.tests
    .map((t) => [t.name.slice(0, t.name.indexOf(': ')), t.status === 'passed'] as const)
    .filter(([id, passed]) => jestPassed.get(id) !== passed || laneConfigPassed.get(id) !== passed)
    .map(([id]) => id);
  const gradeWall = summarize(g.map((r) => r.seconds));
  const jestWall = summarize(j.map((r) => r.seconds));
  return {
    grade: gradeWall,
    gradePeakBytes: Math.max(...g.map((r) => r.peakBytes)),
    gradePeakPssBytes: Math.max(...g.map((r) => r.peakPssBytes)),
    jest: jestWall,
    ...(laneConfigPeer ? { jestLikeLane: summarize(l.map((r) => r.seconds)) } : {}),
    jestPeakBytes: Math.max(...j.map((r) => r.peakBytes)),
    jestPeakPssBytes: Math.max(...j.map((r) => r.peakPssBytes)),
    ratio: gradeWall.median / jestWall.median,
    differing,
    ...(other
      ? {
          other: {
            grade: summarize(o.map((r) => r.seconds)),
            gradePeakBytes: Math.max(...o.map((r) => r.peakBytes)),
            gradePeakPssBytes: Math.max(...o.map((r) => r.peakPssBytes)),
          },
        }
      : {}),
  };
}
