import type { Heading } from './heading-slug';

// The page around a chapter's body (or the index's): header with the search box, the chapter list, the chapter's
// table of contents, previous/next links. Every address is relative, so the site works opened from disk.

export interface PageLink {
  href: string;
  title: string;
}

export interface PageParts {
  title: string;
  body: string;
  chapters: PageLink[];
  current?: string;
  toc?: Heading[];
  tocTitles?: Map<string, string>;
  prev?: PageLink;
  next?: PageLink;
  download?: PageLink;
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function page(p: PageParts): string {
  const nav = p.chapters.map((c) => `<li${c.href === p.current ? ' class="current"' : ''}><a href="${c.href}">${escapeHtml(c.title)}</a></li>`).join('');
  const toc = p.toc?.length
    ? `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${p.toc
        .map((h) => `<li class="toc-level-${h.level}"><a href="#${h.slug}">${p.tocTitles?.get(h.slug) ?? escapeHtml(h.markdown)}</a></li>`)
        .join('')}</ol></nav>`
    : '';
  const download = p.download ? `<p class="download"><a href="${p.download.href}" download>${escapeHtml(p.download.title)}</a></p>` : '';
  const pager = [
    p.prev ? `<a class="prev" rel="prev" href="${p.prev.href}">← ${escapeHtml(p.prev.title)}</a>` : '<span></span>',
    p.next ? `<a class="next" rel="next" href="${p.next.href}">${escapeHtml(p.next.title)} →</a>` : '<span></span>',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)} · DecayLab</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/highlight.css">
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
<header class="site-header">
<a class="home" href="index.html">DecayLab</a>
<div class="search" role="search">
<input id="search-input" type="search" placeholder="Search the course" aria-label="Search the course" autocomplete="off">
<ol id="search-results" hidden></ol>
</div>
</header>
<div class="layout">
<aside class="sidebar">
<nav class="chapters" aria-label="Chapters"><ol>${nav}</ol></nav>
${toc}
</aside>
<main>
${download}
${p.body}
<nav class="pager" aria-label="Previous and next chapter">${pager}</nav>
</main>
</div>
<script src="assets/minisearch.js"></script>
<script src="assets/search-index.js"></script>
<script src="assets/search.js"></script>
</body>
</html>
`;
}
