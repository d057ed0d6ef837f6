#!/usr/bin/env node
'use strict';
// Launcher of the `decaylab` command: runs grader/src directly. A require hook turns the grader's own .ts files into
// JavaScript (transpile-cache.js), so no build step is needed after `npm ci`.
const path = require('path');
const { requireTypeScriptFrom } = require('./transpile-cache');

requireTypeScriptFrom(path.join(__dirname, '..', 'src') + path.sep);
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
