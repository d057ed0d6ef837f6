import type { Assignment } from '../core/assignment';
import { misconceptionsOf, type GradedStudent } from '../core/results';
import { csvText } from './csv-text';

/**
 * The class gradebook: one row per student, points per test in the assignment's test order, then the misconceptions
 * the student's failed tests matched (catalogue ids, space-separated, each once).
 */
export function gradebookCsv(a: Assignment, rows: GradedStudent[]): string {
  const header = ['student', 'score', 'max_score', 'status', ...a.tests.map((t) => t.id), 'misconceptions'];
  const body = rows.map((r) => [r.id, r.results.score, r.results.max_score, r.status, ...r.results.tests.map((t) => t.score), misconceptionsOf(r).join(' ')]);
  return csvText([header, ...body]);
}
