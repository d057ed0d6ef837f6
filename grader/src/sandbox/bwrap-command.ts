import * as fs from 'fs';
import * as path from 'path';
import { Confinement, confinementInForce } from './confinement';

// The sandbox the zygote and its workers run in: bubblewrap with every namespace unshared (no network, own pid space),
// all capabilities dropped, a read-only view of the system and of node_modules (workspace packages hidden), the
// harness and the folder of the grader's channel socket bound read-only, nothing writable (/, /dev and an empty /tmp
// are read-only: workers of different students share the sandbox one after the other), and an address-space cap.
// Submissions are not in it: each worker receives its own over its channel. Where user namespaces cannot be created,
// the same zygote runs without bubblewrap under a uid of its own (./confinement.ts says what that keeps).

export type SandboxLimits = { memoryMb: number };

/**
 * Run as root, the grader gives each sandbox an unprivileged uid of its own (mapped to itself in a fresh user
 * namespace): a sandbox left as root could write the host's non-namespaced sysctls through /proc/sys, and a uid per
 * sandbox gives each its own RLIMIT_NPROC count against fork bombs.
 */
const SANDBOX_UID_BASE = 200_000;
const MAX_TASKS = 256;
let sandboxes = 0;

function nextSandboxUid(): number {
  sandboxes++;
  return SANDBOX_UID_BASE + (process.pid % 100_000) * 64 + (sandboxes % 64);
}

/** V8 and libtensorflow reserve about 2 GiB of address space before any tensor exists; the cap sits above that. */
const ADDRESS_SPACE_BASE_MB = 2560;
const SANDBOX_HARNESS_DIR = '/sandbox/harness';
const SANDBOX_CHANNEL_DIR = '/sandbox/channel';
export const CHANNEL_SOCKET = 'socket';

/** Where a program inside the sandbox finds the harness: its bind point, or its real path where nothing is bound. */
export function harnessPathInSandbox(harnessDir: string): string {
  return confinementInForce().confinement === Confinement.UnprivilegedUser ? harnessDir : SANDBOX_HARNESS_DIR;
}

