import { type Cell, type Notebook } from '../notebook-file';
import { siteNotebook } from './build-site';
import { headingSlug } from './heading-slug';
import { renderNotebook } from './render-notebook';

// What a chapter page is made of, on notebooks built here: the committed cells with the executed outputs.

const md = (id: string, source: string, tags: string[] = []): Cell => ({ id, cell_type: 'markdown', source, metadata: { tags } });
const code = (id: string, source: string, outputs: Cell['outputs'] = [], tags: string[] = []): Cell => ({
  id,
  cell_type: 'code',
  source,
  metadata: { tags },
  outputs,
  execution_count: null,
});
const nb = (...cells: Cell[]): Notebook => ({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
const out = (text: string) => [{ output_type: 'stream', name: 'stdout', text }];

describe('siteNotebook', () => {
  const committed = nb(
    md('a', '# Title'),
    code('b', 'function f() {\n  throw new Error("f: not implemented yet");\n}', [], ['exercise']),
    md('q', '1. Why?', ['free-response']),
    code('c', 'console.log(f())'),
  );
  const executed = nb(
    md('a', '# Title'),
    code('b', 'function f() {\n  return 42;\n}', [], ['exercise']),
    md('q', '1. Why?', ['free-response']),
    md('q-answers', '**Model answers** (instructor form)\n\n1. Because.', ['model-answer']),
    code('c', 'console.log(f())', out('42\n')),
  );

  it('keeps the committed cells with their outputs, the exercise as its stub, and nothing only the instructor form has', () => {
    const page = siteNotebook(executed, committed, 'x.ipynb');
    expect(page.cells.map((c) => c.id)).toEqual(['a', 'b', 'q', 'c']);
    expect(page.cells[1].source).toContain('not implemented yet');
    expect(page.cells[3].outputs).toEqual(out('42\n'));
  });

  it('refuses an executed notebook that is older than the committed one', () => {
    const stale = nb(md('a', '# Title'), code('b', 'function f() {}', [], ['exercise']), md('q', '1. Why?'), code('c', 'console.log(f() + 1)'));
    expect(() => siteNotebook(stale, committed, 'x.ipynb')).toThrow(
      "x.ipynb: cell c differs from the committed notebook's; run `npx nx run chapters:execute` again",
    );
  });
});

describe('headingSlug', () => {
  it('lower-cases the Markdown text and turns each run of other characters into one dash, trimmed', () => {
    expect(headingSlug('3. Adam: where the equivalence breaks')).toBe('3-adam-where-the-equivalence-breaks');
    expect(headingSlug('4. Why the squared $L_2$ norm is the usual penalty')).toBe('4-why-the-squared-l-2-norm-is-the-usual-penalty');
    expect(headingSlug('Exercise 2.2 — Adam with L2, and AdamW')).toBe('exercise-2-2-adam-with-l2-and-adamw');
    expect(headingSlug('  What happens as $\\lambda$ grows?  ')).toBe('what-happens-as-lambda-grows');
  });

  it('numbers a repeated slug on one page, across cells, and renders math in headings', () => {
    const r = renderNotebook(nb(md('a', '# Title $x$'), md('b', '## Summary\n\ntext'), md('c', '## Summary')), 'x.ipynb', 'figures/x');
    expect(r.headings.map((h) => h.slug)).toEqual(['title-x', 'summary', 'summary-2']);
    expect(r.html).toContain('<h2 id="summary-2">');
    expect(r.headingHtml.get('title-x')).toContain('class="katex"');
  });
});
