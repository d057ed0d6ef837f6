/** One chapter of the course: its folder and notebook, the grader assignment it feeds, its exercises in cell order. */
export interface CourseChapter {
  dir: string;
  notebook: string;
  title: string;
  assignment: string;
  exercises: string[];
}

export const COURSE_CHAPTERS: CourseChapter[] = [
  {
    dir: '01-norms',
    notebook: 'norms.ipynb',
    title: 'Norms',
    assignment: 'norms',
    exercises: ['lpNorm', 'l1Norm', 'l2Norm', 'linfNorm', 'frobeniusNorm', 'spectralNorm'],
  },
  {
    dir: '02-l2-vs-decay',
    notebook: 'l2-vs-decay.ipynb',
    title: 'L2 regularization versus weight decay',
    assignment: 'decay',
    exercises: ['l2Penalty', 'sgdL2Step', 'sgdDecayStep', 'initAdamState', 'adamL2Step', 'adamWStep'],
  },
  {
    dir: '03-double-descent',
    notebook: 'double-descent.ipynb',
    title: 'Double descent',
    assignment: 'double-descent',
    exercises: ['reluFeatures', 'minNormLeastSquares', 'ridgeRegression'],
  },
];
