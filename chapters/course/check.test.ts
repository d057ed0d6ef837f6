import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-node';
import * as solutions from '@decaylab/solutions';
import { assignments } from '../../grader/src/assignments/registry';
import { CHAPTERS } from '../src/course-manifest';
import { check } from './check';
import { FunctionStatus, formatReport, publicTestsOf, runPublicTests, type CheckReport } from './check-run';
import { plot } from './charts';

const reference = solutions as unknown as Record<string, (...a: never[]) => unknown>;

function printed(run: () => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

const named = (name: string, f: (...a: never[]) => unknown) => Object.defineProperty(f, 'name', { value: name });
const stub = (name: string) =>
  named(name, () => {
    throw new Error(`${name}: not implemented yet`);
  });

/** The reference functions of a chapter with `replace` swapped in. */
function withOne(assignment: string, replace: Record<string, (...a: never[]) => unknown>): Record<string, unknown> {
  const c = CHAPTERS.find((x) => x.assignment === assignment)!;
  return Object.fromEntries(c.exercises.map((e) => [e, replace[e] ?? reference[e]]));
}

const statusOf = (r: CheckReport, fn: string) => r.functions.find((f) => f.fn === fn)!;

describe('check', () => {
  it('covers every assignment the grader grades, and every function it grades, with at least one public test each', () => {
    expect(CHAPTERS.map((c) => c.assignment).sort()).toEqual(assignments.map((a) => a.id).sort());
    for (const a of assignments) {
      expect([...new Set(publicTestsOf(a.id).map((t) => t.fn))].sort()).toEqual([...a.exports].sort());
      expect([...CHAPTERS.find((c) => c.assignment === a.id)!.exercises].sort()).toEqual([...a.exports].sort());
    }
  });

  it.each(CHAPTERS)('every public $assignment test passes on the reference functions, with no tensor left behind', (c) => {
    const before = tf.memory().numTensors;
    const out = printed(() => check(c.assignment, ...c.exercises.map((e) => reference[e])));
    expect(tf.memory().numTensors).toBe(before);
    expect(out.split('\n')).toHaveLength(c.exercises.length + 1);
    for (const e of c.exercises) expect(out).toMatch(new RegExp(`^  pass  ${e} +(\\d+)/\\1 public tests pass$`, 'm'));
    expect(out).toMatch(new RegExp(`${c.assignment}: ${c.exercises.length} of ${c.exercises.length} functions pass`));
  });

  it.each(CHAPTERS)('reports every $assignment function as not implemented on the stubs', (c) => {
    const out = printed(() => check(c.assignment, ...c.exercises.map(stub)));
    for (const e of c.exercises) expect(out).toMatch(new RegExp(`^  todo  ${e} +not implemented yet$`, 'm'));
    expect(out).toMatch(new RegExp(`${c.assignment}: 0 of ${c.exercises.length} functions pass`));
  });

  it('names an unknown assignment and a non-function argument', () => {
    expect(() => check('nope', solutions.lpNorm)).toThrow(/unknown assignment 'nope'; expected one of norms, decay, double-descent/);
    expect(() => check('norms', 3 as unknown as () => void)).toThrow(/pass your functions themselves, got number/);
  });
});

// One wrong implementation per category the grader tests, each caught by a public test of the same kind.
describe('the public tests preview every category of the hidden tests', () => {
  const fails = (assignment: string, fn: string, impl: (...a: never[]) => unknown, message: RegExp) => {
    const r = runPublicTests(assignment, withOne(assignment, { [fn]: impl }));
    const s = statusOf(r, fn);
    expect(s.status).toBe(FunctionStatus.Fail);
    expect(s.failure!.message).toMatch(message);
    for (const other of r.functions.filter((f) => f.fn !== fn)) expect(other.status).toBe(FunctionStatus.Pass);
  };

  it('overflow: an l2Norm that squares entries of 4e20', () => {
    fails(
      'norms',
      'l2Norm',
      (x: tf.Tensor) => tf.tidy(() => x.square().sum().sqrt()),
      /^l2Norm\(\[3e\+20, -4e\+20\]\): expected \[5e\+20\], got \[Infinity\]$/,
    );
  });

  it('leaks: an l1Norm that leaves its intermediate |x| behind', () => {
    fails('norms', 'l1Norm', (x: tf.Tensor) => x.abs().sum(), /l1Norm left 1 tensor\(s\) behind/);
  });

  it('disposed inputs: an linfNorm that disposes x', () => {
    fails(
      'norms',
      'linfNorm',
      (x: tf.Tensor) => {
        const out = x.abs().max();
        x.dispose();
        return out;
      },
      /linfNorm disposed its input first argument/,
    );
  });

  it('changed inputs: an adamWStep that advances the given state in place', () => {
    const inPlace = (p: tf.Tensor[], g: tf.Tensor[], s: solutions.AdamState, o: never) => {
      const r = solutions.adamWStep(p, g, s, o);
      s.t += 1;
      return r;
    };
    fails('decay', 'adamWStep', inPlace as never, /adamWStep changed its inputs/);
  });

  it('returned inputs: an sgdDecayStep that passes a parameter through when the decay is zero', () => {
    const passThrough = (p: tf.Tensor[], g: tf.Tensor[], o: { lr: number; weightDecay: number }) =>
      p.map((w, i) => tf.tidy(() => (o.weightDecay === 0.5 && i === 1 ? w : w.mul(1 - o.lr * o.weightDecay).sub(g[i].mul(o.lr)))));
    fails('decay', 'sgdDecayStep', passThrough as never, /sgdDecayStep returned its input tensor as result\[1\]/);
  });

  it('trajectories: an adamL2Step with the bias correction of the old step count', () => {
    const stale = (p: tf.Tensor[], g: tf.Tensor[], s: solutions.AdamState, o: Record<string, number>) => {
      const t = Math.max(1, s.t);
      return tf.tidy(() => {
        const gs = p.map((w, i) => g[i].add(w.mul(o.l2)));
        const m = gs.map((gi, i) => s.m[i].mul(o.beta1).add(gi.mul(1 - o.beta1)));
        const v = gs.map((gi, i) => s.v[i].mul(o.beta2).add(gi.square().mul(1 - o.beta2)));
        const w = p.map((pi, i) =>
          pi.sub(
            m[i]
              .div(1 - o.beta1 ** t)
              .div(
                v[i]
                  .div(1 - o.beta2 ** t)
                  .sqrt()
                  .add(o.eps),
              )
              .mul(o.lr),
          ),
        );
        return { params: w, state: { t: s.t + 1, m, v } };
      });
    };
    fails('decay', 'adamL2Step', stale as never, /adamL2Step after four steps: expected/);
  });

  it('rcond: a minNormLeastSquares that ignores an explicit rcond', () => {
    const ignores = (phi: tf.Tensor2D, y: tf.Tensor2D) => solutions.minNormLeastSquares(phi, y);
    fails(
      'double-descent',
      'minNormLeastSquares',
      ignores as never,
      /^minNormLeastSquares\(\[\[1,0\],\[0,0\.001\]\], \[\[1\],\[1\]\], 0\.01\): expected \[1, 0\], got \[1, 1000\]$/,
    );
  });

  it('shapes: a ridgeRegression that returns a flat vector', () => {
    const flat = (phi: tf.Tensor2D, y: tf.Tensor2D, l: number) => tf.tidy(() => solutions.ridgeRegression(phi, y, l).flatten());
    fails('double-descent', 'ridgeRegression', flat as never, /^ridgeRegression\(\[\[1\]\], \[\[2\]\], 1\) should have shape \[1,1\], got \[1\]$/);
  });

  it('results returned directly: an l2Penalty that returns a Promise', () => {
    fails('decay', 'l2Penalty', (async (p: tf.Tensor[]) => solutions.l2Penalty(p)) as never, /l2Penalty returns a Promise/);
  });

  it('tests each function on its own: a stub initAdamState leaves the Adam steps passing', () => {
    const r = runPublicTests('decay', withOne('decay', { initAdamState: stub('initAdamState') }));
    expect(r.functions.filter((f) => f.status !== FunctionStatus.Pass).map((f) => [f.fn, f.status])).toEqual([
      ['initAdamState', FunctionStatus.NotImplemented],
    ]);
    expect(formatReport(r).at(-1)).toBe('decay: 5 of 6 functions pass their 10 public tests; grading runs further tests.');
  });
});

describe('plot', () => {
  it('outside a kernel prints a stand-in and records the rows when DECAYLAB_RESULTS_DIR is set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-plot-'));
    process.env.DECAYLAB_RESULTS_DIR = dir;
    try {
      const rows = [
        { x: 1, y: 2 },
        { x: 10, y: 3 },
      ];
      const lines: string[] = [];
      const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
      await plot({ id: 'demo-chart', title: 'A demo', mark: 'line', rows, x: { field: 'x', log: true }, y: { field: 'y' } });
      spy.mockRestore();
      expect(lines).toEqual(['[figure: A demo]']);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'demo-chart.json'), 'utf8'))).toEqual({ title: 'A demo', rows });
    } finally {
      delete process.env.DECAYLAB_RESULTS_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
