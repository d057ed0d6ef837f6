import { formatReport, runPublicTests } from './check-run';

/**
 * Runs an assignment's public tests on your functions and prints one line per graded function, e.g.
 * `check('norms', lpNorm, l1Norm, l2Norm, linfNorm, frobeniusNorm, spectralNorm)`. Functions are matched to the tests
 * by their names. `npm run check` runs the same tests on your saved notebook. These are a first check only; the
 * grader runs more tests.
 */
export function check(assignment: string, ...implementations: ((...args: never[]) => unknown)[]): void {
  const functions: Record<string, unknown> = {};
  for (const f of implementations) {
    if (typeof f !== 'function') throw new Error(`check: pass your functions themselves, got ${typeof f}`);
    functions[f.name] = f;
  }
  let report;
  try {
    report = runPublicTests(assignment, functions);
  } catch (e) {
    throw new Error(`check: ${(e as Error).message}`, { cause: e });
  }
  for (const line of formatReport(report)) console.log(line);
}
