// Jest configuration of the hidden suites (src/assignments/*/*.hidden.ts). The batch grader runs it with a manifest
// (DECAYLAB_MANIFEST); the benchmark's unisolated baseline runs it against one file with DECAYLAB_SUBMISSION.
const path = require('path');
const preset = require('../jest.preset.js');

process.env.TF_ENABLE_ONEDNN_OPTS = process.env.TF_ENABLE_ONEDNN_OPTS || '0';

module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/assignments/*/*.hidden.ts'],
  // Grading reads Jest's --json report; the workspace's test-count reporter belongs to `npm test`, not to grading.
  reporters: ['default'],
  // Per user, out of /tmp: a shared folder there fails for a second user (EACCES) and another local account could
  // plant transformed code in it before the grader runs.
  cacheDirectory: path.join(process.env.XDG_CACHE_HOME || path.join(require('os').homedir(), '.cache'), 'decaylab', 'jest-hidden'),
};
