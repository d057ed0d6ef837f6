import { spawn, spawnSync } from 'child_process';
import * as path from 'path';

// What the command line prints when nothing is graded: --version, and quiet ends when the reader of stdout leaves.

const bin = path.join(__dirname, '..', '..', 'bin', 'decaylab.js');
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

test('--version names the grader, tfjs-node and the libtensorflow that actually loads', () => {
  const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env, timeout: 60_000 });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^decaylab grader \d+\.\d+\.\d+\+[0-9a-f]{12}\n@tensorflow\/tfjs-node \d+\.\d+\.\d+\nlibtensorflow \d+\.\d+\.\d+\nnode /);
});

test.each([[['assignments']], [['--help']], [['grade', '--help']], [['--version']]])(
  '`decaylab %s` ends quietly when its reader closes first',
  async (args) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The read end is closed before the command writes anything: its first write meets EPIPE.
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  },
  60_000,
);
