import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { writeFileAtomic } from '../report/atomic-file';
import { settingsFile, SETTINGS_FILE, type AutograderSettings } from './autograder-settings';

// The zip Gradescope's "zip file upload" autograder takes: setup.sh and run_autograder at its root, the settings they
// read, and the project's sources (root manifests and every workspace, since npm ci installs from the lockfile of all
// of them), without anything a build or install makes.

const SCRIPTS = ['setup.sh', 'run_autograder'];
const ROOT_FILES = ['package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.jest.json', 'jest.preset.js', 'nx.json', 'README.md'];
/** Made by installs, builds and runs; never shipped. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '__pycache__', '.ipynb_checkpoints']);
const SKIPPED_PATHS = new Set(['grader/native/build']);

export type BuiltZip = { file: string; entries: number; bytes: number };

export async function buildAutograderZip(repoRoot: string, settings: AutograderSettings, outFile: string): Promise<BuiltZip> {
  const zip = new AdmZip();
  let entries = 0;
  const add = (rel: string, data: Buffer, mode: number) => {
    // Unix permissions (adm-zip puts them in the upper half of the external attributes): the scripts run directly.
    zip.addFile(rel, data, '', mode & 0o777);
    entries++;
  };
  for (const s of SCRIPTS) add(s, fs.readFileSync(path.join(__dirname, s)), 0o755);
  add(SETTINGS_FILE, Buffer.from(settingsFile(settings)), 0o644);
  for (const f of ROOT_FILES) if (fs.existsSync(path.join(repoRoot, f))) add(f, fs.readFileSync(path.join(repoRoot, f)), 0o644);
  for (const ws of workspaces(repoRoot)) {
    for (const rel of filesUnder(repoRoot, ws)) add(rel, fs.readFileSync(path.join(repoRoot, rel)), fs.statSync(path.join(repoRoot, rel)).mode);
  }
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  await writeFileAtomic(path.resolve(outFile), zip.toBuffer());
  return { file: outFile, entries, bytes: fs.statSync(outFile).size };
}

function workspaces(repoRoot: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces?: string[] };
  return pkg.workspaces ?? [];
}

/** Regular files below `rel`, in a stable order, skipping hidden entries, build output and symlinks. */
function filesUnder(repoRoot: string, rel: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(repoRoot, rel)).sort()) {
    const child = path.posix.join(rel, name);
    if (name.startsWith('.') || name.endsWith('.tsbuildinfo') || SKIPPED_DIRS.has(name) || SKIPPED_PATHS.has(child)) continue;
    const st = fs.lstatSync(path.join(repoRoot, child));
    if (st.isDirectory()) out.push(...filesUnder(repoRoot, child));
    else if (st.isFile()) out.push(child);
  }
  return out;
}
