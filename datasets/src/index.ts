// @decaylab/datasets: seeded, deterministic data for the course. Every random draw comes from an explicit seed through
// one JS generator (seeded-random.ts), so the same seed gives the same bytes on every machine and backend.
export type { RegressionSplit, ClassificationSplit } from './splits';
export { d2lLinearRegression, type D2lLinearRegression, type D2lLinearRegressionOptions } from './d2l-linear-regression';
export { randomFeaturesRegression, type RandomFeaturesRegression, type RandomFeaturesRegressionOptions } from './random-features-regression';
export { MAX_SEED, MAX_SYNTHETIC_VALUES } from './validate';
export { mnistSubset, mnistInfo, type MnistSubset, type MnistSubsetOptions } from './mnist-subset';
export { MNIST_SIDE, MNIST_PIXELS, MNIST_CLASSES } from './mnist-pool';
export { regressionTensors, classificationTensors, oneHot } from './tensors';
export { normalArray, permutation, type NormalArrayOptions } from './seeded-random';
export { fingerprint } from './fingerprint';
