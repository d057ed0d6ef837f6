import * as fs from 'fs';
import MiniSearch from 'minisearch';
import * as path from 'path';
import { CHAPTERS, CHAPTERS_ROOT, notebookPath, type Chapter } from '../course-manifest';
import { cellText, isExercise, readNotebook, writeNotebook, type Notebook } from '../notebook-file';
import { studentNotebook } from '../release';
import { renderNotebook, type RenderedNotebook } from './render-notebook';
import { escapeHtml, page, type PageLink } from './site-page';

// The course website: one page per chapter, the committed notebook with the outputs of its executed solved form
// (`chapters:execute`), the exercise cells as the student form has them, so no reference solution reaches the site. Pages, figures,
// KaTeX's stylesheet and fonts, the search index and the student notebooks are all files under the output folder.

/** What the search index stores per section: enough to show and link a result. */
export const SEARCH_FIELDS = { fields: ['heading', 'text'], storeFields: ['heading', 'chapter', 'href'] };

const pageFile = (c: Chapter) => `${c.dir}.html`;
const downloadFile = (c: Chapter) => `notebooks/${c.dir}/${c.notebook}`;

/**
 * The page's cells: the committed notebook's cells, each code cell with the outputs of its run in the executed
 * notebook (matched by cell id), exercise cells as committed (stubs, no outputs). Cells that exist only in the
 * executed notebook, such as the instructor form's model answers, are left out.
 */
export function siteNotebook(executed: Notebook, student: Notebook, source: string): Notebook {
  const byId = new Map(executed.cells.map((cell, i) => [cell.id ?? `#${i}`, cell]));
  const cells = student.cells.map((cell, i) => {
    if (isExercise(cell)) return { ...cell, outputs: [] };
    const run = byId.get(cell.id ?? `#${i}`);
    if (!run || run.cell_type !== cell.cell_type || cellText(run) !== cellText(cell)) {
      throw new Error(`${source}: cell ${cell.id ?? i} differs from the committed notebook's; run \`npx nx run chapters:execute\` again`);
    }
    return cell.cell_type === 'code' ? { ...cell, outputs: run.outputs ?? [] } : cell;
  });
  return { ...student, cells };
}

/** A file of an installed package, found from its entry point (some packages do not export their package.json). */
function packageFile(pkg: string, file: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== pkg) {
    if (path.dirname(dir) === dir) throw new Error(`cannot find the folder of the package ${pkg}`);
    dir = path.dirname(dir);
  }
  return path.join(dir, file);
}

function writeAssets(out: string, index: string): void {
  const assets = path.join(out, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  // KaTeX's stylesheet and fonts from the same package that rendered the math.
  const katexDir = path.dirname(require.resolve('katex/dist/katex.min.css', { paths: [path.dirname(require.resolve('@vscode/markdown-it-katex'))] }));
  fs.mkdirSync(path.join(assets, 'katex'), { recursive: true });
  fs.copyFileSync(path.join(katexDir, 'katex.min.css'), path.join(assets, 'katex', 'katex.min.css'));
  fs.cpSync(path.join(katexDir, 'fonts'), path.join(assets, 'katex', 'fonts'), { recursive: true });
  fs.copyFileSync(packageFile('highlight.js', 'styles/github.min.css'), path.join(assets, 'highlight.css'));
  fs.copyFileSync(packageFile('minisearch', 'dist/umd/index.js'), path.join(assets, 'minisearch.js'));
  const own = path.join(CHAPTERS_ROOT, 'src', 'site', 'assets');
  for (const f of fs.readdirSync(own)) fs.copyFileSync(path.join(own, f), path.join(assets, f));
  // A script rather than JSON: browsers do not let a page opened from disk fetch() a file beside it.
  fs.writeFileSync(path.join(assets, 'search-index.js'), `window.DECAYLAB_SEARCH = ${JSON.stringify({ options: SEARCH_FIELDS, index })};\n`);
}

/** Builds the site into `out` (a new or empty folder) from the executed notebooks under `executedDir`; returns the pages. */
export function buildSite(out: string, executedDir: string): string[] {
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} exists and is not empty; choose a new folder`);
  const rendered = new Map<Chapter, RenderedNotebook>();
  for (const c of CHAPTERS) {
    const executedFile = path.join(executedDir, c.dir, 'solved', 'executed.ipynb');
    if (!fs.existsSync(executedFile)) throw new Error(`${executedFile} is missing: run \`npx nx run chapters:execute\` first`);
    const nb = siteNotebook(readNotebook(executedFile), readNotebook(notebookPath(c)), executedFile);
    rendered.set(c, renderNotebook(nb, executedFile, `figures/${c.dir}`));
  }
  fs.mkdirSync(path.join(out, 'figures'), { recursive: true });
  const links: PageLink[] = CHAPTERS.map((c) => ({ href: pageFile(c), title: rendered.get(c)!.title }));
  const search = new MiniSearch(SEARCH_FIELDS);
  let id = 0;
  CHAPTERS.forEach((c, i) => {
    const r = rendered.get(c)!;
    for (const f of r.figures) fs.writeFileSync(path.join(out, f.file), f.data);
    const download = path.join(out, downloadFile(c));
    fs.mkdirSync(path.dirname(download), { recursive: true });
    writeNotebook(download, studentNotebook(readNotebook(notebookPath(c)), c.exercises));
    fs.writeFileSync(
      path.join(out, pageFile(c)),
      page({
        title: r.title,
        body: `<article class="chapter">${r.html}</article>`,
        chapters: links,
        current: pageFile(c),
        toc: r.headings.filter((h) => h.level === 2 || h.level === 3),
        tocTitles: r.headingHtml,
        prev: links[i - 1],
        next: links[i + 1],
        download: { href: downloadFile(c), title: `Download the notebook (${c.notebook}, with the exercises to do)` },
      }),
    );
    search.addAll(r.sections.map((s) => ({ id: id++, heading: s.heading, text: s.text, chapter: r.title, href: `${pageFile(c)}#${s.slug}` })));
  });
  const list = CHAPTERS.map(
    (c) => `<li><a href="${pageFile(c)}">${escapeHtml(rendered.get(c)!.title)}</a> <a class="download" href="${downloadFile(c)}" download>(notebook)</a></li>`,
  ).join('');
  fs.writeFileSync(
    path.join(out, 'index.html'),
    page({
      title: 'DecayLab',
      body: `<article class="index"><h1>DecayLab: norms, L2 regularization versus weight decay, double descent</h1>
<p>A course in three TypeScript notebooks on TensorFlow.js. Each chapter below is shown with its code run and its figures;
download a chapter's notebook to do its exercises in JupyterLab.</p>
<ol class="chapter-list">${list}</ol></article>`,
      chapters: links,
      next: links[0],
    }),
  );
  writeAssets(out, JSON.stringify(search));
  return ['index.html', ...CHAPTERS.map(pageFile)].map((f) => path.join(out, f));
}
