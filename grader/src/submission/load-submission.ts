import * as fs from 'fs';
import * as path from 'path';
import { compileSubmission } from './compile-submission';
import { extractNotebook } from './extract-notebook';
import { readSubmissionText } from './read-submission-text';

// One entry of a class folder -> the student's id and either the module source to run or the reason it cannot run.

/** Why a submission cannot run: its code does not compile, or it is not a submission at all (wrong kind, not UTF-8, a broken notebook). */
export type NotRunnable = 'compile-error' | 'invalid';

export type Prepared = { id: string; entry: string; js: string } | { id: string; entry: string; error: string; status: NotRunnable };

const KINDS = ['.ts', '.js', '.ipynb'];

export function studentId(entry: string): string {
  return path.basename(entry).replace(/\.(ts|js|ipynb)$/, '');
}

/** `id` defaults to the entry's name without extension; a batch passes the one it assigned (see student-ids.ts). */
export function prepareSubmission(entry: string, id = studentId(entry)): Prepared {
  const found = findSourceFile(entry);
  if ('error' in found) return { id, entry, error: found.error, status: 'invalid' };
  const read = readSubmissionText(found.file, found.shownName);
  if ('error' in read) return { id, entry, error: read.error, status: 'invalid' };
  const name = path.basename(found.file);
  if (found.file.endsWith('.ipynb')) {
    const nb = extractNotebook(read.text, name);
    if ('error' in nb) return { id, entry, error: nb.error, status: 'invalid' };
    return withCompiled(id, entry, compileSubmission(nb.source, name, nb.lines));
  }
  return withCompiled(id, entry, compileSubmission(read.text, name));
}

function withCompiled(id: string, entry: string, c: ReturnType<typeof compileSubmission>): Prepared {
  return 'error' in c ? { id, entry, error: c.error, status: 'compile-error' } : { id, entry, js: c.js };
}

/**
 * The file to grade. Nothing is followed out of the class folder: an entry, or a file in an entry's folder, that is a
 * symbolic link or anything but a regular file or folder is refused with a message (a link could point at
 * /etc/passwd, which the grader would read and echo, or at another student's file).
 */
function findSourceFile(entry: string): { file: string; shownName: string } | { error: string } {
  const name = path.basename(entry);
  const stat = fs.lstatSync(entry);
  if (stat.isSymbolicLink()) return { error: `${name} is a symbolic link; submit the file or folder itself` };
  if (stat.isFile()) {
    if (KINDS.includes(path.extname(entry))) return { file: entry, shownName: name };
    return { error: `${name} is not a submission: expected a .ts, .js or .ipynb file, or a folder holding one` };
  }
  if (!stat.isDirectory()) return { error: `${name} is neither a file nor a folder` };
  const candidates = fs
    .readdirSync(entry, { withFileTypes: true })
    .filter((f) => KINDS.includes(path.extname(f.name)) && !f.name.startsWith('.') && !f.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const unsafe = candidates.find((f) => !f.isFile());
  if (unsafe)
    return { error: `${unsafe.name} in folder ${name} is ${unsafe.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; submit the file itself` };
  if (candidates.length === 1) return { file: path.join(entry, candidates[0].name), shownName: candidates[0].name };
  if (candidates.length === 0) return { error: `folder ${name} holds no .ts, .js or .ipynb file` };
  return { error: `folder ${name} holds several candidate files (${candidates.map((f) => f.name).join(', ')}); keep exactly one` };
}

/** The entries of a class folder, one per student, in a stable order (hidden files are skipped). */
export function listEntries(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => path.join(folder, f));
}
