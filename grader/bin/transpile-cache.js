'use strict';
// The grader's one TypeScript-to-JavaScript step outside Jest (the launcher's require hook, the sandbox's harness):
// transpile only, no type-check, as the workspace's Jest transform does. Each output is kept on disk under the hash
// of its source, the options and TypeScript's version, so a warm run never loads TypeScript at all (loading it is
// most of a second of the CLI's start). The cache is per user and out of /tmp for the reason jest.hidden.config.js
// gives; a cache that cannot be written (a read-only install, a full disk) only costs the transpiling.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const COMPILER_OPTIONS = { module: 'commonjs', target: 'es2022', esModuleInterop: true, sourceMap: false };
const TS_VERSION = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
const FINGERPRINT = `${TS_VERSION}\n${JSON.stringify(COMPILER_OPTIONS)}\n`;

/** The grader's per-user cache folder (not in /tmp: see above). */
function decaylabCacheDir() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'decaylab');
}

function defaultCacheDir() {
  return path.join(decaylabCacheDir(), 'transpiled');
}

let typescript;
function transpile(source, fileName) {
  typescript ??= require('typescript');
  const { options } = typescript.convertCompilerOptionsFromJson(COMPILER_OPTIONS, '');
  return typescript.transpileModule(source, { compilerOptions: options, fileName }).outputText;
}

/** What the output of `transpile` depends on: TypeScript's version, the options and the source. */
function transpileKey(source) {
  return crypto.createHash('sha256').update(FINGERPRINT).update(source).digest('hex');
}

/** JavaScript for the TypeScript `source` (named `fileName` in messages), from `cacheDir` when it was made before. */
function transpileCached(source, fileName, cacheDir = defaultCacheDir()) {
  const file = path.join(cacheDir, `${transpileKey(source)}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not cached yet, or unreadable: made below
  }
  const js = transpile(source, fileName);
  store(cacheDir, file, js);
  return js;
}

/** Temp file + rename: a concurrent reader sees the whole output or none, and a kill -9 leaves at most a stray temp. */
function store(cacheDir, file, js) {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temp, js, { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // the folder itself is unusable: nothing was written
    }
  }
}

/** Makes require() run the .ts files under `srcDir` (and only those) through the cache; returns the hook's removal. */
function requireTypeScriptFrom(srcDir) {
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    if (!filename.startsWith(srcDir)) throw new Error(`decaylab: refusing to load ${filename} outside ${srcDir}`);
    module._compile(transpileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  return () => {
    if (previous) require.extensions['.ts'] = previous;
    else delete require.extensions['.ts'];
  };
}

module.exports = { transpile, transpileKey, transpileCached, defaultCacheDir, decaylabCacheDir, requireTypeScriptFrom };
