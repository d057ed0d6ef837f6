import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GraderFault } from '../core/errors';
import type { StudentStatus } from '../core/results';
import { syncFolder, writeFileAtomic } from './atomic-file';

// grade-batch's memory of what is already graded in an --out folder: one JSON line per graded student, appended
// (and synced) once that student's results file is on disk, holding the fingerprints the results are valid for: the
// submission's bytes, the assignment with the limits it was graded under, and the grader's version. A run over the
// same folder skips the students whose line still matches; a line cut short by `kill -9` or a power cut is ignored.

export const MANIFEST_FILE = '.decaylab-manifest.jsonl';

export type ManifestLine = {
  id: string;
  /** sha256 of the submission, the grading settings and the grader version together. */
  fingerprint: string;
  /** sha256 of the results file as written, so a file changed or cut since is graded again. */
  results: string;
  status: StudentStatus;
};

export class ResumeManifest {
  private readonly lines = new Map<string, ManifestLine>();
  private readonly file: string;
  /** The appends in flight, one after another, so that lines never interleave and each is synced in its turn. */
  private appended: Promise<void> = Promise.resolve();
  private folderSynced = false;

  constructor(private readonly out: string) {
    this.file = path.join(out, MANIFEST_FILE);
    if (!fs.existsSync(this.file)) return;
    for (const raw of fs.readFileSync(this.file, 'utf8').split('\n')) {
      const line = parseLine(raw);
      if (line) this.lines.set(line.id, line);
    }
  }

  /** The earlier line for this student if its results file is intact and was made from the same inputs. */
  current(id: string, fingerprint: string, resultsFile: string): ManifestLine | undefined {
    const line = this.lines.get(id);
    if (!line || line.fingerprint !== fingerprint || !fs.existsSync(resultsFile)) return undefined;
    return sha256(fs.readFileSync(resultsFile)) === line.results ? line : undefined;
  }

  /** Settles once the line is on disk; call it only once the results file it names is (writeFileAtomic settled). */
  record(line: ManifestLine): Promise<void> {
    this.lines.set(line.id, line);
    const done = this.appended.then(() => this.append(JSON.stringify(line) + '\n'));
    this.appended = done.catch(() => undefined);
    return done;
  }

  /** Rewrites the manifest with one line per student still in the class (appends leave old lines behind). */
  async compact(ids: string[]): Promise<void> {
    await this.appended;
    const kept = ids.flatMap((id) => (this.lines.has(id) ? [JSON.stringify(this.lines.get(id)) + '\n'] : []));
    await writeFileAtomic(this.file, kept.join(''));
  }

  private async append(text: string): Promise<void> {
    try {
      const handle = await fs.promises.open(this.file, 'a', 0o644);
      try {
        await handle.appendFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The first append may have created the manifest: its name must be on disk as well.
      if (!this.folderSynced) await syncFolder(this.out);
      this.folderSynced = true;
    } catch (e) {
      throw new GraderFault(`${this.file} could not be written (${(e as Error).message})`);
    }
  }
}

export function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** A submission's bytes: the file, or every file of a folder submission with its relative path, in name order. */
export function submissionHash(entry: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (p: string, rel: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name), path.posix.join(rel, name));
    } else {
      hash.update(`${rel}\0${stat.size}\0`);
      hash.update(fs.readFileSync(p));
    }
  };
  walk(entry, '.');
  return hash.digest('hex');
}

function parseLine(raw: string): ManifestLine | undefined {
  if (!raw.trim()) return undefined;
  try {
    const l = JSON.parse(raw) as ManifestLine;
    return typeof l.id === 'string' && typeof l.fingerprint === 'string' && typeof l.results === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}
