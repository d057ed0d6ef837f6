import type { CallOutcome, Loaded } from '../sandbox/sandbox-worker';
import type { Wire } from '../sandbox/wire';

/** How a hidden test reaches a submission: sandboxed (the grader) or in-process (the unisolated bench baseline). */
export interface Probe {
  exports(): Promise<Loaded>;
  call(fn: string, args: Wire[]): Promise<CallOutcome>;
  /** Things the student should know that are not tied to one test (crashes, time-outs), without hidden inputs. */
  notes(): string[];
  /** True when the module never became callable (threw while loading, or its worker could not start). */
  loadFailed(): boolean;
  close(): Promise<void>;
}
