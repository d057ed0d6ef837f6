import type { CourseSection } from './misconception';

// Where a misconception's feedback sends the student: a heading of a chapter on the course website, one page per
// chapter named after the chapter's folder (`02-l2-vs-decay.html`), each heading's id derived by the rule below, which
// the website's builder applies to the same heading text.

/** Heading id: the heading's Markdown text lower-cased, every run of characters other than a-z and 0-9 turned into one `-`, leading and trailing `-` trimmed. */
export function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Where the course website is published (its root), for absolute links; without it links are relative to that root. */
export const COURSE_URL_ENV = 'DECAYLAB_COURSE_URL';

/** The section's address on the course website: under `siteUrl` (by default $DECAYLAB_COURSE_URL), else relative. */
export function sectionHref(section: CourseSection, siteUrl = process.env[COURSE_URL_ENV] ?? ''): string {
  const base = siteUrl && !siteUrl.endsWith('/') ? `${siteUrl}/` : siteUrl;
  return `${base}${section.chapter}.html#${headingSlug(section.heading)}`;
}

/** e.g. `chapter 2, "3. Adam: where the equivalence breaks"`; chapter folders are numbered `NN-name`. */
export function sectionTitle(section: CourseSection): string {
  const n = Number.parseInt(section.chapter, 10);
  return `${Number.isFinite(n) ? `chapter ${n}` : section.chapter}, "${section.heading}"`;
}
