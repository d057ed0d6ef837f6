import type MarkdownIt = require('markdown-it');

/**
 * A heading's id on the course website: its Markdown text (as written in the notebook, after the `#`s) lower-cased,
 * every run of characters other than a-z and 0-9 turned into one `-`, leading and trailing `-` trimmed. The grader's
 * feedback links to `<chapter folder>.html#<slug>` by the same rule. A repeated slug on one page gets `-2`, `-3`, ...
 */
export function headingSlug(markdown: string): string {
  return markdown
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface Heading {
  level: number;
  slug: string;
  /** The heading's Markdown source, as the slug rule reads it. */
  markdown: string;
}

/**
 * markdown-it plugin: gives every heading its slug as id and records it in `env.headings` (a list shared by all the
 * cells of one page, so repeated slugs are numbered across the page).
 */
export function headingIds(md: InstanceType<typeof MarkdownIt>): void {
  md.core.ruler.push('decaylab_heading_ids', (state) => {
    const headings = ((state.env as { headings?: Heading[] }).headings ??= []);
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return;
      const markdown = state.tokens[i + 1].content.trim();
      const base = headingSlug(markdown) || 'section';
      const taken = headings.filter((h) => h.slug === base || h.slug.startsWith(`${base}-`)).map((h) => h.slug);
      let slug = base;
      for (let n = 2; taken.includes(slug); n++) slug = `${base}-${n}`;
      token.attrSet('id', slug);
      headings.push({ level: Number(token.tag.slice(1)), slug, markdown });
    });
  });
}
