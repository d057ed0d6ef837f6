#!/usr/bin/env node
'use strict';
// Launcher of the `decaylab` command: runs grader/src directly. A require hook turns the grader's own .ts files into
// JavaScript (transpile-cache.js), so no build step is needed after `npm ci`.
const fs = require('fs');
const path = require('path');
const { transpileCached } = require('./transpile-cache');

const srcDir = path.join(__dirname, '..', 'src') + path.sep;

require.extensions['.ts'] = (module, filename) => {
  if (!filename.startsWith(srcDir)) throw new Error(`decaylab: refusing to load ${filename} outside grader/src`);
  module._compile(transpileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
};

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`decaylab: internal error: ${e && e.message}\n`);
      process.exit(1);
    },
  );
