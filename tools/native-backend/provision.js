#!/usr/bin/env node
// Provisions libtensorflow for @tensorflow/tfjs-node from the tensorflow-cpu Python wheel and builds the addon.
//
// tfjs-node's own install script downloads libtensorflow 2.9.1 from a storage host that no longer serves it, so the
// project's package.json denies that script (npm's allowScripts) and its postinstall runs this file instead, in the
// repository as in the student release (the folder of the project is the one npm runs the postinstall in):
//   1. find the wheel (DECAYLAB_TF_WHEEL, the cache, or `pip download`),
//   2. unpack the two shared libraries and the C API headers into a cache keyed by the wheel version,
//   3. lay them out under node_modules/@tensorflow/tfjs-node/deps the way the binding's build expects,
//   4. run the package's own scripts/install.js, which then builds the addon with node-gyp instead of downloading,
//   5. load the addon in a child process and check the backend and the libtensorflow version.
// Every step is skipped when its result is already there, so a re-run costs one child-process check.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const TF_VERSION = '2.21.0';
const WHEEL_SPEC = `tensorflow-cpu==${TF_VERSION}`;
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
// tfjs-node's build looks for these names (install.js checks libtensorflow.so.2.9.1 before deciding to download).
const LINKS = {
  'libtensorflow.so': 'libtensorflow_cc.so.2',
  'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
  'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  'libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2',
};
// Header folders inside the wheel's tensorflow/include/ that the binding's sources include.
const HEADER_PREFIXES = ['tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/ctstring', 'xla/tsl/c/'];

class ProvisionError extends Error {}

function log(msg) {
  process.stderr.write(`[native-backend] ${msg}\n`);
}

function cacheRoot() {
  const base = process.env.DECAYLAB_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'decaylab');
  return path.join(base, `tensorflow-${TF_VERSION}`);
}

function tfjsNodeDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json', { paths: [process.cwd(), __dirname] }));
  } catch {
    throw new ProvisionError('@tensorflow/tfjs-node is not installed in node_modules; run `npm install` (`npm ci` in the repository) first.');
  }
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
}

function findWheel(cache) {
  const given = process.env.DECAYLAB_TF_WHEEL;
  if (given) {
    if (!fs.existsSync(given)) {
      throw new ProvisionError(`DECAYLAB_TF_WHEEL points to ${given}, which does not exist.`);
    }
    return given;
  }
  const wheelDir = path.join(cache, 'wheel');
  const cached = fs.existsSync(wheelDir) ? fs.readdirSync(wheelDir).find((f) => f.endsWith('.whl')) : undefined;
  if (cached) return path.join(wheelDir, cached);

  const pip = findPip();
  log(`downloading the ${WHEEL_SPEC} wheel with pip (about 270 MB, once per machine)`);
  fs.mkdirSync(wheelDir, { recursive: true });
  // One retry: pip's default back-off spends minutes on an unreachable index before trying a configured local one.
  const args = ['download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--retries', '1', '-d', wheelDir, WHEEL_SPEC];
  const r = run(pip[0], [...pip.slice(1), ...args]);
  const got = fs.readdirSync(wheelDir).find((f) => f.endsWith('.whl'));
  if (r.status !== 0 || !got) {
    const tail = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-3).join('\n    ');
    throw new ProvisionError(
      `could not get the ${WHEEL_SPEC} wheel with pip (${pip.join(' ')}).\n` +
        (tail ? `    pip said: ${tail}\n` : '') +
        '  Provide it by hand: download tensorflow_cpu-2.21.0-cp*-manylinux*_x86_64.whl on any machine with PyPI access\n' +
        '  (`pip download --no-deps tensorflow-cpu==2.21.0`), then re-run the install with it:\n' +
        '    DECAYLAB_TF_WHEEL=/path/to/that.whl npm install   (npm ci in the repository)',
    );
  }
  return path.join(wheelDir, got);
}

function findPip() {
  for (const candidate of [['pip'], ['pip3'], ['python3', '-m', 'pip']]) {
    if (run(candidate[0], [...candidate.slice(1), '--version']).status === 0) return candidate;
  }
  throw new ProvisionError(
    'neither pip nor python3 -m pip was found, and DECAYLAB_TF_WHEEL is not set.\n' +
      '  Install pip, or set DECAYLAB_TF_WHEEL to a tensorflow-cpu 2.21.0 wheel file.',
  );
}

function wanted(entryName) {
  const prefix = 'tensorflow/';
  if (!entryName.startsWith(prefix)) return null;
  const rel = entryName.slice(prefix.length);
  if (LIBS.includes(rel)) return { kind: 'lib', rel };
  const inc = 'include/';
  if (rel.startsWith(inc) && !rel.endsWith('/')) {
    const h = rel.slice(inc.length);
    if (HEADER_PREFIXES.some((p) => h.startsWith(p))) return { kind: 'include', rel: h };
  }
  return null;
}

