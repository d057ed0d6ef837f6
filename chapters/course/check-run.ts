import * as tf from '@tensorflow/tfjs-node';
import { decayTests } from './public-tests/decay';
import { doubleDescentTests } from './public-tests/double-descent';
import { messageOf, NotImplemented, type PublicTest } from './public-tests/harness';
import { normsTests } from './public-tests/norms';

// The one runner behind both the notebook's `check(...)` and `npm run check`: the public tests of an assignment on a
// set of functions, summed up per graded function.

export const PUBLIC_TESTS: Record<string, PublicTest[]> = { norms: normsTests, decay: decayTests, 'double-descent': doubleDescentTests };

export enum FunctionStatus {
  Pass = 'pass',
  Fail = 'fail',
  NotImplemented = 'not implemented',
}

export interface FunctionReport {
  fn: string;
  status: FunctionStatus;
  tests: number;
  passed: number;
  /** The first failing test and what it found; undefined when every test passes or the function is a stub. */
  failure?: { test: string; message: string };
}

export interface CheckReport {
  assignment: string;
  functions: FunctionReport[];
}

export function publicTestsOf(assignment: string): PublicTest[] {
  const suite = PUBLIC_TESTS[assignment];
  if (!suite) throw new Error(`unknown assignment '${assignment}'; expected one of ${Object.keys(PUBLIC_TESTS).join(', ')}`);
  return suite;
}

export function runPublicTests(assignment: string, functions: Record<string, unknown>): CheckReport {
  const suite = publicTestsOf(assignment);
  const names = [...new Set(suite.map((t) => t.fn))];
  const reports = names.map((name) => {
    const tests = suite.filter((t) => t.fn === name);
    let passed = 0;
    let stub = false;
    let failure: FunctionReport['failure'];
    for (const test of tests) {
      try {
        tf.tidy(() => test.run(functions));
        passed++;
      } catch (e) {
        if (e instanceof NotImplemented && e.fn === name) stub = true;
        else if (!failure) failure = { test: test.name, message: messageOf(e) };
      }
    }
    const status = stub ? FunctionStatus.NotImplemented : passed === tests.length ? FunctionStatus.Pass : FunctionStatus.Fail;
    return { fn: name, status, tests: tests.length, passed, failure: status === FunctionStatus.Fail ? failure : undefined };
  });
  return { assignment, functions: reports };
}

export const allPass = (r: CheckReport) => r.functions.every((f) => f.status === FunctionStatus.Pass);

/** One line per graded function, then a summary line. */
export function formatReport(r: CheckReport): string[] {
  const width = Math.max(...r.functions.map((f) => f.fn.length));
  const lines = r.functions.map((f) => {
    const head = `  ${f.status === FunctionStatus.Pass ? 'pass' : f.status === FunctionStatus.Fail ? 'FAIL' : 'todo'}  ${f.fn.padEnd(width)}  `;
    if (f.status === FunctionStatus.Pass) return `${head}${f.tests}/${f.tests} public tests pass`;
    if (f.status === FunctionStatus.NotImplemented) return `${head}not implemented yet`;
    return `${head}${f.failure!.message}  (public test: ${f.failure!.test}; ${f.passed}/${f.tests} pass)`;
  });
  const ok = r.functions.filter((f) => f.status === FunctionStatus.Pass).length;
  const tests = r.functions.reduce((s, f) => s + f.tests, 0);
  return [...lines, `${r.assignment}: ${ok} of ${r.functions.length} functions pass their ${tests} public tests; grading runs further tests.`];
}
