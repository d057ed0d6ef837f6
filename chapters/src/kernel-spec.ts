import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './course-manifest';

/** The kernel spec of the repo's own tslab (node_modules/.bin/tslab), named 'tslab' like `tslab install` names it. */
export function tslabKernelSpec(): object {
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'tslab');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run \`npm ci\` at the repository root first`);
  return {
    argv: [bin, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  };
}

/** Writes <dir>/kernels/tslab/kernel.json; pointing JUPYTER_PATH at <dir> makes Jupyter find the kernel. */
export function writeKernelSpec(dir: string): string {
  const specDir = path.join(dir, 'kernels', 'tslab');
  fs.mkdirSync(specDir, { recursive: true });
  fs.writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(tslabKernelSpec(), null, 1) + '\n');
  return specDir;
}

/** The project's Python (tools/setup/system-deps.sh makes .venv), or DECAYLAB_PYTHON. */
export function projectPython(): string {
  const py = process.env.DECAYLAB_PYTHON ?? path.join(REPO_ROOT, '.venv', 'bin', 'python');
  if (!fs.existsSync(py)) {
    throw new Error(`${py} is missing: run \`bash tools/setup/system-deps.sh\` (it creates .venv with Jupyter and nbclient)`);
  }
  return py;
}
