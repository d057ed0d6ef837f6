// Reference functions for chapter 3 (double descent); see README.md beside this file.
export { reluFeatures } from './features';
export { minNormLeastSquares, ridgeRegression } from './least-squares';
