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

/** Latency of grading one submission on its own, end to end, by each route; and the grader's peak memory doing it. */
export async function singleSubmission(entry: string, out: string, runs: number): Promise<{ grade: Summary; gradePeakBytes: number; jest: Summary }> {
  const seconds: number[] = [];
  let gradePeakBytes = 0;
  for (let i = 0; i < runs; i++) {
    const memory = new PeakMemory(50);
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(REPO, 'grader', 'bin', 'decaylab.js'), 'grade', entry, '--assignment', 'decay', '--out', `${out}.json`], {
      cwd: REPO,
      stdio: 'ignore',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    memory.watch(child.pid);
    const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    gradePeakBytes = Math.max(gradePeakBytes, memory.stop());
    if (code !== 0) throw new Error(`decaylab grade exited with ${code}`);
  }
  const grade = summarize(seconds);
  const jestArgs = [
    path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'),
    '-c',
    path.join(REPO, 'grader', 'jest.hidden.config.js'),
    '--ci',
    '/assignments/decay/',
  ];
  const jest = wall(jestArgs, REPO, runs, { DECAYLAB_SUBMISSION: entry });
  return { grade, gradePeakBytes, jest };
}