export function nodeModulesDir(): string {
  return path.dirname(path.dirname(path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'))));
}

/** The zygote under node; `program` replaces it for the start-up check. */
export function sandboxCommand(harnessDir: string, channelDir: string, limits: SandboxLimits, program?: string[]): { file: string; args: string[] } {
  const c = confinementInForce();
  if (c.confinement === Confinement.UnprivilegedUser) return unprivilegedUserCommand(harnessDir, channelDir, limits, c.network === 'own namespace', program);
  const nodeModules = nodeModulesDir();
  const tfjs = path.join(nodeModules, '@tensorflow', 'tfjs-node');
  const asBytes = (ADDRESS_SPACE_BASE_MB + limits.memoryMb) * 1024 * 1024;
  const systemDirs = ['/usr', '/etc/ld.so.cache', '/etc/alternatives'].filter((p) => fs.existsSync(p));
  const args = [
    'prlimit',
    `--as=${asBytes}`,
    `--nproc=${MAX_TASKS}`,
    '--',
    'bwrap',
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    ...systemDirs.flatMap((p) => ['--ro-bind', p, p]),
    ...['lib', 'lib64', 'bin'].flatMap((l) => ['--symlink', `usr/${l}`, `/${l}`]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    nodeModules,
    nodeModules,
    '--tmpfs',
    path.join(nodeModules, '@decaylab'),
    '--ro-bind',
    harnessDir,
    SANDBOX_HARNESS_DIR,
    '--ro-bind',
    channelDir,
    SANDBOX_CHANNEL_DIR,
    '--remount-ro',
    '/',
    '--remount-ro',
    '/tmp',
    // /dev is its own tmpfs (half the RAM by default) and stays writable after the root is remounted.
    '--remount-ro',
    '/dev',
    '--chdir',
    '/tmp',
    '--clearenv',
    ...env({
      HOME: '/tmp',
      TF_CPP_MIN_LOG_LEVEL: '2',
      TF_ENABLE_ONEDNN_OPTS: '0',
      DECAYLAB_TFJS: tfjs,
      DECAYLAB_CHANNEL: `${SANDBOX_CHANNEL_DIR}/${CHANNEL_SOCKET}`,
    }),
    ...(program ?? zygoteProgram(SANDBOX_HARNESS_DIR, limits)),
  ];
  if (process.getuid?.() !== 0) {
    // A TA's own account is already unprivileged (no host sysctls), and RLIMIT_NPROC is counted per user namespace
    // (Linux 5.14+), so each sandbox keeps a task count of its own without a uid of its own.
    return { file: args[0], args: args.slice(1) };
  }
  const uid = String(nextSandboxUid());
  const dropPrivileges = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  if (!firstUntraversable(nodeModules)) return { file: 'setpriv', args: [...dropPrivileges.slice(1), ...args] };
  // A checkout under a folder other users cannot traverse (root's home, a mktemp -d folder): the sandbox's user could
  // not reach node_modules, so root binds it onto a reachable point in the run folder, in a mount namespace of the
  // sandbox's own that ends with it (nothing changes on the host, nothing is left behind).
  const reachable = path.join(path.dirname(harnessDir), 'node_modules');
  fs.mkdirSync(reachable, { recursive: true, mode: 0o755 });
  args[args.indexOf(nodeModules)] = reachable;
  const mountThenRun = 'mount --bind "$1" "$2" && shift 2 && exec "$@"';
  return { file: 'unshare', args: ['--mount', '--propagation', 'private', '--', 'sh', '-c', mountThenRun, 'decaylab-mount', nodeModules, reachable, ...dropPrivileges, ...args] };
}

/** The first folder above `p` that lets no other user through (the sandbox's user is neither owner nor group). */
export function firstUntraversable(p: string): string | undefined {
  for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

// --single-threaded: V8 then posts almost no work to its platform threads, which a forked worker does not inherit
// (grader/native/fork-server.c deals with the one kind it still posts).
function zygoteProgram(harnessDir: string, limits: SandboxLimits): string[] {
  return [process.execPath, '--single-threaded', `--max-old-space-size=${Math.max(64, Math.floor(limits.memoryMb / 2))}`, `${harnessDir}/zygote.js`];
}

/**
 * Without namespaces (root only): a network namespace if root may create one, the same prlimit caps (no file may be
 * written: RLIMIT_FSIZE 0), then a uid of its own with no capabilities and no_new_privs, a cleared environment, the
 * harness and channel at their real paths. The fork server's seccomp filter is installed in each worker as always.
 */
function unprivilegedUserCommand(harnessDir: string, channelDir: string, limits: SandboxLimits, ownNetwork: boolean, program?: string[]): { file: string; args: string[] } {
  if (process.getuid?.() !== 0) {
    throw new Error('user namespaces are not available and the grader is not root, so the sandbox cannot get a uid of its own; run as root or allow user namespaces');
  }
  const uid = String(nextSandboxUid());
  const asBytes = (ADDRESS_SPACE_BASE_MB + limits.memoryMb) * 1024 * 1024;
  const vars = {
    HOME: '/tmp',
    TF_CPP_MIN_LOG_LEVEL: '2',
    TF_ENABLE_ONEDNN_OPTS: '0',
    DECAYLAB_TFJS: path.join(nodeModulesDir(), '@tensorflow', 'tfjs-node'),
    DECAYLAB_CHANNEL: path.join(channelDir, CHANNEL_SOCKET),
  };
  const args = [
    ...(ownNetwork ? ['unshare', '--net', '--'] : []),
    'prlimit',
    `--as=${asBytes}`,
    `--nproc=${MAX_TASKS}`,
    '--fsize=0',
    '--',
    'setpriv',
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
    'env',
    '-i',
    '-C',
    '/tmp',
    ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
    ...(program ?? zygoteProgram(harnessDir, limits)),
  ];
  return { file: args[0], args: args.slice(1) };
}

function env(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['--setenv', k, v]);
}
