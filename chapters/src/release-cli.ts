import { Command } from 'commander';
import * as path from 'path';
import { buildRelease } from './release';

// `npx nx run chapters:release -- --out <folder>`: writes the student release into a new folder.
function main(argv: string[]): number {
  const program = new Command('release')
    .description('Writes what students receive into a new folder.')
    .requiredOption('--out <folder>', 'a new or empty folder for the release')
    .parse(argv, { from: 'user' });
  const out = path.resolve(program.opts<{ out: string }>().out);
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
