import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { StudentStatus } from '../core/results';
import { writeFileAtomic } from './atomic-file';

// grade-batch's memory of what is already graded in an --out folder: one JSON line per graded student, appended
// right after that student's results file is in place, holding the fingerprints the results are valid
// for: the submission's bytes, the assignment with the limits it was graded under, and the grader's version. A run
// over the same folder skips the students whose line still matches; a line cut short by `kill -9` is ignored.

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

  record(line: ManifestLine): void {
    this.lines.set(line.id, line);
    const fd = fs.openSync(this.file, 'a', 0o644);
    try {
      fs.writeSync(fd, JSON.stringify(line) + '\n');
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Rewrites the manifest with one line per student still in the class (appends leave old lines behind). */
  compact(ids: string[]): void {
    const kept = ids.flatMap((id) => (this.lines.has(id) ? [JSON.stringify(this.lines.get(id)) + '\n'] : []));
    writeFileAtomic(this.file, kept.join(''));
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
