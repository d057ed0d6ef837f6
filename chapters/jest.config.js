module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/course/**/*.test.ts'] };
