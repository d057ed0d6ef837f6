import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

// The grader's version as results depend on it: the package version plus a digest of the code that grades (the
// grader's sources, its hidden-suite config and the reference solutions), so that an edited check or reference
// invalidates results a resumed grade-batch would otherwise keep.

const GRADER_DIR = path.join(__dirname, '..', '..');
const SOURCES = [
  path.join(GRADER_DIR, 'src'),
  path.join(GRADER_DIR, 'native'),
  path.join(GRADER_DIR, 'jest.hidden.config.js'),
  path.join(GRADER_DIR, '..', 'solutions', 'src'),
];

let cached: string | undefined;

export function graderVersion(): string {
  if (cached) return cached;
  const { version } = JSON.parse(fs.readFileSync(path.join(GRADER_DIR, 'package.json'), 'utf8')) as { version: string };
  const hash = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== 'build' && !name.endsWith('.test.ts')) walk(path.join(p, name));
    } else {
      hash.update(`${path.relative(GRADER_DIR, p)}\0`);
      hash.update(fs.readFileSync(p));
    }
  };
  SOURCES.forEach(walk);
  cached = `${version}+${hash.digest('hex').slice(0, 12)}`;
  return cached;
}
