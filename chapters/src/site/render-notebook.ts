import katex from '@vscode/markdown-it-katex';
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import MarkdownIt = require('markdown-it');
import { cellText, outputText, type Notebook, type Output } from '../notebook-file';
import { headingIds, type Heading } from './heading-slug';

// One notebook as the body of a web page: Markdown cells through markdown-it with KaTeX (math rendered at build time,
// so the page needs only KaTeX's stylesheet and fonts), code cells highlighted by highlight.js, outputs by MIME type.

hljs.registerLanguage('typescript', typescript);

const highlight = (code: string) => hljs.highlight(code, { language: 'typescript', ignoreIllegals: true }).value;

const markdown = new MarkdownIt({ html: true, highlight: (code, lang) => (/^(ts|typescript|js|javascript)?$/.test(lang) ? highlight(code) : '') })
  .use(katex, { throwOnError: true })
  .use(headingIds);

/** A figure a code cell displayed, written beside the page as its own file. */
export interface Figure {
  file: string;
  mime: 'image/svg+xml' | 'image/png';
  data: Buffer;
}

/** The text under one heading, for the search index. */
export interface Section {
  slug: string;
  heading: string;
  text: string;
}

export interface RenderedNotebook {
  title: string;
  html: string;
  headings: Heading[];
  /** Each heading's text as inline HTML (math rendered), by slug: for the table of contents. */
  headingHtml: Map<string, string>;
  sections: Section[];
  figures: Figure[];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// Kernels may colour their output; the page shows plain text.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
const stripAnsi = (s: string) => s.replace(ANSI, '');
const joined = (v: unknown) => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '');
const plainText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** `figurePrefix` names the figure files (`<prefix>-<n>.svg`), relative to the page. */
export function renderNotebook(nb: Notebook, source: string, figurePrefix: string): RenderedNotebook {
  const env: { headings: Heading[] } = { headings: [] };
  const figures: Figure[] = [];
  const sections: Section[] = [{ slug: '', heading: '', text: '' }];
  const parts = nb.cells.map((cell, index) => {
    if (cell.cell_type === 'markdown') {
      const before = env.headings.length;
      let html: string;
      try {
        html = markdown.render(cellText(cell), env);
      } catch (e) {
        throw new Error(`${source}: cell ${index}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
      }
      // Each new heading opens a section; the cell's text goes to the last open one.
      for (const h of env.headings.slice(before)) sections.push({ slug: h.slug, heading: h.markdown.replace(/\$/g, ''), text: '' });
      sections[sections.length - 1].text += ` ${plainText(html)}`;
      return `<section class="cell markdown">${html}</section>`;
    }
    if (cell.cell_type === 'code') {
      const code = cellText(cell);
      sections[sections.length - 1].text += ` ${code}`;
      const outputs = mergeStreams(cell.outputs ?? [])
        .map((o) => renderOutput(o, () => `${figurePrefix}-${figures.length + 1}`, figures))
        .join('');
      const tag = (cell.metadata.tags ?? []).includes('exercise') ? ' exercise' : '';
      return `<section class="cell code${tag}"><pre class="source"><code class="hljs language-typescript">${highlight(code)}</code></pre>${outputs}</section>`;
    }
    return '';
  });
  const h1 = env.headings.find((h) => h.level === 1);
  if (!h1) throw new Error(`${source}: no level-1 heading (the chapter's title) in any Markdown cell`);
  const title = plainText(markdown.renderInline(h1.markdown));
  const headingHtml = new Map(env.headings.map((h) => [h.slug, markdown.renderInline(h.markdown)]));
  return { title, html: parts.join('\n'), headings: env.headings, headingHtml, sections: sections.filter((s) => s.slug), figures };
}

/** Consecutive writes to the same stream shown as one block, as Jupyter shows them (tslab sends one per console.log). */
function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (o.output_type === 'stream' && last?.output_type === 'stream' && last.name === o.name)
      merged[merged.length - 1] = { ...last, text: outputText(last) + outputText(o) };
    else merged.push(o);
  }
  return merged;
}

function renderOutput(o: Output, nextName: () => string, figures: Figure[]): string {
  if (o.output_type === 'stream')
    return `<pre class="output stream-${o.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(stripAnsi(outputText(o)))}</pre>`;
  if (o.output_type === 'error') {
    const e = o as Output & { ename?: string; evalue?: string };
    return `<pre class="output error">${escapeHtml(stripAnsi(`${e.ename ?? 'Error'}: ${e.evalue ?? ''}`))}</pre>`;
  }
  const data = o.data ?? {};
  const svg = joined(data['image/svg+xml']);
  if (svg) return figure(nextName(), 'image/svg+xml', Buffer.from(svg, 'utf8'), figures);
  const png = joined(data['image/png']);
  if (png) return figure(nextName(), 'image/png', Buffer.from(png, 'base64'), figures);
  const html = joined(data['text/html']);
  if (html) return `<div class="output html">${html}</div>`;
  const md = joined(data['text/markdown']);
  if (md) return `<div class="output markdown">${markdown.render(md, { headings: [] })}</div>`;
  const text = joined(data['text/plain']);
  return text ? `<pre class="output">${escapeHtml(stripAnsi(text))}</pre>` : '';
}

function figure(name: string, mime: Figure['mime'], data: Buffer, figures: Figure[]): string {
  const file = `${name}.${mime === 'image/png' ? 'png' : 'svg'}`;
  figures.push({ file, mime, data });
  return `<figure class="output figure"><img src="${file}" alt="figure ${figures.length}"></figure>`;
}
