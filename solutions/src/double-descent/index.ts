// Reference functions for chapter 3 (double descent); see README.md beside this file.
export { reluFeatures } from './features';
export { minNormLeastSquares, minNormSolution, ridgeRegression, type MinNormRoute, type MinNormSolution } from './least-squares';
