import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prepareSubmission } from './load-submission';

// Malformed and non-UTF-8 submissions become a clear message (the grader gives them 0); good ones become a module.

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

test('a non-UTF-8 file is rejected with the offset of the first bad byte', () => {
  const p = prepareSubmission(write('latin1.ts', Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\n')])));
  expect('error' in p && p.error).toBe('latin1.ts is not valid UTF-8 text (first bad byte at offset 6); save it as UTF-8');
});

test('a notebook syntax error is reported at its cell and line', () => {
  const cells = [{ cell_type: 'markdown', metadata: {}, source: '# title' }, code('const a = 1;', ['exercise']), code('function f( {\n  return 1;\n}', ['exercise'])];
  const p = prepareSubmission(write('typo.ipynb', notebook(cells)));
  const message = 'error' in p ? p.error : '';
  expect(message).toMatch(/^typo\.ipynb does not compile:\ncell 3, line [12]: /);
  expect(message).not.toMatch(/line 5, column/);
});

test('exercise cells become a module exporting their top-level names; other cells are left out', () => {
  const cells = [code('function helper() { return 2; }\nconst half = 0.5;', ['exercise']), code('throw new Error("scratch")'), code('export function twice() { return helper() * 2; }', ['exercise'])];
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