async function unpackWheel(wheel, dest) {
  const yauzl = require('yauzl');
  const tmp = `${dest}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`unpacking libtensorflow ${TF_VERSION} from ${path.basename(wheel)}`);
  const notAWheel = (e) => {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new ProvisionError(`${wheel} is not a readable wheel (zip): ${e.message}`);
  };
  const zip = await new Promise((resolve, reject) => yauzl.open(wheel, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z)))).catch(notAWheel);
  let libsFound = 0;
  await new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry) => {
      const w = wanted(entry.fileName);
      if (!w) return zip.readEntry();
      if (w.kind === 'lib') libsFound += 1;
      const out = path.join(tmp, w.kind, w.rel);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const sink = fs.createWriteStream(out);
        sink.on('error', reject);
        sink.on('finish', () => zip.readEntry());
        stream.on('error', reject);
        stream.pipe(sink);
      });
    });
    zip.readEntry();
  }).catch(notAWheel);
  zip.close();
  if (libsFound !== LIBS.length) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new ProvisionError(`${wheel} does not contain ${LIBS.join(' and ')} under tensorflow/; is it a tensorflow-cpu ${TF_VERSION} Linux wheel?`);
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
}

// Hard links keep a fresh `npm ci` from copying ~850 MB again; across file systems fall back to a copy.
function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

function copyTree(src, dst) {
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name);
    const d = path.join(dst, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(d, { recursive: true });
      copyTree(s, d);
    } else {
      linkOrCopy(s, d);
    }
  }
}

function layOutDeps(unpacked, pkgDir) {
  const libDir = path.join(pkgDir, 'deps', 'lib');
  const incDir = path.join(pkgDir, 'deps', 'include');
  fs.rmSync(path.join(pkgDir, 'deps'), { recursive: true, force: true });
  fs.mkdirSync(libDir, { recursive: true });
  fs.mkdirSync(incDir, { recursive: true });
  for (const lib of LIBS) linkOrCopy(path.join(unpacked, 'lib', lib), path.join(libDir, lib));
  for (const [name, target] of Object.entries(LINKS)) fs.symlinkSync(target, path.join(libDir, name));
  copyTree(path.join(unpacked, 'include'), incDir);
}

function buildAddon(pkgDir) {
  log('building the tfjs-node addon against libtensorflow with node-gyp (about 15 s)');
  // install.js finds deps/lib/libtensorflow.so.2.9.1, skips the download and runs `node-pre-gyp install
  // --fallback-to-build`. build_from_source keeps node-pre-gyp from trying its prebuilt-addon host first, and a
  // nodedir with Node's own headers keeps node-gyp from downloading them: nothing comes from outside the registries.
  const env = { ...process.env, npm_config_build_from_source: 'true' };
  const headers = path.resolve(process.execPath, '..', '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(headers, 'include', 'node', 'common.gypi'))) env.npm_config_nodedir = headers;
  const r = run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, env });
  if (r.status !== 0 || !fs.existsSync(addonPath(pkgDir))) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-15).join('\n    ');
    throw new ProvisionError(`building the tfjs-node addon failed (exit ${r.status}). It needs python3, make and g++ with Node's headers.\n    ${out}`);
  }
}

function addonPath(pkgDir) {
  const libDir = path.join(pkgDir, 'lib');
  const napi = fs.existsSync(libDir) ? fs.readdirSync(libDir).filter((d) => d.startsWith('napi-v')) : [];
  const found = napi.map((d) => path.join(libDir, d, 'tfjs_binding.node')).find((f) => fs.existsSync(f));
  return found || path.join(libDir, 'napi-v8', 'tfjs_binding.node');
}

// Loads tfjs-node in a child so a crash in the native library cannot take this process down with a bare signal.
function verify(pkgDir) {
  const probe = [
    "const tf = require('@tensorflow/tfjs-node');",
    'const v = tf.version;',
    "process.stdout.write(JSON.stringify({ backend: tf.getBackend(), tf: v['tfjs-node'], lib: tf.backend().binding.TF_Version }));",
  ].join('');
  const r = run(process.execPath, ['-e', probe], { cwd: path.dirname(path.dirname(path.dirname(pkgDir))), env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (r.status !== 0) return { ok: false, why: (r.stderr || '').trim().split('\n').slice(-5).join('\n    ') };
  const line = r.stdout.trim().split('\n').pop();
  const info = JSON.parse(line);
  return { ok: info.backend === 'tensorflow' && info.lib.startsWith(TF_VERSION.slice(0, 4)), info };
}

async function main() {
  if (process.env.DECAYLAB_SKIP_NATIVE === '1') {
    log('DECAYLAB_SKIP_NATIVE=1: leaving tfjs-node without its native library');
    return;
  }
  if (os.platform() !== 'linux' || os.arch() !== 'x64') {
    throw new ProvisionError(`only linux x64 is supported by this provisioning (this is ${os.platform()} ${os.arch()}).`);
  }
  const pkgDir = tfjsNodeDir();
  const stamp = path.join(pkgDir, 'deps', '.decaylab-provisioned');
  if (fs.existsSync(stamp) && fs.existsSync(addonPath(pkgDir))) {
    const v = verify(pkgDir);
    if (v.ok) {
      log(`ready: tfjs-node ${v.info.tf} on libtensorflow ${v.info.lib} (backend ${v.info.backend})`);
      return;
    }
  }
  const cache = cacheRoot();
  const unpacked = path.join(cache, 'unpacked');
  if (!LIBS.every((l) => fs.existsSync(path.join(unpacked, 'lib', l)))) {
    await unpackWheel(findWheel(cache), unpacked);
  }
  layOutDeps(unpacked, pkgDir);
  buildAddon(pkgDir);
  const v = verify(pkgDir);
  if (!v.ok) {
    throw new ProvisionError(`tfjs-node was built but does not load on libtensorflow ${TF_VERSION}:\n    ${v.why || JSON.stringify(v.info)}`);
  }
  fs.writeFileSync(stamp, `${TF_VERSION}\n`);
  log(`ready: tfjs-node ${v.info.tf} on libtensorflow ${v.info.lib} (backend ${v.info.backend})`);
}

module.exports = { findWheel, unpackWheel, ProvisionError, TF_VERSION };

if (require.main === module) {
  main().catch((e) => {
    if (e instanceof ProvisionError) {
      log(`error: ${e.message}`);
    } else {
      log(`unexpected failure: ${e && e.message ? e.message : e}`);
    }
    process.exit(1);
  });
}
