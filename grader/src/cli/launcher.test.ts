import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The `decaylab` launcher's start-up: transpiled sources come from the on-disk cache (TypeScript is not even loaded
// when everything is cached, and an unwritable cache only costs the transpiling), and a command loads only its own
// modules.

const bin = path.join(__dirname, '..', '..', 'bin');
const launcher = path.join(bin, 'decaylab.js');
const cacheModule = path.join(bin, 'transpile-cache.js');
const source = 'export const twice = (x: number): number => 2 * x;\n';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-launcher-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `script` in a fresh node (`cache`: the transpile-cache module) and returns what it printed, as JSON. */
function inFreshNode(script: string, args: string[] = []): unknown {
  const r = spawnSync(process.execPath, ['-e', `const cache = require(${JSON.stringify(cacheModule)});\n${script}`, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const transpileAndReport = `
const js = cache.transpileCached(process.argv[1], 'm.ts', process.argv[2]);
const m = { exports: {} };
new Function('module', 'exports', js)(m, m.exports);
const typescriptLoaded = Object.keys(require.cache).some((f) => f.includes('/node_modules/typescript/'));
console.log(JSON.stringify({ value: m.exports.twice(21), typescriptLoaded }));`;

test('a cached source is served without loading TypeScript; the cache holds one whole file per source', () => {
  const cacheDir = path.join(dir, 'cache');
  expect(inFreshNode(transpileAndReport, [source, cacheDir])).toEqual({ value: 42, typescriptLoaded: true });
  expect(fs.readdirSync(cacheDir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.js$/)]);
  expect(inFreshNode(transpileAndReport, [source, cacheDir])).toEqual({ value: 42, typescriptLoaded: false });
  // Another source is another entry, never the first one's output.
  expect(inFreshNode(transpileAndReport, [source.replace('2 * x', '3 * x'), cacheDir])).toEqual({ value: 63, typescriptLoaded: true });
  expect(fs.readdirSync(cacheDir)).toHaveLength(2);
});

test('a cache folder that cannot be created or written still gives the transpiled source', () => {
  const notAFolder = path.join(dir, 'file');
  fs.writeFileSync(notAFolder, '');
  expect(inFreshNode(transpileAndReport, [source, path.join(notAFolder, 'cache')])).toEqual({ value: 42, typescriptLoaded: true });
  expect(fs.readFileSync(notAFolder, 'utf8')).toBe('');
});

/** The packages a `decaylab` invocation loaded, from its require cache at exit. */
function packagesLoadedBy(args: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const tracer = path.join(dir, 'tracer.js');
  fs.writeFileSync(
    tracer,
    "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).map((f) => (/node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(f) || [])[1]).filter(Boolean))));\n",
  );
  const r = spawnSync(process.execPath, ['-r', tracer, launcher, ...args], { encoding: 'utf8', timeout: 60_000, env });
  expect(r.status).toBe(0);
  return [...new Set(JSON.parse(/LOADED (.*)$/.exec(r.stderr)![1]) as string[])];
}

test.each([[['--help']], [['grade', '--help']], [['assignments']]])('`decaylab %s` loads neither the service nor the report libraries', (args) => {
  const loaded = packagesLoadedBy(args);
  expect(loaded).toContain('commander');
  for (const heavy of ['bullmq', 'fastify', 'ioredis', 'vega', 'vega-lite', 'prom-client', '@tensorflow/tfjs-node']) expect(loaded).not.toContain(heavy);
});

test('`decaylab --help` still lists every command', () => {
  const r = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8', timeout: 60_000 });
  for (const command of ['grade', 'grade-batch', 'assignments', 'serve', 'worker', 'token', 'gradescope'])
    expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
});

test('`decaylab --version` asks libtensorflow once, then remembers its answer for the same files', () => {
  const env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache'), TF_CPP_MIN_LOG_LEVEL: '2' };
  const version = () => spawnSync(process.execPath, [launcher, '--version'], { encoding: 'utf8', timeout: 60_000, env }).stdout;
  expect(packagesLoadedBy(['--version'], env)).toContain('@tensorflow/tfjs-node');
  const asked = version();
  expect(asked).toMatch(/^libtensorflow \d+\.\d+\.\d+$/m);
  expect(packagesLoadedBy(['--version'], env)).not.toContain('@tensorflow/tfjs-node');
  expect(version()).toBe(asked);
});
