import * as tf from '@tensorflow/tfjs-node';
import { decayTests } from './public-tests/decay';
import { doubleDescentTests } from './public-tests/double-descent';
import { normsTests } from './public-tests/norms';
import type { PublicTest } from './public-tests/harness';

const SUITES: Record<string, PublicTest[]> = { norms: normsTests, decay: decayTests, 'double-descent': doubleDescentTests };

/**
 * Runs an assignment's public tests on your functions and prints one line per test, e.g.
 * `check('norms', lpNorm, l1Norm, l2Norm, linfNorm, frobeniusNorm, spectralNorm)`. Functions are matched to the tests
 * by their names. These are a first check only; the grader runs more tests.
 */
export function check(assignment: string, ...implementations: ((...args: never[]) => unknown)[]): void {
  const suite = SUITES[assignment];
  if (!suite) throw new Error(`check: unknown assignment '${assignment}'; expected one of ${Object.keys(SUITES).join(', ')}`);
  const functions: Record<string, unknown> = {};
  for (const f of implementations) {
    if (typeof f !== 'function') throw new Error(`check: pass your functions themselves, got ${typeof f}`);
    functions[f.name] = f;
  }
  let passed = 0;
  for (const test of suite) {
    try {
      tf.tidy(() => test.run(functions));
      passed++;
      console.log(`  pass  ${test.name}`);
    } catch (e) {
      console.log(`  FAIL  ${test.name}\n          ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`${assignment}: ${passed} of ${suite.length} public tests pass`);
}
