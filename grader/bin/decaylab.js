#!/usr/bin/env node
'use strict';
// Launcher of the `decaylab` command: runs grader/src directly. A require hook transpiles the grader's own .ts files
// with TypeScript (no type-check, as the workspace's Jest transform does), so no build step is needed after `npm ci`.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const srcDir = path.join(__dirname, '..', 'src') + path.sep;
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };

require.extensions['.ts'] = (module, filename) => {
  if (!filename.startsWith(srcDir)) throw new Error(`decaylab: refusing to load ${filename} outside grader/src`);
  const js = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename }).outputText;
  module._compile(js, filename);
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
