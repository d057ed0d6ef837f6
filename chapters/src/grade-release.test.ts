import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHAPTERS, REPO_ROOT } from './course-manifest';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { readNotebook, writeNotebook } from './notebook-file';
import { buildRelease } from './release';

// End to end through the real grader (`decaylab grade`, sandboxed hidden tests): a release notebook as shipped scores
// 0, and the same notebook with its exercise cells filled in from solutions/ scores full marks.

interface Results {
  score: number;
  max_score: number;
  tests: { name: string; status: string; output: string }[];
}

function grade(notebook: string, assignment: string, out: string): Results {
  const res = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'decaylab'), ['grade', notebook, '--assignment', assignment, '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (!fs.existsSync(out)) throw new Error(`decaylab grade wrote no results (exit ${res.status}):\n${res.stderr}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Results;
}

const failures = (r: Results) =>
  r.tests
    .filter((t) => t.status !== 'passed')
    .map((t) => `${t.name}: ${t.output}`)
    .join('\n');

describe('grading release notebooks with decaylab grade', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-grade-'));
    buildRelease(path.join(dir, 'release'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(CHAPTERS)(
    '$dir: untouched scores 0, filled in scores full marks',
    (c) => {
      const shipped = path.join(dir, 'release', c.dir, c.notebook);
      const untouched = grade(shipped, c.assignment, path.join(dir, `${c.dir}-untouched.json`));
      expect(untouched.max_score).toBeGreaterThan(0);
      expect(untouched.score).toBe(0);

      const filledPath = path.join(dir, `${c.dir}-filled.ipynb`);
      const reference = loadReferenceDeclarations(path.join(REPO_ROOT, 'solutions', 'src', c.solutionsArea));
      writeNotebook(filledPath, fillSolutions(readNotebook(shipped), c.exercises, reference));
      const filled = grade(filledPath, c.assignment, path.join(dir, `${c.dir}-filled.json`));
      if (filled.score !== filled.max_score) throw new Error(`filled-in ${c.dir} scored ${filled.score} of ${filled.max_score}:\n${failures(filled)}`);
    },
    300_000,
  );
});
