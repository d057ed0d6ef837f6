import * as path from 'path';
import { contractTests } from '../../hidden/contract';
import type { Assignment } from '../../core/assignment';
import { catalogue } from '../../core/misconception';
import { ddMisconceptions } from './variants';

// The double-descent assignment (chapter 3's exercise cells). Points live here and only here.

export const doubleDescent: Assignment = {
  id: 'double-descent',
  title: 'Random features, minimum-norm least squares and ridge (chapter 3)',
  exports: ['reluFeatures', 'minNormLeastSquares', 'ridgeRegression'],
  hiddenSuite: path.join(__dirname, 'double-descent.hidden.ts'),
  misconceptions: catalogue(Object.values(ddMisconceptions)),
  tests: [
    { id: 'reluFeatures.random', name: 'reluFeatures matches the reference on random inputs and weights', points: 2 },
    { id: 'minNormLeastSquares.tall', name: 'minNormLeastSquares solves tall (overdetermined) systems in the least-squares sense', points: 2 },
    { id: 'minNormLeastSquares.wide', name: 'minNormLeastSquares returns the minimum-norm interpolant of wide systems', points: 3 },
    { id: 'minNormLeastSquares.rankDeficient', name: 'minNormLeastSquares drops singular values that are rounding noise', points: 1 },
    { id: 'minNormLeastSquares.rcond', name: 'minNormLeastSquares honours an explicit rcond', points: 1 },
    { id: 'ridgeRegression.random', name: 'ridgeRegression matches the reference on random systems and lambdas', points: 3 },
    ...contractTests({}),
  ],
};
