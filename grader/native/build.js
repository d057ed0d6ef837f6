'use strict';
// Builds the grader's addon (fork-server.c) with node-gyp, as `npm ci` does through the root postinstall. Offline
// machines have no headers tarball to download, so node's own headers are used when its installation ships them
// (<prefix>/include/node, as distribution packages and the official tarballs do).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const here = __dirname;
const prefix = path.resolve(process.execPath, '..', '..');
const nodedir = fs.existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
// npm tells its scripts where its bundled node-gyp is.
const gyp = process.env.npm_config_node_gyp;
if (!gyp) {
  process.stderr.write('[grader addon] error: run this through npm (npm run build-native -w grader), which provides node-gyp\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, [gyp, 'rebuild', '--directory', here, ...nodedir], { encoding: 'utf8' });
if (r.status !== 0) {
  const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-12).join('\n    ');
  process.stderr.write(
    `[grader addon] error: building grader/native with node-gyp failed (exit ${r.status}); it needs python3, make and a C compiler.\n    ${out}\n`,
  );
  process.exit(1);
}
process.stdout.write(`[grader addon] built ${path.join('grader', 'native', 'build', 'Release', 'fork_server.node')}\n`);
