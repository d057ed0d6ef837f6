import { Command } from 'commander';
import * as path from 'path';
import { buildRelease } from './release';
import { runCli } from './run-cli';

// `npx nx run chapters:release -- --out <folder>`: writes the student release into a new folder.
runCli(
  new Command('release')
    .description('Writes what students receive into a new folder.')
    .requiredOption('--out <folder>', 'a new or empty folder for the release'),
  (o: { out: string }) => {
    const out = path.resolve(o.out);
    return `release: ${buildRelease(out).length} files in ${out}`;
  },
);
