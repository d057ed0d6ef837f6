import * as fs from 'fs';
import * as path from 'path';
import { tslabKernelSpec, writeKernelSpec } from '../course/kernel-spec';
import { REPO_ROOT } from './course-manifest';

/** Writes <dir>/kernels/tslab/kernel.json for the repo's own tslab, named 'tslab' like `tslab install` names it. */
export function writeRepoKernelSpec(dir: string): string {
  return writeKernelSpec(dir, 'tslab', tslabKernelSpec(path.join(REPO_ROOT, 'node_modules', '.bin', 'tslab'), 'TypeScript (tslab)'));
}

/** The project's Python (tools/setup/system-deps.sh makes .venv), or DECAYLAB_PYTHON. */
export function projectPython(): string {
  const py = process.env.DECAYLAB_PYTHON ?? path.join(REPO_ROOT, '.venv', 'bin', 'python');
  if (!fs.existsSync(py)) {
    throw new Error(`${py} is missing: run \`bash tools/setup/system-deps.sh\` (it creates .venv with Jupyter and nbclient)`);
  }
  return py;
}
