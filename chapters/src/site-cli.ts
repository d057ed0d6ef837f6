import { Command } from 'commander';
import * as path from 'path';
import { CHAPTERS_ROOT } from './course-manifest';
import { buildSite } from './site/build-site';

// `npx nx run chapters:site -- --out <folder> [--from <executed folder>]`: the course website, from the notebooks
// `chapters:execute` ran.
function main(argv: string[]): number {
  const program = new Command('site')
    .description('Builds the course website from the executed notebooks.')
    .requiredOption('--out <folder>', 'a new or empty folder for the site')
    .option('--from <folder>', 'where chapters:execute wrote the executed notebooks', path.join(CHAPTERS_ROOT, '.executed'))
    .parse(argv, { from: 'user' });
  const o = program.opts<{ out: string; from: string }>();
  const pages = buildSite(path.resolve(o.out), path.resolve(o.from));
  console.log(`site: ${pages.length} pages in ${path.resolve(o.out)}; open ${path.join(path.resolve(o.out), 'index.html')}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`site: ${(e as Error).message}`);
  process.exitCode = 1;
}
