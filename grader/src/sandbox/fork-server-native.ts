import * as path from 'path';

// The grader's own addon (grader/native/fork-server.c), built by `npm ci` and copied beside the harness.

export type ForkServerNative = {
  /** dlopen(file, RTLD_NOW | RTLD_GLOBAL); throws dlerror()'s message. */
  preload(file: string): void;
  /** Builds libtensorflow's op and kernel registries (after preload) so that forked workers inherit them built. */
  buildRegistries(): void;
  /** Locates node's worker task queue while its threads are idle; false until it has. */
  findTaskQueue(): boolean;
  /** fork(): the child's pid in the parent, 0 in the child (whose event loop is already re-made). */
  fork(): number;
  /** Ended children, flattened: [pid, exit code or -1, signal number or 0, ...]. */
  reap(): number[];
  exitNow(code: number): never;
  pid(): number;
  hideFromPeers(): void;
  /** Installs the worker's seccomp filter (see the addon for what it denies). */
  lockDown(): void;
};

export const NATIVE_FILE = 'fork_server.node';

export function builtNativeFile(): string {
  return path.join(__dirname, '..', '..', 'native', 'build', 'Release', NATIVE_FILE);
}

export function loadNative(dir: string): ForkServerNative {
  return require(path.join(dir, NATIVE_FILE)) as ForkServerNative;
}
