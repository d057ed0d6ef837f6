import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { pathToFileURL, fileURLToPath } from 'url';
import { CHAPTERS, CHAPTERS_ROOT, REPO_ROOT, notebookPath } from '../course-manifest';
import { cellText, readNotebook } from '../notebook-file';
import { collapse, secretStrings, solutionBodies } from '../leak-scan';
import { buildSite } from './build-site';
import { headingSlug } from './heading-slug';

// The course website in a real browser (Debian's Chromium through puppeteer-core), opened from disk with every
// request that is not a local file refused: what a student sees offline. Built from the notebooks chapters:execute
// ran (the test target runs it first). Screenshots of each chapter go to .test-results/site-screenshots/ for review.

const CHROMIUM = process.env.DECAYLAB_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(REPO_ROOT, '.test-results', 'site-screenshots');

interface Loaded {
  file: string;
  ids: string[];
  links: string[];
  errors: string[];
  offsite: string[];
  /** Text outside code, scripts and rendered math: where a `$...$` would be math KaTeX missed. */
  prose: string;
  /** All the text of the page, as a reader sees it (highlighted code as plain text). */
  text: string;
  katex: number;
  figures: { src: string; width: number; height: number; natural: number }[];
  headings: { id: string; level: number }[];
  toc: string[];
  prev?: string;
  next?: string;
  katexFont: boolean;
}

async function load(browser: Browser, file: string): Promise<Loaded & { page: Page }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const offsite: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => r.url().startsWith('file:') && errors.push(`failed to load ${r.url()}`));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url().startsWith('file:') || r.url().startsWith('data:')) return void r.continue();
    offsite.push(r.url());
    void r.abort();
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const seen = await page.evaluate(() => {
    const outside = (n: Node) => !(n.parentElement && n.parentElement.closest('pre, code, script, style, .katex, .katex-display'));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let prose = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (outside(n)) prose += n.textContent;
    return {
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
      links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
      prose,
      text: document.body.textContent ?? '',
      katex: document.querySelectorAll('.katex').length,
      figures: [...document.querySelectorAll('figure img')].map((img) => {
        const r = img.getBoundingClientRect();
        return { src: (img as HTMLImageElement).src, width: r.width, height: r.height, natural: (img as HTMLImageElement).naturalWidth };
      }),
      headings: [...document.querySelectorAll('article h1, article h2, article h3, article h4')].map((h) => ({ id: h.id, level: Number(h.tagName[1]) })),
      toc: [...document.querySelectorAll('nav.toc a')].map((a) => (a as HTMLAnchorElement).hash.slice(1)),
      prev: (document.querySelector('a[rel=prev]') as HTMLAnchorElement | null)?.href,
      next: (document.querySelector('a[rel=next]') as HTMLAnchorElement | null)?.href,
      katexFont: document.fonts.check('16px KaTeX_Main'),
    };
  });
  return { page, file, errors, offsite, ...seen };
}

