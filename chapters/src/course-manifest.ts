import * as path from 'path';

/** One chapter of the course: its notebook, the grader assignment it feeds, and its exercises in cell order. */
export interface Chapter {
  dir: string;
  notebook: string;
  assignment: string;
  /** The solutions area whose reference functions fill the exercises (a folder of solutions/src). */
  solutionsArea: string;
  exercises: string[];
}

export const CHAPTERS: Chapter[] = [
  {
    dir: '01-norms',
    notebook: 'norms.ipynb',
    assignment: 'norms',
    solutionsArea: 'norms',
    exercises: ['lpNorm', 'l1Norm', 'l2Norm', 'linfNorm', 'frobeniusNorm', 'spectralNorm'],
  },
  {
    dir: '02-l2-vs-decay',
    notebook: 'l2-vs-decay.ipynb',
    assignment: 'decay',
    solutionsArea: 'decay',
    exercises: ['l2Penalty', 'sgdL2Step', 'sgdDecayStep', 'initAdamState', 'adamL2Step', 'adamWStep'],
  },
  {
    dir: '03-double-descent',
    notebook: 'double-descent.ipynb',
    assignment: 'double-descent',
    solutionsArea: 'double-descent',
    exercises: ['reluFeatures', 'minNormLeastSquares', 'ridgeRegression'],
  },
];

/** The chapters package folder (chapters/), whether running from src/ through ts-jest or from dist/src/. */
export const CHAPTERS_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const REPO_ROOT = path.resolve(CHAPTERS_ROOT, '..');

export const notebookPath = (c: Chapter, root = CHAPTERS_ROOT) => path.join(root, c.dir, c.notebook);
