// Hidden tests of the decay assignment. Run by `decaylab grade`/`grade-batch` (sandboxed), or unisolated against one
// file with DECAYLAB_SUBMISSION=<file> npx jest -c grader/jest.hidden.config.js (see grader/README.md).
import { defineHiddenSuite } from '../../hidden/define-suite';
import { decayChecks } from './checks';
import { decay } from './index';

defineHiddenSuite(decay, decayChecks);
