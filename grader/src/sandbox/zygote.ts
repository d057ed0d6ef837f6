// The program a sandbox runs: a fork server ("zygote"). It loads tfjs's JavaScript and libtensorflow once, then
// forks one worker per student on the grader's command; a worker starts in milliseconds instead of paying node's
// start and libtensorflow's load (about 0.3 s of CPU) again. No student code ever runs in this process: each worker
// drops its copy of the control channel and locks itself down (harness.ts) before it receives a submission.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadNative } from './fork-server-native';
import { runWorker } from './harness';
import { libtensorflowFiles, loadTfjsScript } from './load-tfjs';
import { lineWriter, readLines, type ZygoteCommand, type ZygoteMessage } from './wire';

const CONTROL_OUT_FD = 3;
const tfjsDir = process.env.DECAYLAB_TFJS!;
/** The folder of the grader's channel sockets; each worker is told the name of its own (zygote-client.ts). */
const channelDir = path.posix.dirname(process.env.DECAYLAB_CHANNEL!);

const native = loadNative(__dirname);
native.hideFromPeers();
const script = loadTfjsScript(tfjsDir);
for (const lib of libtensorflowFiles(tfjsDir)) native.preload(lib);
native.buildRegistries();
findTaskQueue();
const controlIn = fs.fstatSync(0).ino;
const controlOut = fs.fstatSync(CONTROL_OUT_FD).ino;
const report: (m: ZygoteMessage) => void = lineWriter(CONTROL_OUT_FD);
// Reversed so that the first name of a number wins (SIGABRT, not its alias SIGIOT).
const signalNames = new Map(
  Object.entries(os.constants.signals)
    .reverse()
    .map(([name, n]) => [n, name]),
);

process.on('SIGCHLD', reportExits);
report({ type: 'zygote-ready', pid: process.pid });
readCommands();

function readCommands(): void {
  readLines(process.stdin, (line) => {
    const command = JSON.parse(line) as ZygoteCommand;
    if ('kill' in command) kill(command.kill);
    // In the forked worker, the rest of the zygote's commands are none of its business.
    else if (forkWorker(command.fork, command.channel) === 'worker') return 'stop';
  });
  // The grader is gone: so is the reason to exist (the sandbox's pid namespace ends every worker with us).
  process.stdin.on('end', () => process.exit(0));
}

/** V8's platform threads may still be finishing start-up work; give them a moment to go idle (see the addon). */
function findTaskQueue(): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 100 && !native.findTaskQueue(); attempt++) Atomics.wait(pause, 0, 0, 10);
}

function forkWorker(token: string, channel: string): 'zygote' | 'worker' {
  const pid = native.fork();
  if (pid !== 0) {
    report({ type: 'forked', token, pid });
    return 'zygote';
  }
  process.removeAllListeners('SIGCHLD');
  process.stdin.removeAllListeners();
  process.stdin.destroy();
  // libuv never closes descriptors 0-2 itself.
  fs.closeSync(0);
  fs.closeSync(CONTROL_OUT_FD);
  runWorker({ native, script, token, channel: path.posix.join(channelDir, channel), closedInodes: [controlIn, controlOut] });
  return 'worker';
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already ended; its exit is reported by reportExits
  }
}

function reportExits(): void {
  const ended = native.reap();
  for (let i = 0; i < ended.length; i += 3) {
    const [pid, code, signal] = ended.slice(i, i + 3);
    report({ type: 'exited', pid, code: code >= 0 ? code : null, signal: signal ? (signalNames.get(signal) ?? `signal ${signal}`) : null });
  }
}
