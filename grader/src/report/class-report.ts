import type { Assignment } from '../core/assignment';
import { sectionHref, sectionTitle } from '../core/course-link';
import { misconceptionsOf, type GradedStudent, type StudentStatus } from '../core/results';

// What the class got wrong, from the class's typed results: score distribution, pass rate per test, the catalogued
// misconceptions with the students who have each, submissions that never ran, and timing outliers. report.json is this
// object; report.html draws it.

export type ClassReport = {
  assignment: { id: string; title: string; maxScore: number };
  students: number;
  scores: { mean: number; median: number; min: number; max: number; perStudent: { student: string; score: number; status: StudentStatus }[] };
  tests: { id: string; name: string; points: number; passed: number; failed: number; passRate: number }[];
  misconceptions: {
    id: string;
    says: string;
    section: { chapter: string; heading: string; title: string; href: string };
    /** Students whose failed tests matched it (each once, however many tests it failed). */
    students: string[];
    /** The tests it made fail, with how many students failed each that way. */
    tests: { id: string; students: number }[];
  }[];
  /** Submissions the hidden suite could not run at all (compile errors, broken notebooks, load failures). */
  notRun: { student: string; status: StudentStatus; reason: string }[];
  timing: { medianSeconds: number; thresholdSeconds: number; perStudent: { student: string; seconds: number; outlier: boolean }[] };
};

/** A student is a timing outlier above the larger of Tukey's fence (Q3 + 1.5 IQR) and twice the median. */
const OUTLIER_MEDIANS = 2;

export function buildClassReport(a: Assignment, graded: GradedStudent[]): ClassReport {
  const byId = [...graded].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const scores = byId.map((g) => g.results.score);
  const ran = byId.filter((g) => g.status === 'graded' || g.status === 'load-error');
  const seconds = ran.map((g) => g.results.execution_time);
  const threshold = Math.max(quantile(seconds, 0.75) + 1.5 * (quantile(seconds, 0.75) - quantile(seconds, 0.25)), OUTLIER_MEDIANS * quantile(seconds, 0.5));
  return {
    assignment: { id: a.id, title: a.title, maxScore: a.tests.reduce((s, t) => s + t.points, 0) },
    students: byId.length,
    scores: {
      mean: round(scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length)),
      median: quantile(scores, 0.5),
      min: scores.length ? Math.min(...scores) : 0,
      max: scores.length ? Math.max(...scores) : 0,
      perStudent: byId.map((g) => ({ student: g.id, score: g.results.score, status: g.status })),
    },
    tests: a.tests.map((t) => {
      const passed = byId.filter((g) => g.tests.find((x) => x.testId === t.id)?.passed).length;
      return { id: t.id, name: t.name, points: t.points, passed, failed: byId.length - passed, passRate: round(passed / Math.max(1, byId.length)) };
    }),
    misconceptions: a.misconceptions
      .map((m) => ({
        id: m.id,
        says: m.says,
        section: { ...m.section, title: sectionTitle(m.section), href: sectionHref(m.section) },
        students: byId.filter((g) => misconceptionsOf(g).includes(m.id)).map((g) => g.id),
        tests: a.tests
          .map((t) => ({ id: t.id, students: byId.filter((g) => g.tests.some((x) => x.testId === t.id && x.misconception === m.id)).length }))
          .filter((t) => t.students > 0),
      }))
      .filter((m) => m.students.length > 0)
      .sort((x, y) => y.students.length - x.students.length || (x.id < y.id ? -1 : 1)),
    notRun: byId
      .filter((g) => g.status === 'compile-error' || g.status === 'invalid' || g.status === 'load-error')
      .map((g) => ({ student: g.id, status: g.status, reason: g.results.output })),
    timing: {
      medianSeconds: quantile(seconds, 0.5),
      thresholdSeconds: round(threshold),
      perStudent: ran.map((g) => ({ student: g.id, seconds: g.results.execution_time, outlier: ran.length > 2 && g.results.execution_time > threshold })),
    },
  };
}

/** Linear interpolation between order statistics (the usual definition, as numpy's default). */
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return round(s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
