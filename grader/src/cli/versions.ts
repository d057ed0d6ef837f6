import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { decaylabCacheDir } from '../../bin/transpile-cache';
import { graderVersion } from '../core/version';
import { writeFileAtomic } from '../report/atomic-file';

// `decaylab --version`: what grades, the way a user checks what they run. libtensorflow's version comes from the
// native library itself (TF_Version through tfjs-node's addon), not from what was meant to be installed. Loading the
// library takes most of a second, so what it said is remembered per user for the same addon and library files (path,
// inode, size and modification time of each): any change to them, a reinstall included, asks the library again.
// A library that does not load is asked again every time.

export async function versionText(): Promise<string> {
  const tfjsNodeDir = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  const { version: tfjsNode } = JSON.parse(fs.readFileSync(path.join(tfjsNodeDir, 'package.json'), 'utf8')) as { version: string };
  return `decaylab grader ${graderVersion()}\n@tensorflow/tfjs-node ${tfjsNode}\nlibtensorflow ${await libtensorflowVersion(tfjsNodeDir)}\nnode ${process.versions.node}\n`;
}

async function libtensorflowVersion(tfjsNodeDir: string): Promise<string> {
  const lib = path.join(tfjsNodeDir, 'lib');
  const binding = fs.existsSync(lib)
    ? fs
        .readdirSync(lib)
        .map((d) => path.join(lib, d, 'tfjs_binding.node'))
        .find((f) => fs.existsSync(f))
    : undefined;
  if (!binding) return 'not installed (run npm ci)';
  const remembered = path.join(decaylabCacheDir(), 'libtensorflow-version', filesFingerprint([binding, ...filesIn(path.join(tfjsNodeDir, 'deps', 'lib'))]));
  try {
    return fs.readFileSync(remembered, 'utf8');
  } catch {
    // not asked yet for these files
  }
  let version: string;
  try {
    version = String((require(binding) as { TF_Version: string }).TF_Version);
  } catch (e) {
    return `does not load (${(e as Error).message.split('\n')[0]})`;
  }
  try {
    fs.mkdirSync(path.dirname(remembered), { recursive: true, mode: 0o700 });
    await writeFileAtomic(remembered, version);
  } catch {
    // an unwritable cache only means asking the library again next time
  }
  return version;
}

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

function filesFingerprint(files: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const f of [...files].sort()) {
    const st = fs.statSync(f);
    hash.update(`${f}\0${st.ino}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex');
}
