import * as fs from 'fs';
import * as path from 'path';
import { headingSlug } from '../core/course-link';
import { assignments } from './registry';

// The catalogue's links must land on a real heading: a heading renamed in a notebook fails here, not in a student's
// feedback.

const CHAPTERS = path.resolve(__dirname, '../../../chapters');

function headingsOf(chapter: string): string[] {
  const dir = path.join(CHAPTERS, chapter);
  const [notebook] = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'));
  const nb = JSON.parse(fs.readFileSync(path.join(dir, notebook), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === 'markdown')
    .flatMap((c) => [c.source].flat().join('').split('\n'))
    .flatMap((line) => /^#{1,6}\s+(.*)$/.exec(line)?.[1].trim() ?? []);
}

describe.each(assignments.map((a) => [a.id, a] as const))('misconception catalogue of %s', (_id, a) => {
  test('has entries, each id unique and named after a graded function', () => {
    expect(a.misconceptions.length).toBeGreaterThan(0);
    expect(new Set(a.misconceptions.map((m) => m.id)).size).toBe(a.misconceptions.length);
    for (const m of a.misconceptions) expect(a.exports).toContain(m.id.split('.')[0]);
  });

  test('points every misconception at a heading of its chapter, with a unique slug there', () => {
    for (const m of a.misconceptions) {
      const headings = headingsOf(m.section.chapter);
      expect(headings).toContain(m.section.heading);
      expect(headings.filter((h) => headingSlug(h) === headingSlug(m.section.heading))).toHaveLength(1);
    }
  });
});

test('heading slugs: lower case, runs of other characters to one dash, trimmed', () => {
  expect(headingSlug('3. Adam: where the equivalence breaks')).toBe('3-adam-where-the-equivalence-breaks');
  expect(headingSlug('4. Why the squared $L_2$ norm is the usual penalty')).toBe('4-why-the-squared-l-2-norm-is-the-usual-penalty');
  expect(headingSlug('Exercise 2.2 — Adam with L2, and AdamW')).toBe('exercise-2-2-adam-with-l2-and-adamw');
});
