import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../core/errors';
import type { GradedStudent } from '../core/results';
import { startEngine, type Engine, type EngineEvent } from './engine';

// The engine through its API, with real lanes (Jest), real sandboxes and real kill -9s of lane processes.

const grader = path.join(__dirname, '..', '..');
const example = (name: string) => path.join(grader, 'examples', 'submissions', name);
const limits = { callTimeoutMs: 5_000, budgetMs: 60_000, memoryMb: 1024 };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the grading engine', () => {
  let engine: Engine;
  const events: EngineEvent[] = [];
  /** Student ids whose lane is killed when their testing starts, and how often. */
  const killWhenStarted = new Map<string, number>();
  const lanePids = new Set<number>();
  let runFolders: string[];

  beforeAll(async () => {
    const before = new Set(fs.readdirSync(os.tmpdir()));
    engine = await startEngine({
      jobs: 2,
      limits,
      onEvent: (e) => {
        events.push(e);
        if (e.type !== 'started' || e.lanePid === undefined) return;
        lanePids.add(e.lanePid);
        const left = killWhenStarted.get(e.id) ?? 0;
        if (left > 0) {
          killWhenStarted.set(e.id, left - 1);
          process.kill(e.lanePid, 'SIGKILL');
        }
      },
    });
    runFolders = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('decaylab-run-') && !before.has(f));
  }, 60_000);
  // Also when a test fails: lanes left running would keep Jest from exiting (close() twice is fine).
  afterAll(() => engine?.close(), 90_000);

  let graded: Map<string, GradedStudent>;
  let settledFirstWhilePending = false;

  test('grades submissions given at any time, each result as soon as it is ready, in any order', async () => {
    killWhenStarted.set('killed-once', 1);
    killWhenStarted.set('killed-twice', 2);
    const requests = [
      { id: 'alice', path: example('alice.ts') },
      { id: 'chen', path: example('chen.ts') },
      { id: 'killed-once', path: example('alice.ts') },
      { id: 'dana', path: example('dana.ts') },
      { id: 'killed-twice', path: example('chen.ts') },
      { id: 'gus', path: example('gus.ts') },
    ];
    const pending = new Set(requests.map((r) => r.id));
    const promises = requests.map((r) =>
      engine.grade({ assignment: 'decay', ...r }).then((g) => {
        if (pending.size > 2) settledFirstWhilePending = true;
        pending.delete(r.id);
        return g;
      }),
    );
    // Given later, as bytes with the name it was uploaded under, for another assignment.
    const ines = fs.readFileSync(path.join(grader, 'examples', 'norms', 'ines.ts'));
    promises.push(engine.grade({ assignment: 'norms', id: 'ines', filename: 'ines.ts', bytes: ines }));
    graded = new Map((await Promise.all(promises)).map((g) => [g.id, g]));
    expect(settledFirstWhilePending).toBe(true);
    expect(graded.get('alice')!.results.score).toBe(42);
    expect(graded.get('chen')!.results.score).toBeLessThan(42);
    expect(graded.get('gus')!.status).toBe('compile-error');
    expect(graded.get('ines')!.assignment).toBe('norms');
    expect(graded.get('ines')!.results.score).toBe(graded.get('ines')!.results.max_score);
  }, 240_000);

  test('a lane killed while testing a student is replaced and that student graded again, as if nothing happened', () => {
    const ended = events.filter((e) => e.type === 'lane-ended');
    expect(ended.some((e) => e.type === 'lane-ended' && e.signal === 'SIGKILL' && e.regraded.includes('killed-once'))).toBe(true);
    expect(graded.get('killed-once')!.results.tests).toEqual(graded.get('alice')!.results.tests);
  });

  test('a student whose testing ended two lanes gets 0 for the unfinished tests, with a note that says why', () => {
    const g = graded.get('killed-twice')!;
    expect(g.results.score).toBe(0);
    expect(g.results.output).toMatch(/the grader's test process ended twice while testing this submission \(killed by SIGKILL\)/);
    expect(g.tests.every((t) => !t.passed && t.message.length > 0)).toBe(true);
    // The others, graded by the same lanes before and after, are untouched.
    expect(graded.get('dana')!.results.score).toBeGreaterThan(0);
  });

  test('test ids and the status are typed fields', () => {
    const chen = graded.get('chen')!;
    expect(chen.tests.map((t) => t.testId)).toContain('adamWStep.decoupled');
    expect(chen.tests.find((t) => t.testId === 'adamWStep.decoupled')!.passed).toBe(false);
    expect(chen.status).toBe('graded');
  });

  test('an unknown assignment is a usage error; close() ends every lane and removes the run folder', async () => {
    await expect(engine.grade({ assignment: 'nope', id: 'x', path: example('alice.ts') })).rejects.toBeInstanceOf(UsageError);
    await engine.close();
    expect([...lanePids].filter(alive)).toEqual([]);
    expect(runFolders).toHaveLength(1);
    expect(fs.existsSync(path.join(os.tmpdir(), runFolders[0]))).toBe(false);
    await expect(engine.grade({ assignment: 'decay', id: 'late', path: example('alice.ts') })).rejects.toBeInstanceOf(UsageError);
  }, 90_000);
});
