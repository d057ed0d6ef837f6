'use strict';
// The Jest transform of a lane (jest.hidden.config.js): the hidden suite and what it imports (the grader's sources,
// the reference solutions, the dataset generators) transpiled as the launcher's require hook does. Jest keeps each
// output in its cache under getCacheKey's answer, and that answer needs no TypeScript, so a warm lane never loads it;
// ts-jest loads TypeScript at every start to build its configuration (about 0.4 s of a core before the suite runs).
// Transpile only, no type-check, like the workspace's ts-jest (isolatedModules): `npm run build` type-checks.
const { transpile, transpileKey } = require('./transpile-cache');

module.exports = {
  getCacheKey(source, sourcePath) {
    return `${transpileKey(source)}:${sourcePath}`;
  },
  process(source, sourcePath) {
    return { code: transpile(source, sourcePath) };
  },
};
