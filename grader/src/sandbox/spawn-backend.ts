import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CHANNEL_SOCKET, harnessPathInSandbox, sandboxCommand, sandboxNodeFlags, type SandboxLimits } from './bwrap-command';
import { residentMb } from './resident-memory';
import { findHostPid, type ForkedWorker, type WorkerExit } from './zygote-client';

// The spawn backend: a bubblewrap sandbox with a fresh node per student (spawned-worker.ts), paired with its channel
// by a one-time token like a forked worker. Its channel folder is its own, so no other sandbox can even connect.

const START_ALLOWANCE_MS = 60_000;
const MAX_HELLO_BYTES = 1024;
/** bwrap's own pid namespace starts with its init process (pid 1); the program it runs is pid 2. */
const WORKER_NS_PID = 2;
const signalNames = new Map(
  Object.entries(os.constants.signals)
    .reverse()
    .map(([name, n]) => [n, name]),
);

export function spawnWorker(harnessDir: string, limits: SandboxLimits): Promise<ForkedWorker> {
  const dir = fs.mkdtempSync(path.join(path.dirname(harnessDir), 'channel-'));
  fs.chmodSync(dir, 0o755);
  const token = crypto.randomBytes(24).toString('hex');
  return new Promise((resolve, reject) => {
    let settled = false;
    const server = net.createServer((socket) => greet(socket));
    server.on('error', (e) => fail(new Error(`the channel socket failed (${e.message})`)));
    let proc: ReturnType<typeof spawn> | undefined;
    const exited = new Promise<WorkerExit | undefined>((done) => {
      server.listen(path.join(dir, CHANNEL_SOCKET), () => {
        fs.chmodSync(path.join(dir, CHANNEL_SOCKET), 0o777);
        const cmd = sandboxCommand(harnessDir, dir, limits, [
          process.execPath,
          ...sandboxNodeFlags(limits),
          `${harnessPathInSandbox(harnessDir)}/spawned-worker.js`,
          token,
        ]);
        proc = spawn(cmd.file, cmd.args, { env: cmd.env, stdio: 'ignore', detached: true });
        proc.on('error', (e) => fail(new Error(`the sandbox could not start (${e.message})`)));
        proc.on('exit', (code, signal) => {
          server.close();
          fs.rmSync(dir, { recursive: true, force: true });
          fail(new Error(`the sandbox ended before its worker connected (${signal ?? `exit ${code}`})`));
          done(exitOf(code, signal));
        });
      });
    });
    const timer = setTimeout(() => fail(new Error(`the sandbox's worker did not connect within ${START_ALLOWANCE_MS / 1000} s`)), START_ALLOWANCE_MS);
    const kill = () => {
      try {
        if (proc?.pid) process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    function fail(e: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kill();
      reject(e);
    }
    /** Only the sandbox's own worker connects, hello first; once it has, the socket stops listening (no later connection holds a descriptor). */
    function greet(socket: net.Socket): void {
      if (settled) return void socket.destroy();
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      const onData = (chunk: string) => {
        buffered += chunk;
        const nl = buffered.indexOf('\n');
        if (nl < 0) return void (buffered.length > MAX_HELLO_BYTES && socket.destroy());
        socket.off('data', onData);
        let hello: { token?: unknown } | undefined;
        try {
          hello = JSON.parse(buffered.slice(0, nl)) as { token?: unknown };
        } catch {
          return socket.destroy();
        }
        if (settled || hello?.token !== token) return socket.destroy();
        settled = true;
        clearTimeout(timer);
        server.close();
        if (buffered.length > nl + 1) socket.unshift(buffered.slice(nl + 1));
        let hostPid: number | undefined;
        resolve({
          socket,
          exited,
          rssMb: () => {
            hostPid ??= proc?.pid ? findHostPid(proc.pid, WORKER_NS_PID) : undefined;
            return hostPid ? residentMb(hostPid) : 0;
          },
          kill,
        });
      };
      socket.on('data', onData);
    }
  });
}

/** bwrap exits with its program's code, or 128 + the signal that ended it. */
function exitOf(code: number | null, signal: NodeJS.Signals | null): WorkerExit {
  if (signal) return { code: null, signal };
  if (code !== null && code > 128 && signalNames.has(code - 128)) return { code: null, signal: signalNames.get(code - 128)! };
  return { code, signal: null };
}
