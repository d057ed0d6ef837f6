// Jest configuration of the hidden suites (src/assignments/*/*.hidden.ts). The batch grader runs it with a manifest
// (DECAYLAB_MANIFEST); the benchmark's unisolated baseline runs it against one file with DECAYLAB_SUBMISSION.
const path = require('path');
const preset = require('../jest.preset.js');

process.env.TF_ENABLE_ONEDNN_OPTS = process.env.TF_ENABLE_ONEDNN_OPTS || '0';

module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/assignments/*/*.hidden.ts'],
  cacheDirectory: path.join(require('os').tmpdir(), 'decaylab-jest-hidden'),
};
