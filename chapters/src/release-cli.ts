import * as path from 'path';
import { buildRelease } from './release';

// `npx nx run chapters:release -- --out <folder>`: writes the student release into a new folder.
function main(argv: string[]): number {
  if (argv.length !== 2 || argv[0] !== '--out') {
    console.error('usage: release --out <new folder>');
    return 2;
  }
  const out = path.resolve(argv[1]);
  const files = buildRelease(out);
  console.log(`release: ${files.length} files in ${out}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`release: ${(e as Error).message}`);
  process.exitCode = 1;
}
