import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectPython, writeRepoKernelSpec } from './kernel-spec';

// `npx nx run chapters:install-kernel`: registers the repo's tslab as the 'tslab' kernel of the current user, so
// that `jupyter lab` opens the chapters with it. (The execute target does not need this: it uses its own JUPYTER_PATH.)
function main(): number {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-kernel-'));
  try {
    const spec = writeRepoKernelSpec(tmp);
    const res = spawnSync(projectPython(), ['-m', 'jupyter', 'kernelspec', 'install', '--user', '--name', 'tslab', spec], { encoding: 'utf8' });
    if (res.status !== 0) {
      console.error(`install-kernel: jupyter kernelspec install failed:\n${(res.stderr || res.error?.message || '').trim()}`);
      return 1;
    }
    console.log((res.stderr || res.stdout).trim());
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`install-kernel: ${(e as Error).message}`);
  process.exitCode = 1;
}
