// Shared Jest settings: TypeScript through ts-jest (transpile only; `npm run build` type-checks), workspace packages
// resolved to their sources so tests never run against a stale dist/.
const path = require('path');

// Quiet libtensorflow's start-up lines; oneDNN off also makes float32 results independent of thread scheduling.
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
process.env.TF_ENABLE_ONEDNN_OPTS = process.env.TF_ENABLE_ONEDNN_OPTS || '0';

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }],
  },
  moduleNameMapper: {
    '^@decaylab/(solutions|datasets)$': path.join(__dirname, '$1', 'src', 'index.ts'),
    '^@decaylab/tfjs-optimizers$': path.join(__dirname, 'optimizers', 'src', 'index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  reporters: ['default', path.join(__dirname, 'tools', 'test-summary', 'jest-reporter.js')],
};
