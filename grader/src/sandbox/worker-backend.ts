import type { Isolation, IsolationChoice } from '../core/isolation';
import type { SandboxLimits } from './bwrap-command';
import { spawnWorker } from './spawn-backend';
import { forkWorker, type ForkedWorker } from './zygote-client';

// The two ways a student's sandboxed worker is started, behind one signature: forked from the sandbox's warm zygote
// (zygote-client.ts, fast, relies on node and glibc internals) or spawned fresh (spawn-backend.ts, slower, relies on
// nothing of the kind).

export type StartWorker = (harnessDir: string, limits: SandboxLimits) => Promise<ForkedWorker>;

const BACKENDS: Record<Isolation, StartWorker> = { 'fork-server': forkWorker, spawn: spawnWorker };

/** For 'auto', the fork server until it cannot start (forkWorker has already retried with a fresh zygote), then spawn. */
export function workerBackend(choice: IsolationChoice, onFallback: (reason: string) => void): StartWorker {
  if (choice !== 'auto') return BACKENDS[choice];
  let forkServerFailed = false;
  return async (harnessDir, limits) => {
    if (!forkServerFailed) {
      try {
        return await forkWorker(harnessDir, limits);
      } catch (e) {
        forkServerFailed = true;
        onFallback((e as Error).message);
      }
    }
    return spawnWorker(harnessDir, limits);
  };
}
