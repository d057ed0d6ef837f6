// Hidden tests of the norms assignment; run like decay.hidden.ts (see grader/README.md).
import { defineHiddenSuite } from '../../hidden/define-suite';
import { normsChecks } from './checks';
import { norms } from './index';

defineHiddenSuite(norms, normsChecks);
