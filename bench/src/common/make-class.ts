import * as fs from 'fs';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/** Where the class is drawn from: the grader's example class and one file per known misconception. */
export const SOURCES = [path.join(REPO, 'grader', 'examples', 'submissions'), path.join(REPO, 'grader', 'fixtures', 'misconceptions')];

export interface Submission {
  id: string;
  /** File, notebook or folder, as the grader accepts them. */
  entry: string;
  source: string;
}

/**
 * Writes `n` submissions into `dir`, cycling through every source entry (so the mix of correct, partly wrong,
 * uncompilable and invalid work stays the same at any class size). Ids are `s0001-<source name>`.
 */
export function makeClass(n: number, dir: string): Submission[] {
  const entries = SOURCES.flatMap((folder) =>
    fs
      .readdirSync(folder)
      .sort()
      .map((name) => path.join(folder, name)),
  );
  if (entries.length === 0) throw new Error(`no submissions found in ${SOURCES.join(' or ')}`);
  fs.mkdirSync(dir, { recursive: true });
  return Array.from({ length: n }, (_, i) => {
    const source = entries[i % entries.length];
    const base = path.basename(source);
    const entry = path.join(dir, `s${String(i + 1).padStart(4, '0')}-${base}`);
    fs.cpSync(source, entry, { recursive: true });
    return { id: path.basename(entry).replace(/\.(ts|js|ipynb)$/, ''), entry, source: base };
  });
}
