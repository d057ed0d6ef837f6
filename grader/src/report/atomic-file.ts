import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GraderFault } from '../core/errors';

/**
 * Writes a file so that a reader, a run after `kill -9` or one after a power cut sees either the old content or the
 * new one, never a partial file: the data goes to a temporary file beside it, synced, then renamed over the target,
 * and the folder is synced so that the rename itself is on disk when the promise settles. Every step runs on libuv's
 * thread pool (fs.promises): a sync takes milliseconds to seconds, and the engine's event loop, which also answers
 * the lanes, must not wait for it.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.promises.open(temp, 'w', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, file);
    await syncFolder(path.dirname(file));
  } catch (e) {
    await fs.promises.rm(temp, { force: true });
    throw new GraderFault(`${file} could not be written (${(e as Error).message})`);
  }
}

/** Makes the folder's entries (a file created or renamed in it) durable. */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
