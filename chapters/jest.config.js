module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/course/**/*.test.ts'],
  // The executed release under .executed/ holds a copy of this package's manifest.
  modulePathIgnorePatterns: ['<rootDir>/.executed/'],
};
