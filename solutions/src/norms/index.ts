// Reference functions for chapter 1 (norms); see README.md beside this file.
export { lpNorm, l1Norm, l2Norm, linfNorm } from './lp-norm';
export { frobeniusNorm, spectralNorm } from './matrix-norms';
