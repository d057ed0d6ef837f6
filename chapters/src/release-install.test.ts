import { spawn, spawnSync, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CHAPTERS, REPO_ROOT } from './course-manifest';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { readNotebook, writeNotebook } from './notebook-file';
import { buildRelease } from './release';

// The release as a student gets it: built into a new folder, installed there with plain `npm install` (packages from
// the npm registry or its cache, the tensorflow-cpu wheel from pip or the machine's cache; nothing else can be reached
// here, so any other download would fail the install), then `npm run check` and `npm run lab` used as the README says.

/** The environment without what npm and Nx set for the test run itself, as in a student's fresh terminal. */
const studentEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|NX_|FORCE_COLOR$)/.test(k))),
  ...extra,
});

const all = (r: SpawnSyncReturns<string>) => `${r.stdout}${r.stderr}`;

describe('the student release, installed with npm install', () => {
  let dir: string;
  let release: string;
  let install: SpawnSyncReturns<string>;
  let installSeconds: number;
  const npm = (args: string[], env?: Record<string, string>) => spawnSync('npm', args, { cwd: release, encoding: 'utf8', env: studentEnv(env) });

  beforeAll(() => {
    // Under the user's home, beside the wheel cache, so that libtensorflow is hard-linked rather than copied.
    const parent = path.join(os.homedir(), '.cache', 'decaylab');
    fs.mkdirSync(parent, { recursive: true });
    dir = fs.mkdtempSync(path.join(parent, 'release-test-'));
    release = path.join(dir, 'course');
    buildRelease(release);
    const t0 = Date.now();
    install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund']);
    installSeconds = (Date.now() - t0) / 1000;
    console.log(`npm install of the release: ${installSeconds.toFixed(0)} s`);
  }, 900_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs, provisioning the native backend through the shipped package', () => {
    if (install.status !== 0) throw new Error(`npm install exited ${install.status}:\n${all(install).split('\n').slice(-20).join('\n')}`);
    expect(all(install)).toMatch(/\[native-backend\] ready: tfjs-node 4\.22\.0 on libtensorflow 2\.21\.\d+ \(backend tensorflow\)/);
    expect(fs.realpathSync(path.join(release, 'node_modules', '@decaylab', 'native-backend'))).toBe(path.join(release, 'native-backend'));
  });

  it("ends with tf.getBackend() === 'tensorflow' from the release's own node_modules", () => {
    const probe = "const p = require.resolve('@tensorflow/tfjs-node'); const tf = require(p); console.log(JSON.stringify({ p, backend: tf.getBackend() }));";
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: release, encoding: 'utf8', env: studentEnv() });
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!) as { p: string; backend: string };
    expect(seen.backend).toBe('tensorflow');
    expect(seen.p.startsWith(path.join(release, 'node_modules', '@tensorflow', 'tfjs-node') + path.sep)).toBe(true);
  });

  it('npm run check on the shipped stubs: every graded function is not implemented yet, exit 1', () => {
    const r = npm(['run', '--silent', 'check']);
    expect(r.status).toBe(1);
    for (const c of CHAPTERS) {
      for (const e of c.exercises) expect(r.stdout).toMatch(new RegExp(`^  todo  ${e} +not implemented yet$`, 'm'));
      expect(r.stdout).toContain(`${c.assignment}: 0 of ${c.exercises.length} functions pass`);
    }
  }, 120_000);

  it('npm run check on the notebooks filled with the solutions: every function passes, exit 0; one notebook by path', () => {
    for (const c of CHAPTERS) {
      const file = path.join(release, c.dir, c.notebook);
      const reference = loadReferenceDeclarations(path.join(REPO_ROOT, 'solutions', 'src', c.solutionsArea));
      writeNotebook(file, fillSolutions(readNotebook(file), c.exercises, reference));
    }
    const r = npm(['run', '--silent', 'check']);
    if (r.status !== 0) throw new Error(`npm run check exited ${r.status}:\n${all(r)}`);
    for (const c of CHAPTERS) {
      for (const e of c.exercises) expect(r.stdout).toMatch(new RegExp(`^  pass  ${e} +(\\d+)/\\1 public tests pass$`, 'm'));
    }
    const one = npm(['run', '--silent', 'check', '--', '02-l2-vs-decay/l2-vs-decay.ipynb']);
    expect(one.status).toBe(0);
    expect(one.stdout.split('\n')[0]).toBe('decay (02-l2-vs-decay/l2-vs-decay.ipynb)');
    expect(one.stdout).not.toMatch(/^norms|^double-descent/m);
  }, 120_000);

  it('npm run lab says what to install when no Jupyter is found', () => {
    // A PATH with only node and sh (npm runs scripts through sh): no jupyter, no python3.
    const bare = fs.mkdtempSync(path.join(dir, 'path-'));
    fs.symlinkSync(process.execPath, path.join(bare, 'node'));
    fs.symlinkSync('/bin/sh', path.join(bare, 'sh'));
    const npmCli = path.join(path.dirname(fs.realpathSync(process.execPath)), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    const r = spawnSync(process.execPath, [npmCli, 'run', '--silent', 'lab'], { cwd: release, encoding: 'utf8', env: studentEnv({ PATH: bare }) });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'lab: no JupyterLab found (tried `jupyter lab` and `python3 -m jupyter lab`). Install JupyterLab 4 for your user: ' +
        '`python3 -m pip install --user "jupyterlab>=4,<5"` (or `pipx install jupyterlab`), or point DECAYLAB_JUPYTER at a jupyter executable; ' +
        'then run `npm run lab` again.',
    );
  });

  it("npm run lab registers the 'decaylab' kernel (this folder's tslab) and starts JupyterLab in the release folder", async () => {
    const jupyterHome = fs.mkdtempSync(path.join(dir, 'jupyter-'));
    const env = {
      DECAYLAB_JUPYTER: path.join(REPO_ROOT, '.venv', 'bin', 'jupyter'),
      JUPYTER_DATA_DIR: path.join(jupyterHome, 'data'),
      JUPYTER_CONFIG_DIR: path.join(jupyterHome, 'config'),
      JUPYTER_RUNTIME_DIR: path.join(jupyterHome, 'runtime'),
    };
    const port = await freePort();
    // JupyterLab refuses to run as root without --allow-root (CI runs as root; students do not).
    const asRoot = process.getuid?.() === 0 ? ['--allow-root'] : [];
    const lab = spawn('npm', ['run', '--silent', 'lab', '--', '--no-browser', `--port=${port}`, '--ServerApp.port_retries=0', ...asRoot], {
      cwd: release,
      env: studentEnv(env),
      detached: true,
    });
    let output = '';
    lab.stdout.on('data', (d) => (output += d));
    lab.stderr.on('data', (d) => (output += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`JupyterLab did not start within 150 s:\n${output}`)), 150_000);
        const poll = setInterval(() => {
          if (new RegExp(`http://(localhost|127\\.0\\.0\\.1):${port}/lab`).test(output)) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve();
          }
        }, 200);
        lab.on('exit', (code) => {
          clearInterval(poll);
          clearTimeout(timer);
          reject(new Error(`npm run lab exited ${code} before JupyterLab started:\n${output}`));
        });
      });
      const spec = JSON.parse(fs.readFileSync(path.join(env.JUPYTER_DATA_DIR, 'kernels', 'decaylab', 'kernel.json'), 'utf8')) as { argv: string[] };
      expect(spec.argv[0]).toBe(path.join(release, 'node_modules', '.bin', 'tslab'));
      expect(output).toContain(`starting JupyterLab 4.`);
      expect(output).toContain(`in ${release}`);
      expect(readNotebook(path.join(release, CHAPTERS[0].dir, CHAPTERS[0].notebook)).metadata.kernelspec).toMatchObject({ name: 'decaylab' });
    } finally {
      lab.removeAllListeners('exit');
      if (lab.exitCode === null && lab.signalCode === null) {
        const ended = new Promise((resolve) => lab.on('exit', resolve));
        process.kill(-lab.pid!, 'SIGTERM');
        await ended;
      }
    }
  }, 200_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
