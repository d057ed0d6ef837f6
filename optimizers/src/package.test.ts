import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// What `npm publish` would ship, installed the way a user's project gets it: the tarball unpacked into a fresh
// node_modules beside the tfjs packages only (no workspace links), then loaded by plain node and type-checked by tsc.
const PACKAGE = path.resolve(__dirname, '..');
const REPO_MODULES = path.resolve(PACKAGE, '..', 'node_modules');

let work: string;
let project: string;
let files: string[];

beforeAll(() => {
  execFileSync(process.execPath, [path.join(REPO_MODULES, 'typescript', 'bin', 'tsc'), '-b', PACKAGE]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((f) => f.path).sort();
  project = path.join(work, 'project');
  const installed = path.join(project, 'node_modules', '@decaylab', 'tfjs-optimizers');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', installed, '--strip-components=1']);
  fs.symlinkSync(path.join(REPO_MODULES, '@tensorflow'), path.join(project, 'node_modules', '@tensorflow'));
}, 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function runNode(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', NODE_PATH: '' };
  return spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', env, timeout: 60_000 });
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}

describe('the published package', () => {
  test('holds only dist/ (JavaScript and declarations), README, LICENSE and package.json', () => {
    const sources = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''));
    const expected = ['LICENSE', 'README.md', 'package.json', ...sources.flatMap((s) => [`dist/${s}.d.ts`, `dist/${s}.js`])].sort();
    expect(files).toEqual(expected);
  });

  test('depends on nothing of the monorepo and takes tfjs-core as a peer', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@decaylab', 'tfjs-optimizers', 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.peerDependencies)).toEqual(['@tensorflow/tfjs-core']);
    expect(manifest.private).toBeUndefined();
    expect(manifest.types).toBe('dist/index.d.ts');
    const shipped = files.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(PACKAGE, f), 'utf8'));
    shipped.forEach((code) => expect(code).not.toMatch(/require\("(@decaylab\/|\.\.\/)/));
  });

  test('trains with tfjs-node from plain node (require), on the native backend', () => {
    const script = `
      const tf = require('@tensorflow/tfjs-node');
      const { AdamW, CosineDecay } = require('@decaylab/tfjs-optimizers');
      const x = tf.randomNormal([64, 3], 0, 1, 'float32', 1);
      const y = x.sum(1, true);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3], kernelInitializer: tf.initializers.zeros() })] });
      model.compile({ optimizer: new AdamW({ learningRate: new CosineDecay({ initialValue: 0.1, decaySteps: 200 }) }), loss: 'meanSquaredError' });
      model.fit(x, y, { epochs: 50, batchSize: 16, verbose: 0 }).then((h) => {
        const loss = h.history.loss;
        console.log(JSON.stringify({ backend: tf.getBackend(), first: loss[0], last: loss[loss.length - 1] }));
      });
    `;
    const r = runNode(['-e', script]);
    expect(r.stderr).not.toMatch(/Error/);
    const out = lastJsonLine(r.stdout);
    expect(out.backend).toBe('tensorflow');
    expect(out.last as number).toBeLessThan(0.05 * (out.first as number));
  });

  test('works on tfjs-core with the cpu backend only (as in a browser), imported as an ES module', () => {
    // tfjs-core alone registers no gradients, so the gradient of 0.5 ||w - a||^2, w - a, is given by hand.
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      import { SGDW } from '@decaylab/tfjs-optimizers';
      tf.env().set('PROD', true); // silences tfjs's advice to install the node backend
      await tf.setBackend('cpu');
      const w = tf.variable(tf.zeros([2]), true, 'w');
      const a = tf.tensor1d([2, -1]);
      const opt = new SGDW({ learningRate: 0.1, weightDecay: 0.25 });
      for (let i = 0; i < 300; i++) tf.tidy(() => opt.applyGradients({ w: tf.sub(w, a) }));
      console.log(JSON.stringify({ backend: tf.getBackend(), w: Array.from(w.dataSync()) }));
    `;
    const r = runNode(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    const out = lastJsonLine(r.stdout);
    expect(out.backend).toBe('cpu');
    // The decayed minimiser of 0.5 ||w - a||^2 is a / (1 + weightDecay).
    (out.w as number[]).forEach((v, i) => expect(v).toBeCloseTo([2, -1][i] / 1.25, 4));
  });

  test('its declarations type-check a consumer under strict settings, without the monorepo', () => {
    // skipLibCheck because tfjs-core's own declarations need @types/long, which this bare project does not have.
    const consumer = path.join(project, 'consumer.ts');
    fs.writeFileSync(
      consumer,
      `import { AdamW, SGDW, ExponentialDecay, type AdamWOptions, type ParamGroup } from '@decaylab/tfjs-optimizers';
const groups: ParamGroup[] = [{ match: ['/bias$'], weightDecay: 0 }];
const o: AdamWOptions = { learningRate: (step: number) => 1e-3 / (1 + step), paramGroups: groups, decayForm: 'paper', scheduleMultiplier: 0.5 };
export const opts = [new AdamW(o), new SGDW({ learningRate: new ExponentialDecay({ initialValue: 0.1, decaySteps: 10, decayRate: 0.9 }), weightDecay: 1e-4 })];
// @ts-expect-error SGDW has no default weight decay; were the declarations unresolved (any), this line would be an error.
export const missing = new SGDW({ learningRate: 0.1 });
`,
    );
    const options = { strict: true, noEmit: true, types: [], module: 'commonjs', moduleResolution: 'node', target: 'ES2022', skipLibCheck: true };
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['consumer.ts'] }));
    const r = runNode([path.join(REPO_MODULES, 'typescript', 'bin', 'tsc'), '-p', project]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
