import * as fs from 'fs';
import * as path from 'path';
import { graderVersion } from '../core/version';

// `decaylab --version`: what grades, the way a user checks what they run. libtensorflow's version comes from the
// native library itself (TF_Version through tfjs-node's addon), not from what was meant to be installed.

export function versionText(): string {
  const tfjsNodeDir = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  const { version: tfjsNode } = JSON.parse(fs.readFileSync(path.join(tfjsNodeDir, 'package.json'), 'utf8')) as { version: string };
  return `decaylab grader ${graderVersion()}\n@tensorflow/tfjs-node ${tfjsNode}\nlibtensorflow ${libtensorflowVersion(tfjsNodeDir)}\nnode ${process.versions.node}\n`;
}

function libtensorflowVersion(tfjsNodeDir: string): string {
  const lib = path.join(tfjsNodeDir, 'lib');
  const binding = fs.existsSync(lib)
    ? fs
        .readdirSync(lib)
        .map((d) => path.join(lib, d, 'tfjs_binding.node'))
        .find((f) => fs.existsSync(f))
    : undefined;
  if (!binding) return 'not installed (run npm ci)';
  try {
    return String((require(binding) as { TF_Version: string }).TF_Version);
  } catch (e) {
    return `does not load (${(e as Error).message.split('\n')[0]})`;
  }
}
