import * as fs from 'fs';
import * as path from 'path';
import { Confinement, confinementInForce } from './confinement';
import { toolPath } from './tool-path';

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

/**
 * The tools are found on the grader's PATH here and named by absolute path, because the chain setpriv → prlimit →
 * bwrap runs with an empty environment: bwrap's own init process (pid 1 in the sandbox, readable at /proc/1/environ)
 * keeps the environment bwrap was started with, and --clearenv only clears the program's.
 */
function findTool(name: string): string {
  return toolPath(name) ?? name;
}

export type SandboxCommand = { file: string; args: string[]; env: Record<string, string> };

/**
 * node's flags for any worker in a sandbox: V8's old space capped at half the memory limit; WebAssembly memories that
 * fit under the address-space cap: --disable-wasm-trap-handler (else every WebAssembly.Memory reserves about 10 GiB
 * for guard regions) and at most the memory limit's worth of pages per memory (else V8 reserves room to grow to
 * 4 GiB, and when that fails it retries after garbage collections a forked worker cannot finish); and a larger
 * interrupt budget, so that TurboFan waits longer before it optimises a function.
 *
 * The budget: a worker lives for one student, and --single-threaded makes every optimisation synchronous on its main
 * thread, so with V8's default about a fifth of a correct student's worker CPU (some 70 ms of 500) went to optimising
 * tfjs and harness functions that had only warmed up over the student's ~130 calls. At eight times the default those
 * stay in the interpreter and baseline code; a function that really runs hot (a student's long loop) still reaches
 * TurboFan within a few milliseconds of work, far inside the call time limit.
 */
export function sandboxNodeFlags(limits: SandboxLimits): string[] {
  const wasmPages = Math.max(1, Math.floor((limits.memoryMb * 1024 * 1024) / WASM_PAGE_BYTES));
  return [
    `--max-old-space-size=${Math.max(64, Math.floor(limits.memoryMb / 2))}`,
    '--disable-wasm-trap-handler',
    `--wasm-max-mem-pages=${wasmPages}`,
    `--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET * 8}`,
  ];
}

const WASM_PAGE_BYTES = 64 * 1024;
/** V8's --interrupt-budget in node 20 (`node --v8-options`), in bytes of bytecode executed between profiler ticks. */
const V8_DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

/** The zygote under node; `program` replaces it (the spawn backend's worker, the start-up check). */
export function sandboxCommand(harnessDir: string, channelDir: string, limits: SandboxLimits, program?: string[]): SandboxCommand {
  const c = confinementInForce();
  if (c.confinement === Confinement.UnprivilegedUser) return unprivilegedUserCommand(harnessDir, channelDir, limits, c.network === 'own namespace', program);
  const nodeModules = nodeModulesDir();
  const tfjs = path.join(nodeModules, '@tensorflow', 'tfjs-node');
  const asBytes = (ADDRESS_SPACE_BASE_MB + limits.memoryMb) * 1024 * 1024;
  const systemDirs = ['/usr', '/etc/ld.so.cache', '/etc/alternatives'].filter((p) => fs.existsSync(p));
  const args = [
    findTool('prlimit'),
    `--as=${asBytes}`,
    `--nproc=${MAX_TASKS}`,
    '--',
    findTool('bwrap'),
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
  const noEnvironment = {};
  if (process.getuid?.() !== 0) {
    // A TA's own account is already unprivileged (no host sysctls), and RLIMIT_NPROC is counted per user namespace
    // (Linux 5.14+), so each sandbox keeps a task count of its own without a uid of its own.
    return { file: args[0], args: args.slice(1), env: noEnvironment };
  }
  const uid = String(nextSandboxUid());
  const dropPrivileges = [findTool('setpriv'), `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
  if (!firstUntraversable(nodeModules)) return { file: dropPrivileges[0], args: [...dropPrivileges.slice(1), ...args], env: noEnvironment };
  // A checkout under a folder other users cannot traverse (root's home, a mktemp -d folder): the sandbox's user could
  // not reach node_modules, so root binds it onto a reachable point in the run folder, in a mount namespace of the
  // sandbox's own that ends with it (nothing changes on the host, nothing is left behind).
  const reachable = path.join(path.dirname(harnessDir), 'node_modules');
  fs.mkdirSync(reachable, { recursive: true, mode: 0o755 });
  args[args.indexOf(nodeModules)] = reachable;
  const mountThenRun = '"$1" --bind "$2" "$3" && shift 3 && exec "$@"';
  const mount = [findTool('mount'), nodeModules, reachable];
  const shell = [findTool('sh'), '-c', mountThenRun, 'decaylab-mount'];
  return { file: findTool('unshare'), args: ['--mount', '--propagation', 'private', '--', ...shell, ...mount, ...dropPrivileges, ...args], env: noEnvironment };
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
  return [process.execPath, '--single-threaded', ...sandboxNodeFlags(limits), `${harnessDir}/zygote.js`];
}

/**
 * Without namespaces (root only): a network namespace if root may create one, the same prlimit caps (no file may be
 * written: RLIMIT_FSIZE 0), then a uid of its own with no capabilities and no_new_privs, a cleared environment, the
 * harness and channel at their real paths. The fork server's seccomp filter is installed in each worker as always.
 */
function unprivilegedUserCommand(harnessDir: string, channelDir: string, limits: SandboxLimits, ownNetwork: boolean, program?: string[]): SandboxCommand {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'user namespaces are not available and the grader is not root, so the sandbox cannot get a uid of its own; run as root or allow user namespaces',
    );
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
    ...(ownNetwork ? [findTool('unshare'), '--net', '--'] : []),
    findTool('prlimit'),
    `--as=${asBytes}`,
    `--nproc=${MAX_TASKS}`,
    '--fsize=0',
    '--',
    findTool('setpriv'),
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
    findTool('env'),
    '-i',
    '-C',
    '/tmp',
    ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
    ...(program ?? zygoteProgram(harnessDir, limits)),
  ];
  return { file: args[0], args: args.slice(1), env: {} };
}

function env(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['--setenv', k, v]);
}
