import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The chapters' tools (release-cli.ts, site-cli.ts) share run-cli.ts: run as built, each says in one line what it
// wrote, or in one line naming itself what went wrong, with exit code 1 and no stack trace.

const root = path.join(__dirname, '..');
const tool = (name: string) => path.join(root, 'dist', 'src', `${name}-cli.js`);
type Run = { code: number; stdout: string; stderr: string };

function run(name: string, args: string[]): Promise<Run> {
  return new Promise((resolve) =>
    execFile(process.execPath, [tool(name), ...args], { encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? Number(e.code) : 0, stdout, stderr }),
    ),
  );
}

let dir: string;
beforeAll(() => {
  // What `npm run release` and `npm run site` build first (incremental: about a second when nothing changed).
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chapters-cli-'));
  fs.mkdirSync(path.join(dir, 'taken'));
  fs.writeFileSync(path.join(dir, 'taken', 'notes.txt'), 'kept\n');
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('release writes the release and says so in one line', async () => {
  const out = path.join(dir, 'release');
  const r = await run('release', ['--out', out]);
  expect(r).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^release: \\d+ files in ${out}\\n$`)), stderr: '' });
  expect(fs.existsSync(path.join(out, 'package.json'))).toBe(true);
}, 60_000);

test.each(['release', 'site'])(
  '%s into a folder that is not empty: one line naming the tool, exit code 1',
  async (name) => {
    const out = path.join(dir, 'taken');
    const r = await run(name, ['--out', out]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `${name}: ${out} exists and is not empty; choose a new folder\n` });
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
  },
  60_000,
);

test.each(['release', 'site'])(
  '%s without --out: commander says which option is missing, exit code 1',
  async (name) => {
    const r = await run(name, []);
    expect(r).toEqual({ code: 1, stdout: '', stderr: "error: required option '--out <folder>' not specified\n" });
  },
  60_000,
);
