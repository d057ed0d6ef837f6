import { Command } from 'commander';
import * as path from 'path';
import { CHAPTERS_ROOT } from './course-manifest';
import { runCli } from './run-cli';
import { buildSite } from './site/build-site';

// `npx nx run chapters:site -- --out <folder> [--from <executed folder>]`: the course website, from the notebooks
// `chapters:execute` ran.
runCli(
  new Command('site')
    .description('Builds the course website from the executed notebooks.')
    .requiredOption('--out <folder>', 'a new or empty folder for the site')
    .option('--from <folder>', 'where chapters:execute wrote the executed notebooks', path.join(CHAPTERS_ROOT, '.executed')),
  (o: { out: string; from: string }) => {
    const out = path.resolve(o.out);
    const pages = buildSite(out, path.resolve(o.from));
    return `site: ${pages.length} pages in ${out}; open ${path.join(out, 'index.html')}`;
  },
);
