import * as crypto from 'crypto';
import * as path from 'path';
import { printable } from './printable';

// The name of each student's results file in the output folder. An id is a file name chosen by a student, so it can
// be too long once ".json" is added (255 bytes is the limit), hold characters a TA's tools mangle, or differ from
// another id only in case; such ids get a short, safe name with a hash of the id. The id itself is kept in the file.

const MAX_PLAIN_BYTES = 200;
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._ -]*$/;

export function resultFileNames(ids: string[]): string[] {
  const taken = new Set<string>();
  return ids.map((id) => {
    const plain = SAFE.test(id) && Buffer.byteLength(id) <= MAX_PLAIN_BYTES ? id : hashed(id);
    let name = plain;
    for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${plain}-${k}`;
    taken.add(name.toLowerCase());
    return `${name}.json`;
  });
}

function hashed(id: string): string {
  const readable = printable(path.basename(id))
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 40);
  const digest = crypto.createHash('sha256').update(id).digest('hex').slice(0, 12);
  return readable ? `${readable}-${digest}` : digest;
}
