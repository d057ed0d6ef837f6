import * as fs from 'fs';
import * as path from 'path';

/** The kernel the release's notebooks name in their metadata; `npm run lab` registers it. */
export const COURSE_KERNEL = { name: 'decaylab', display_name: 'DecayLab (TypeScript)', language: 'typescript' };

/** A Jupyter kernel spec that runs the tslab at `tslabBin` (a project's node_modules/.bin/tslab). */
export function tslabKernelSpec(tslabBin: string, displayName: string): object {
  if (!fs.existsSync(tslabBin)) throw new Error(`${tslabBin} is missing: run \`npm install\` (\`npm ci\` in the repository) first`);
  return {
    argv: [tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: displayName,
    language: 'typescript',
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  };
}

/** Writes <dir>/kernels/<name>/kernel.json; pointing JUPYTER_PATH at <dir>, or `jupyter kernelspec install`, makes Jupyter find it. */
export function writeKernelSpec(dir: string, name: string, spec: object): string {
  const specDir = path.join(dir, 'kernels', name);
  fs.mkdirSync(specDir, { recursive: true });
  fs.writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(spec, null, 1) + '\n');
  return specDir;
}
