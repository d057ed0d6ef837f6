// Jest configuration of the hidden suites (src/assignments/*/*.hidden.ts). The grading engine runs it in its lanes
// (DECAYLAB_LANE, see src/engine/lane.ts); the benchmark's unisolated baseline runs it against one file with
// DECAYLAB_SUBMISSION.
const path = require('path');
const preset = require('../jest.preset.js');

process.env.TF_ENABLE_ONEDNN_OPTS = process.env.TF_ENABLE_ONEDNN_OPTS || '0';
const inLane = Boolean(process.env.DECAYLAB_LANE);

module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/assignments/*/*.hidden.ts'],
  // A lane transpiles without TypeScript when Jest's cache has the file (bin/lane-transform.js); the unisolated run
  // keeps the workspace's ts-jest.
  transform: inLane ? { '^.+\\.ts$': path.join(__dirname, 'bin', 'lane-transform.js') } : preset.transform,
  // A lane's trusted side loads tfjs as the sandbox does, without the packages no check uses (src/engine/lane-tfjs.ts).
  moduleNameMapper: inLane
    ? {
        ...preset.moduleNameMapper,
        '^@tensorflow/tfjs-node$': '<rootDir>/src/engine/lane-tfjs.ts',
        '^@tensorflow/tfjs-(layers|converter|data|backend-cpu|backend-webgl)$': '<rootDir>/src/sandbox/skipped-package.ts',
      }
    : preset.moduleNameMapper,
  // The lane's link to the engine (plain jest-environment-node outside a lane).
  testEnvironment: '<rootDir>/src/engine/lane-environment.ts',
  // A lane's results leave through its environment, test by test; the unisolated run reads Jest's own report. The
  // workspace's test-count reporter belongs to `npm test`, not to grading.
  reporters: inLane ? [] : ['default'],
  // Per user, out of /tmp: a shared folder there fails for a second user (EACCES) and another local account could
  // plant transformed code in it before the grader runs.
  cacheDirectory: path.join(process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache'), 'decaylab', 'jest-hidden'),
};
