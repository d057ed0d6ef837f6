import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as solutions from '@decaylab/solutions';
import { CHAPTERS } from '../src/course-manifest';
import { check } from './check';
import { plot } from './charts';

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

describe('check', () => {
  it.each(CHAPTERS)('every public $assignment test passes on the reference functions', (c) => {
    const fns = c.exercises.map((name) => (solutions as Record<string, unknown>)[name] as (...a: never[]) => unknown);
    const out = printed(() => check(c.assignment, ...fns));
    expect(out).not.toMatch(/FAIL/);
    expect(out).toMatch(new RegExp(`${c.assignment}: (\\d+) of \\1 public tests pass`));
  });

  it.each(CHAPTERS)('every public $assignment test fails on stubs, saying "not implemented yet"', (c) => {
    const stubs = c.exercises.map((name) => {
      const stub = () => {
        throw new Error(`${name}: not implemented yet`);
      };
      Object.defineProperty(stub, 'name', { value: name });
      return stub;
    });
    const out = printed(() => check(c.assignment, ...stubs));
    expect(out).toMatch(new RegExp(`${c.assignment}: 0 of \\d+ public tests pass`));
    expect(out.split('\n').filter((l) => l.includes('FAIL')).length).toBeGreaterThan(0);
    expect(out).toMatch(/not implemented yet/);
  });

  it('names an unknown assignment and a non-function argument', () => {
    expect(() => check('nope', solutions.lpNorm)).toThrow(/unknown assignment 'nope'; expected one of norms, decay, double-descent/);
    expect(() => check('norms', 3 as unknown as () => void)).toThrow(/pass your functions themselves, got number/);
  });
});

describe('plot', () => {
  it('outside a kernel prints a stand-in and records the rows when DECAYLAB_RESULTS_DIR is set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-plot-'));
    process.env.DECAYLAB_RESULTS_DIR = dir;
    try {
      const rows = [{ x: 1, y: 2 }, { x: 10, y: 3 }];
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