/** Every heading of a notebook's Markdown cells, as written after the `#`s. */
const notebookHeadings = (file: string) =>
  readNotebook(file)
    .cells.filter((c) => c.cell_type === 'markdown')
    .flatMap((c) => cellText(c).split('\n'))
    .flatMap((line) => /^#{1,6}\s+(.*)$/.exec(line)?.[1].trim() ?? []);

describe('the course website', () => {
  let out: string;
  let browser: Browser;
  const pages = new Map<string, Loaded>();
  const chapterFile = (i: number) => path.join(out, `${CHAPTERS[i].dir}.html`);

  beforeAll(async () => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-site-')), 'site');
    const files = buildSite(out, path.join(CHAPTERS_ROOT, '.executed'));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const f of files) {
      const { page, ...loaded } = await load(browser, f);
      pages.set(f, loaded);
      if (f !== path.join(out, 'index.html')) {
        await page.screenshot({ path: path.join(SCREENSHOTS, `${path.basename(f, '.html')}-top.png`) });
        await page.screenshot({ path: path.join(SCREENSHOTS, `${path.basename(f, '.html')}.png`), fullPage: true });
      }
      await page.close();
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (out) fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('has an index and one page per chapter, each loaded with no console error and no request off the disk', () => {
    expect([...pages.keys()].map((f) => path.basename(f))).toEqual(['index.html', ...CHAPTERS.map((c) => `${c.dir}.html`)]);
    for (const p of pages.values()) {
      expect({ page: path.basename(p.file), errors: p.errors, offsite: p.offsite }).toEqual({ page: path.basename(p.file), errors: [], offsite: [] });
    }
  });

  it('renders all math with the shipped KaTeX: no $...$ or $$...$$ left in the text', () => {
    for (const c of CHAPTERS.map((_, i) => pages.get(chapterFile(i))!)) {
      expect(c.katex).toBeGreaterThan(10);
      expect(c.katexFont).toBe(true);
      const raw = /\$\$[\s\S]+?\$\$|\$[^$\n]+\$/.exec(c.prose);
      if (raw) throw new Error(`${path.basename(c.file)}: raw TeX in the text: ${raw[0].slice(0, 80)}`);
    }
  });

  it('shows every figure with a non-empty size', () => {
    CHAPTERS.forEach((c, i) => {
      const p = pages.get(chapterFile(i))!;
      const displayed = readNotebook(path.join(CHAPTERS_ROOT, '.executed', c.dir, 'solved', 'executed.ipynb')).cells.flatMap((cell) =>
        (cell.outputs ?? []).filter((o) => o.data?.['image/svg+xml'] || o.data?.['image/png']),
      );
      expect(displayed.length).toBeGreaterThan(0);
      expect(p.figures).toHaveLength(displayed.length);
      for (const f of p.figures) {
        if (!(f.width > 50 && f.height > 50 && f.natural > 0))
          throw new Error(`${path.basename(p.file)}: figure ${f.src} is ${f.width} x ${f.height} (natural width ${f.natural})`);
      }
    });
  });

  it('resolves every internal link to an existing file and, with a #fragment, to an id on that page', () => {
    let checked = 0;
    for (const p of pages.values()) {
      for (const href of p.links) {
        const url = new URL(href);
        expect(url.protocol).toBe('file:');
        const target = fileURLToPath(url);
        if (!fs.existsSync(target)) throw new Error(`${path.basename(p.file)} links to ${path.relative(out, target)}, which does not exist`);
        if (url.hash) {
          const ids = pages.get(target)?.ids;
          if (!ids?.includes(decodeURIComponent(url.hash.slice(1))))
            throw new Error(`${path.basename(p.file)} links to ${path.relative(out, target)}${url.hash}: no such id`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('gives each chapter a table of contents, previous/next links and its student notebook to download', () => {
    CHAPTERS.forEach((c, i) => {
      const p = pages.get(chapterFile(i))!;
      expect(p.toc).toEqual(p.headings.filter((h) => h.level === 2 || h.level === 3).map((h) => h.id));
      expect(p.toc.length).toBeGreaterThan(3);
      expect(p.prev && fileURLToPath(p.prev)).toBe(i === 0 ? undefined : chapterFile(i - 1));
      expect(p.next && fileURLToPath(p.next)).toBe(i === CHAPTERS.length - 1 ? undefined : chapterFile(i + 1));
      const download = p.links.map((l) => fileURLToPath(l)).find((f) => f.endsWith('.ipynb'))!;
      const shipped = readNotebook(download);
      expect(shipped.cells.map(cellText)).toEqual(readNotebook(notebookPath(c)).cells.map(cellText));
      expect(shipped.cells.every((cell) => (cell.outputs ?? []).length === 0)).toBe(true);
    });
  });

  it('gives every notebook heading the documented slug as its id (the grader links feedback to them)', () => {
    CHAPTERS.forEach((c, i) => {
      const ids = pages.get(chapterFile(i))!.ids;
      for (const h of notebookHeadings(notebookPath(c))) expect(ids).toContain(headingSlug(h));
    });
  });

  it('shows the exercises as stubs and nothing of the reference solutions or the hidden tests', () => {
    const bodies = solutionBodies();
    const secret = secretStrings();
    // The scan sees a leak where there is one: the executed (solved) notebooks give themselves away.
    const solved = CHAPTERS.map((c) =>
      readNotebook(path.join(CHAPTERS_ROOT, '.executed', c.dir, 'solved', 'executed.ipynb'))
        .cells.map(cellText)
        .join('\n'),
    );
    for (const text of solved) expect(bodies.some((b) => collapse(text).includes(b))).toBe(true);
    for (const p of pages.values()) {
      const text = collapse(p.text);
      const leaked = bodies.find((b) => text.includes(b)) ?? secret.find((x) => text.includes(x));
      if (leaked) throw new Error(`${path.basename(p.file)} shows '${leaked.slice(0, 120)}' from solutions/ or grader/`);
    }
    CHAPTERS.forEach((_, i) => expect(pages.get(chapterFile(i))!.text).toContain('not implemented yet'));
  }, 60_000);

  it('finds sections with the search box and links each hit to its heading', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(chapterFile(0)).href, { waitUntil: 'load' });
      await page.type('#search-input', 'decoupled weight decay');
      const hits = await page.$$eval('#search-results a', (as) => as.map((a) => ({ href: (a as HTMLAnchorElement).href, text: a.textContent })));
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) {
        const url = new URL(h.href);
        expect(pages.get(fileURLToPath(url))?.ids).toContain(url.hash.slice(1));
      }
      expect(hits.some((h) => fileURLToPath(new URL(h.href)) === chapterFile(1))).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);
});
