import { CHAPTERS, notebookPath } from './course-manifest';
import { solvedProblems, sourceProblems, studentProblems } from './execute-chapters';
import type { CellRun, NotebookRun } from './execute-notebook';
import { isExercise, readNotebook, toSource } from './notebook-file';

// The verdicts of `chapters:execute` on runs and notebooks that are wrong in known ways.

const cell = (index: number, status: string, errorText = ''): CellRun => ({ index, status, seconds: 0.1, errorText, source: '' });
const run = (...cells: CellRun[]): NotebookRun => ({ seconds: 1, cells, executed: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } });

describe('execute verdicts', () => {
  it('the solved form may not fail anywhere', () => {
    expect(solvedProblems(run(cell(1, 'ok'), cell(2, 'ok')))).toEqual([]);
    expect(solvedProblems(run(cell(1, 'ok'), cell(2, 'error', 'TypeError: x is undefined')))).toEqual(['solved form, cell 2: TypeError: x is undefined']);
  });

  it('the student form may fail only with "not implemented yet"', () => {
    expect(studentProblems(run(cell(3, 'error', 'Error: lpNorm: not implemented yet\n    at ...')))).toEqual([]);
    const problems = studentProblems(run(cell(3, 'error', "1:7 - Cannot find name 'trainD2l'.")));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/a failure other than "not implemented yet" in cell 3: 1:7 - Cannot find name 'trainD2l'/);
  });

  it('rejects a committed notebook with outputs or with an exercise already implemented', () => {
    const c = CHAPTERS[0];
    const nb = readNotebook(notebookPath(c));
    const withOutput = {
      ...nb,
      cells: nb.cells.map((x, i) => (i === 1 ? { ...x, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }], execution_count: 1 } : x)),
    };
    expect(sourceProblems(withOutput, c)).toEqual(['cell 1 has outputs or an execution count; commit notebooks clean']);
    const first = nb.cells.findIndex(isExercise);
    const solved = {
      ...nb,
      cells: nb.cells.map((x, i) =>
        i === first
          ? { ...x, source: toSource("import * as tf from '@tensorflow/tfjs-node';\nfunction l1Norm(x: tf.Tensor): tf.Scalar {\n  return x.abs().sum();\n}\n") }
          : x,
      ),
    };
    expect(sourceProblems(solved, c)).toEqual([`exercise cell ${first} contains an implementation; commit the student form (stubs)`]);
  });
});
