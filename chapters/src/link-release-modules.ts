import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './course-manifest';
import { importedWorkspacePackages } from './release';

/**
 * Gives a release folder the node_modules that `npm install` would give it, offline: the shipped course and workspace
 * packages (@decaylab/chapters, @decaylab/datasets, ...), and every other package linked from the repository's
 * node_modules (same versions as the release's package.json pins). Lets the tests run the release as students will.
 */
export function linkReleaseModules(release: string): void {
  const repoModules = path.join(REPO_ROOT, 'node_modules');
  const target = path.join(release, 'node_modules');
  fs.mkdirSync(path.join(target, '@decaylab'), { recursive: true });
  for (const entry of fs.readdirSync(repoModules)) {
    if (entry === '@decaylab' || entry === '.bin' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(repoModules, entry), path.join(target, entry));
  }
  fs.symlinkSync(path.join(release, 'course'), path.join(target, '@decaylab', 'chapters'));
  for (const p of importedWorkspacePackages()) fs.symlinkSync(path.join(release, path.basename(p.dir)), path.join(target, ...p.name.split('/')));
}
