import type { IsolationChoice } from '../core/isolation';
import type { SandboxLimits } from './bwrap-command';
import { spawnWorker } from './spawn-backend';
import { forkWorker, type ForkedWorker } from './zygote-client';

// The two ways a student's sandboxed worker is started, behind one signature: forked from the sandbox's warm zygote
// (zygote-client.ts, fast, relies on node and glibc internals) or spawned fresh (spawn-backend.ts, slower, relies on
// nothing of the kind).

export type StartWorker = (harnessDir: string, limits: SandboxLimits) => Promise<ForkedWorker>;

/**
 * The backend of a choice. `onForkServerFailure` hears every time the fork server cannot start (forkWorker has already
 * retried with a fresh zygote), so that the engine can decide: under 'auto' this backend then spawns every later
 * worker, the one that failed included; under 'fork-server' the worker fails, and the engine makes it the grader's
 * fault rather than the student's.
 */
export function workerBackend(choice: IsolationChoice, onForkServerFailure: (reason: string) => void): StartWorker {
  if (choice === 'spawn') return spawnWorker;
  let fellBack = false;
  return async (harnessDir, limits) => {
    if (fellBack) return spawnWorker(harnessDir, limits);
    try {
      return await forkWorker(harnessDir, limits);
    } catch (e) {
      onForkServerFailure((e as Error).message);
      if (choice === 'fork-server') throw e;
      fellBack = true;
      return spawnWorker(harnessDir, limits);
    }
  };
}
