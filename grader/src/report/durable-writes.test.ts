import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { GraderFault } from '../core/errors';
import { writeFileAtomic } from './atomic-file';
import { MANIFEST_FILE, ResumeManifest } from './resume-manifest';

// A results file, its manifest line and the gradebook survive a power cut, in an order a resumed run can trust. The
// order is read from the system calls themselves (strace of a node that writes a results file and then its manifest
// line, as grade-batch does): the data synced before the rename, the folder synced after it, the results file on
// disk before the manifest line that names it, and every sync made on a thread of libuv's pool, never on the thread
// of the event loop.

const src = path.join(__dirname, '..');
const MODULES = ['core/errors.ts', 'report/atomic-file.ts', 'report/resume-manifest.ts'];
const TRACED = 'trace=openat,fsync,fdatasync,rename,renameat,renameat2';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-durable-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const leftovers = (folder: string) => fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'));

test('writeFileAtomic replaces the content whole and leaves no temporary file', async () => {
  const file = path.join(dir, 'alice.json');
  await writeFileAtomic(file, 'old\n');
  await writeFileAtomic(file, new Uint8Array([110, 101, 119, 10]));
  expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
  expect(fs.statSync(file).mode & 0o777).toBe(0o644);
  expect(leftovers(dir)).toEqual([]);
});

test('a write that fails is a fault naming the file, and leaves the old content and no temporary file', async () => {
  const file = path.join(dir, 'gradebook.csv');
  fs.mkdirSync(file);
  await expect(writeFileAtomic(file, 'x')).rejects.toThrow(GraderFault);
  await expect(writeFileAtomic(file, 'x')).rejects.toThrow(new RegExp(`^${file} could not be written \\(`));
  expect(fs.statSync(file).isDirectory()).toBe(true);
  expect(leftovers(dir)).toEqual([]);
  await expect(writeFileAtomic(path.join(dir, 'missing', 'a.json'), 'x')).rejects.toThrow(/missing\/a\.json could not be written \(ENOENT/);
});

test('manifest lines recorded at the same time are appended whole, one after another, and read back', async () => {
  const manifest = new ResumeManifest(dir);
  const ids = Array.from({ length: 40 }, (_, i) => `student-${i}`);
  await Promise.all(ids.map((id) => manifest.record({ id, fingerprint: `f-${id}`.repeat(50), results: 'r', status: 'graded' })));
  const lines = fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8').trimEnd().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids);
  await manifest.compact(ids.slice(0, 3));
  expect(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8').trimEnd().split('\n')).toHaveLength(3);
  expect(leftovers(dir)).toEqual([]);
});

type Call = { tid: number; name: string; args: string; ret: number };

/**
 * strace -f's lines, a call cut in two by another thread's (`<unfinished ...>` … `<... resumed>`) joined again. strace pads
 * the pid to five columns, so a short pid is followed by more than one space.
 */
function parseTrace(text: string): Call[] {
  const pending = new Map<number, string>();
  const calls: Call[] = [];
  for (const line of text.split('\n')) {
    const unfinished = /^(\d+)\s+(.*) <unfinished \.\.\.>$/.exec(line);
    if (unfinished) {
      pending.set(Number(unfinished[1]), unfinished[2]);
      continue;
    }
    const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>(.*)$/.exec(line);
    const whole = resumed ? `${resumed[1]} ${pending.get(Number(resumed[1])) ?? ''}${resumed[2]}` : line;
    const m = /^(\d+)\s+(\w+)\((.*)\)\s+= (-?\d+)/.exec(whole);
    if (m) calls.push({ tid: Number(m[1]), name: m[2], args: m[3], ret: Number(m[4]) });
  }
  return calls;
}

test('traced: data synced, renamed, folder synced, then the manifest line appended and synced, all off the event loop', async () => {
  const lib = path.join(dir, 'lib');
  for (const rel of MODULES) {
    const js = ts.transpileModule(fs.readFileSync(path.join(src, rel), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
    fs.writeFileSync(path.join(lib, rel.replace(/\.ts$/, '.js')), js);
  }
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const script = path.join(lib, 'write-one.js');
  fs.writeFileSync(
    script,
    `const { writeFileAtomic } = require('./report/atomic-file.js');
const { ResumeManifest } = require('./report/resume-manifest.js');
(async () => {
  const manifest = new ResumeManifest(${JSON.stringify(out)});
  await writeFileAtomic(${JSON.stringify(path.join(out, 'alice.json'))}, '{ "score": 42 }\\n');
  await manifest.record({ id: 'alice', fingerprint: 'f', results: 'r', status: 'graded' });
  process.stdout.write(String(process.pid));
})();
`,
  );
  const log = path.join(dir, 'trace.log');
  const pid = await new Promise<number>((resolve, reject) =>
    execFile('strace', ['-f', '-qq', '-e', TRACED, '-o', log, process.execPath, script], { encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`strace (tools/setup/system-deps.sh installs it) failed: ${e.message} ${stderr}`)) : resolve(Number(stdout)),
    ),
  );
  const calls = parseTrace(fs.readFileSync(log, 'utf8'));
  const index = (from: number, found: (c: Call) => boolean, what: string) => {
    const i = calls.findIndex((c, j) => j > from && found(c));
    if (i < 0)
      throw new Error(`no ${what} after call ${from} in the trace:\n${calls.map((c, j) => `${j} ${c.tid} ${c.name}(${c.args}) = ${c.ret}`).join('\n')}`);
    return i;
  };
  const opened = (from: number, file: string, what: string) => index(from, (c) => c.name === 'openat' && c.args.includes(`"${file}"`), what);
  const synced = (from: number, fd: number, what: string) => index(from, (c) => (c.name === 'fsync' || c.name === 'fdatasync') && c.args === String(fd), what);

  const openTemp = index(-1, (c) => c.name === 'openat' && /\/\.alice\.json\.\d+\.[0-9a-f]+\.tmp"/.test(c.args), 'temporary file');
  const syncTemp = synced(openTemp, calls[openTemp].ret, 'sync of the temporary file');
  const rename = index(openTemp, (c) => c.name.startsWith('rename') && c.args.includes(`"${path.join(out, 'alice.json')}"`), 'rename');
  const openFolder = opened(rename, out, 'opening of the folder');
  const syncFolder = synced(openFolder, calls[openFolder].ret, 'sync of the folder');
  const openManifest = opened(syncFolder, path.join(out, MANIFEST_FILE), 'opening of the manifest');
  expect(calls[openManifest].args).toMatch(/O_APPEND/);
  const syncManifest = synced(openManifest, calls[openManifest].ret, 'sync of the manifest');
  const openFolderAgain = opened(syncManifest, out, 'opening of the folder for the new manifest');
  synced(openFolderAgain, calls[openFolderAgain].ret, 'sync of the folder after the manifest was created');

  expect(syncTemp).toBeLessThan(rename);
  const syncs = calls.filter((c) => c.name === 'fsync' || c.name === 'fdatasync');
  expect(syncs.length).toBeGreaterThanOrEqual(4);
  expect(syncs.filter((c) => c.tid === pid)).toEqual([]);
}, 90_000);
