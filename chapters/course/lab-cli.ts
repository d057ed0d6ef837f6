#!/usr/bin/env node
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COURSE_KERNEL, tslabKernelSpec, writeKernelSpec } from './kernel-spec';

// `npm run lab [-- <jupyter lab options>]` in the student release: registers this folder's tslab as the Jupyter
// kernel `decaylab` (the kernel the release's notebooks name) and starts JupyterLab here.

const INSTALL_HINT =
  'Install JupyterLab 4 for your user: `python3 -m pip install --user "jupyterlab>=4,<5"` (or `pipx install jupyterlab`), ' +
  'or point DECAYLAB_JUPYTER at a jupyter executable; then run `npm run lab` again.';

/** The command that runs Jupyter (with JupyterLab in it): DECAYLAB_JUPYTER, else `jupyter` on PATH, else `python3 -m jupyter`. */
function findJupyter(): string[] | undefined {
  const candidates = process.env.DECAYLAB_JUPYTER ? [[process.env.DECAYLAB_JUPYTER]] : [['jupyter'], ['python3', '-m', 'jupyter']];
  return candidates.find((c) => spawnSync(c[0], [...c.slice(1), 'lab', '--version'], { encoding: 'utf8' }).status === 0);
}

function main(args: string[]): Promise<number> | number {
  const jupyter = findJupyter();
  if (!jupyter) {
    const where = process.env.DECAYLAB_JUPYTER
      ? `DECAYLAB_JUPYTER=${process.env.DECAYLAB_JUPYTER} does not run JupyterLab`
      : 'no JupyterLab found (tried `jupyter lab` and `python3 -m jupyter lab`)';
    console.error(`lab: ${where}. ${INSTALL_HINT}`);
    return 1;
  }
  const version = spawnSync(jupyter[0], [...jupyter.slice(1), 'lab', '--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith('4.')) console.error(`lab: JupyterLab ${version} found; the notebooks' instructions are written for JupyterLab 4.`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-kernel-'));
  try {
    const spec = writeKernelSpec(tmp, COURSE_KERNEL.name, tslabKernelSpec(path.resolve('node_modules', '.bin', 'tslab'), COURSE_KERNEL.display_name));
    const r = spawnSync(jupyter[0], [...jupyter.slice(1), 'kernelspec', 'install', '--user', '--name', COURSE_KERNEL.name, spec], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`lab: registering the kernel failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
      return 1;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.error(`lab: kernel '${COURSE_KERNEL.name}' registered (this folder's tslab); starting JupyterLab ${version} in ${process.cwd()}`);
  const lab = spawn(jupyter[0], [...jupyter.slice(1), 'lab', ...args], { stdio: 'inherit' });
  // Ctrl-C reaches JupyterLab through the terminal's process group; this process just waits for it to finish.
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => lab.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

Promise.resolve()
  .then(() => main(process.argv.slice(2)))
  .then((code) => (process.exitCode = code))
  .catch((e) => {
    console.error(`lab: ${(e as Error).message}`);
    process.exitCode = 1;
  });
