import type { CourseSection, Misconception } from '../../core/misconception';

// Known wrong answers of the double-descent functions. Unlike the other assignments' variants they are not float64
// formulas: the checks replay a failed case through the reference with the wrong knob (./checks.ts), so the catalogue
// here holds only what the feedback says and where chapter 3 explains it.

const MIN_NORM: CourseSection = { chapter: '03-double-descent', heading: '1. Random features and the minimum-norm solution' };

const m = (id: string, says: string): Misconception => ({ id, says, section: MIN_NORM });

export const ddMisconceptions = {
  noRelu: m('reluFeatures.no-relu', 'it returns x w without the ReLU'),
  reluBeforeProduct: m('reluFeatures.relu-before-product', 'it applies the ReLU to x before the product instead of to x w'),
  absolute: m('reluFeatures.absolute', 'it takes |x w| instead of max(0, x w)'),
  ridgeInstead: m('minNormLeastSquares.ridge-lambda-1', 'it equals ridge regression with lambda = 1; the minimum-norm solution has no penalty'),
  noCutoff: m(
    'minNormLeastSquares.no-cutoff',
    'it keeps a singular value that is only rounding noise; drop s <= rcond * s_max (default rcond = max(n, N) * 2^-23)',
  ),
  rcondIgnored: m('minNormLeastSquares.rcond-ignored', 'it ignores the rcond argument and uses the default cutoff'),
  lambdaSquared: m('ridgeRegression.lambda-squared', 'it uses lambda^2 where the formula has lambda: s / (s^2 + lambda)'),
  lambdaIgnored: m('ridgeRegression.lambda-ignored', 'it ignores lambda (this is the minimum-norm solution)'),
  halfLambda: m('ridgeRegression.half-lambda', 'it uses lambda / 2; the penalty lambda ||b||^2 gives s / (s^2 + lambda)'),
};
