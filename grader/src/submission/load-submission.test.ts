import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prepareSubmission } from './load-submission';
import { firstInvalidOffset } from './read-submission-text';

// Malformed, non-UTF-8, linked or special-file submissions become a clear message (the grader gives them 0); good ones
// become a module.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-load-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const notebook = (cells: object[], nbformat = 4) => JSON.stringify({ nbformat, nbformat_minor: 5, metadata: {}, cells });
const code = (source: string, tags?: string[]) => ({ cell_type: 'code', metadata: tags ? { tags } : {}, source, outputs: [], execution_count: null });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a notebook that is not JSON is rejected with a message naming the file', () => {
  const p = prepareSubmission(write('broken.ipynb', '{"cells": ['));
  expect(p).toMatchObject({ id: 'broken', error: expect.stringMatching(/^broken\.ipynb is not a valid notebook: it is not valid JSON/) });
});

test('a notebook that is not nbformat 4 is rejected', () => {
  const p = prepareSubmission(write('old.ipynb', notebook([code('let a = 1;', ['exercise'])], 3)));
  expect('error' in p && p.error).toMatch(/^old\.ipynb is not a valid nbformat 4 notebook/);
});

test('a notebook without an exercise cell is rejected', () => {
  const p = prepareSubmission(write('untagged.ipynb', notebook([code('export function l2Penalty() {}')])));
  expect('error' in p && p.error).toMatch(/has no code cell tagged "exercise"/);
});

test('a non-UTF-8 file is rejected with the line, column and offset of the first bad byte', () => {
  const p = prepareSubmission(write('latin1.ts', Buffer.concat([Buffer.from('// ok\n// caf'), Buffer.from([0xe9]), Buffer.from('\n')])));
  expect('error' in p && p.error).toBe('latin1.ts is not valid UTF-8 text (line 2, column 7, byte offset 12); save it as UTF-8');
});

test("UTF-8 validity is the platform decoder's: an encoded surrogate is refused where it starts", () => {
  const surrogate = Buffer.from([0xed, 0xa0, 0x80]);
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(surrogate)).toThrow();
  const p = prepareSubmission(write('surrogate.ts', Buffer.concat([Buffer.from('const s = "é'), surrogate, Buffer.from('";\n')])));
  expect('error' in p && p.error).toBe('surrogate.ts is not valid UTF-8 text (line 1, column 13, byte offset 13); save it as UTF-8');
});

test('the reported offset is the start of the first ill-formed sequence, as the decoder finds it', () => {
  const cases: [number[], number][] = [
    [[0x61, 0x80], 1], // a stray continuation byte
    [[0x61, 0xc0, 0x80], 1], // an overlong encoding
    [[0x61, 0xe2, 0x82], 1], // a sequence cut short by the end of the file
    [[0x61, 0xf0, 0x9f, 0x98, 0x80, 0xff], 5], // after a valid 4-byte character, a byte that is never UTF-8
    [[0xe2, 0x82, 0x41], 0], // a lead byte whose continuation is missing
  ];
  for (const [bytes, at] of cases) {
    expect(firstInvalidOffset(Uint8Array.from(bytes))).toBe(at);
    const valid = Uint8Array.from(bytes.slice(0, at));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(valid)).not.toThrow();
  }
});

test('a symbolic link is never followed, whether it is the entry or the file in a folder entry', () => {
  fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd.ipynb'));
  expect(prepareSubmission(path.join(dir, 'passwd.ipynb'))).toEqual({
    id: 'passwd',
    entry: path.join(dir, 'passwd.ipynb'),
    error: 'passwd.ipynb is a symbolic link; submit the file or folder itself',
    status: 'invalid',
  });
  write('victim.ts', 'export const x = 1;');
  fs.mkdirSync(path.join(dir, 'thief'));
  fs.symlinkSync('../victim.ts', path.join(dir, 'thief', 'work.ts'));
  expect('error' in prepareSubmission(path.join(dir, 'thief')) && prepareSubmission(path.join(dir, 'thief'))).toMatchObject({
    error: 'work.ts in folder thief is a symbolic link; submit the file itself',
  });
  fs.symlinkSync(path.join(dir, 'thief'), path.join(dir, 'linked-folder'));
  expect(prepareSubmission(path.join(dir, 'linked-folder'))).toMatchObject({ error: 'linked-folder is a symbolic link; submit the file or folder itself' });
});

test('a FIFO named like a submission is refused without blocking the grader', () => {
  expect(spawnSync('mkfifo', [path.join(dir, 'pipe.ts')]).status).toBe(0);
  expect(prepareSubmission(path.join(dir, 'pipe.ts'))).toMatchObject({ error: 'pipe.ts is neither a file nor a folder' });
  fs.mkdirSync(path.join(dir, 'piped'));
  expect(spawnSync('mkfifo', [path.join(dir, 'piped', 'work.ts')]).status).toBe(0);
  expect(prepareSubmission(path.join(dir, 'piped'))).toMatchObject({ error: 'work.ts in folder piped is not a regular file; submit the file itself' });
});

test('a notebook syntax error is reported at its cell and line', () => {
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: '# title' },
    code('const a = 1;', ['exercise']),
    code('function f( {\n  return 1;\n}', ['exercise']),
  ];
  const p = prepareSubmission(write('typo.ipynb', notebook(cells)));
  const message = 'error' in p ? p.error : '';
  expect(message).toMatch(/^typo\.ipynb does not compile:\ncell 3, line [12]: /);
  expect(message).not.toMatch(/line 5, column/);
});

test('exercise cells become a module exporting their top-level names; other cells are left out', () => {
  const cells = [
    code('function helper() { return 2; }\nconst half = 0.5;', ['exercise']),
    code('throw new Error("scratch")'),
    code('export function twice() { return helper() * 2; }', ['exercise']),
  ];
  const p = prepareSubmission(write('nb.ipynb', notebook(cells)));
  if (!('js' in p)) throw new Error(p.error);
  const mod = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'require', p.js)(mod, mod.exports, require);
  expect(Object.keys(mod.exports).sort()).toEqual(['half', 'helper', 'twice']);
  expect(p.js).not.toContain('scratch');
});

test('a folder holding one submission file is graded under the folder name', () => {
  fs.mkdirSync(path.join(dir, 'zoe'));
  write('zoe/work.ts', 'export const x = 1;');
  expect(prepareSubmission(path.join(dir, 'zoe'))).toMatchObject({ id: 'zoe', js: expect.stringContaining('exports.x = 1') });
});
