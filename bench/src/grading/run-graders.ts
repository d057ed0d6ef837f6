import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, type Submission } from '../common/make-class';
import { PeakMemory } from './process-tree-memory';

/** Per-test pass/fail and the score, as either grading route saw it. */
export interface Graded {
  score: number;
  passed: Map<string, boolean>;
  /** What the route reported (first failure), shown when the routes disagree. */
  feedback?: string;
}

export interface RunResult {
  wallSeconds: number;
  /** Seconds from the start of the run until each submission's result existed. */
  completionSeconds: number[];
  peakBytes: number;
  graded: Map<string, Graded>;
  /** Baseline only: per-process wall seconds, Jest's runtime of the hidden test file, and the tests' own durations. */
  processSeconds?: number[];
  jestRuntimeSeconds?: number[];
  testsSeconds?: number[];
}

interface GradescopeJson {
  score: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: 'passed' | 'failed'; output: string }[];
}

const CHILD_ENV = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

/** Test id -> points, read from a Gradescope results.json written by the grader ("<id>: <name>"). */
export function pointsFrom(resultsFile: string): Map<string, number> {
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as GradescopeJson;
  return new Map(r.tests.map((t) => [t.name.slice(0, t.name.indexOf(': ')), t.max_score]));
}

/** `decaylab grade-batch` with full isolation, as a TA would run it. */
export async function runGradeBatch(dir: string, out: string, jobs: number, subs: Submission[], repo = REPO): Promise<RunResult> {
  const args = [path.join(repo, 'grader', 'bin', 'decaylab.js'), 'grade-batch', dir, '--assignment', 'decay', '--out', out, '--jobs', String(jobs)];
  const memory = new PeakMemory();
  const t0 = Date.now();
  const seen = new Map<string, number>();
  const poll = setInterval(() => {
    for (const s of subs) if (!seen.has(s.id) && fs.existsSync(path.join(out, `${s.id}.json`))) seen.set(s.id, (Date.now() - t0) / 1e3);
  }, 100);
  const child = spawn(process.execPath, args, { cwd: repo, env: CHILD_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  memory.watch(child.pid);
  const code = await exitOf(child);
  const wallSeconds = (Date.now() - t0) / 1e3;
  clearInterval(poll);
  const peakBytes = memory.stop();
  if (code !== 0) throw new Error(`decaylab grade-batch exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const graded = new Map<string, Graded>();
  for (const s of subs) {
    const file = path.join(out, `${s.id}.json`);
    if (!fs.existsSync(file)) throw new Error(`decaylab grade-batch wrote no result for ${s.id}`);
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as GradescopeJson;
    const firstFailure = r.tests.find((t) => t.status === 'failed');
    graded.set(s.id, {
      score: r.score,
      passed: new Map(r.tests.map((t) => [t.name.slice(0, t.name.indexOf(': ')), t.status === 'passed'])),
      feedback: [r.output, firstFailure && `${firstFailure.name}: ${firstFailure.output}`].filter(Boolean).join(' / '),
    });
    if (!seen.has(s.id)) seen.set(s.id, wallSeconds);
  }
  return { wallSeconds, completionSeconds: [...seen.values()], peakBytes, graded };
}

interface JestJson {
  testResults: {
    assertionResults: { title: string; status: string; duration?: number; failureMessages?: string[] }[];
    startTime: number;
    endTime: number;
    name: string;
    message?: string;
  }[];
}

/**
 * The naive baseline: one fresh `jest` process per submission running the same hidden tests in-process (no
 * sandbox), `jobs` at a time. A submission Jest cannot even load (syntax error, broken notebook) scores 0.
 */
export async function runBaseline(subs: Submission[], jobs: number, points: Map<string, number>, scratch: string): Promise<RunResult> {
  const jest = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
  const config = path.join(REPO, 'grader', 'jest.hidden.config.js');
  const memory = new PeakMemory();
  const t0 = Date.now();
  const graded = new Map<string, Graded>();
  const completionSeconds: number[] = [];
  const processSeconds: number[] = [];
  const jestRuntimeSeconds: number[] = [];
  const testsSeconds: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < subs.length) {
      const s = subs[next++];
      const report = path.join(scratch, `${s.id}.jest.json`);
      const started = Date.now();
      // The path pattern keeps Jest to this assignment's hidden suite (the config matches every assignment's).
      const child = spawn(process.execPath, [jest, '-c', config, '--ci', '--json', '--outputFile', report, '/assignments/decay/'], {
        cwd: REPO,
        env: { ...CHILD_ENV, DECAYLAB_SUBMISSION: s.entry },
        stdio: 'ignore',
      });
      memory.watch(child.pid);
      await exitOf(child);
      memory.unwatch(child.pid);
      processSeconds.push((Date.now() - started) / 1e3);
      completionSeconds.push((Date.now() - t0) / 1e3);
      const passed = new Map<string, boolean>([...points.keys()].map((id) => [id, false]));
      let feedback = fs.existsSync(report) ? '' : 'Jest wrote no report';
      if (fs.existsSync(report)) {
        const j = JSON.parse(fs.readFileSync(report, 'utf8')) as JestJson;
        for (const file of j.testResults.filter((f) => f.name.includes('/assignments/decay/'))) {
          jestRuntimeSeconds.push((file.endTime - file.startTime) / 1e3);
          testsSeconds.push(file.assertionResults.reduce((sum, a) => sum + (a.duration ?? 0), 0) / 1e3);
          for (const a of file.assertionResults) if (points.has(a.title)) passed.set(a.title, a.status === 'passed');
          const failure = file.assertionResults.find((a) => a.status === 'failed');
          feedback ||= failure ? `${failure.title}: ${(failure.failureMessages ?? []).join(' ').slice(0, 300)}` : (file.message ?? '').slice(0, 300);
        }
      }
      const score = [...passed].reduce((sum, [id, ok]) => sum + (ok ? (points.get(id) ?? 0) : 0), 0);
      graded.set(s.id, { score, passed, feedback });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const wallSeconds = (Date.now() - t0) / 1e3;
  return { wallSeconds, completionSeconds, peakBytes: memory.stop(), graded, processSeconds, jestRuntimeSeconds, testsSeconds };
}
