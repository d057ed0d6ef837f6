import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The engine's scratch folder (harness, compiled submissions, uploads, channel sockets). Its name carries the
// engine's pid: a run ended by kill -9 cannot remove its own folder, so the next engine removes the folders whose
// process is gone.

const PREFIX = 'decaylab-run-';

export function createRunFolder(): string {
  removeStaleRunFolders();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  // Traversable but not listable by the sandboxes' users, which open only the files they are given by name.
  fs.chmodSync(dir, 0o711);
  return dir;
}

function removeStaleRunFolders(): void {
  const uid = process.getuid?.();
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      if (fs.statSync(dir).uid === uid) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed by another engine at the same moment
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
