// Hidden tests of the double-descent assignment; run like decay.hidden.ts (see grader/README.md).
import { defineHiddenSuite } from '../../hidden/define-suite';
import { doubleDescentChecks } from './checks';
import { doubleDescent } from './index';

defineHiddenSuite(doubleDescent, doubleDescentChecks);
