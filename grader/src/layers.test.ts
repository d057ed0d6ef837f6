import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// grader/src's folders are its layers, in the order the data flows (grader/README.md, Design): a file imports from
// its own layer and the layers before it, never from one after it. Every import counts, type-only ones and tests
// included, as TypeScript's own pre-processor reads them (import, export … from, import type, import('…'), require).
// Folders that share a level (the hidden suites' machinery with the assignments it runs; the service with the
// Gradescope packaging) may use each other.

const LAYERS = [['core'], ['submission'], ['sandbox'], ['hidden', 'assignments'], ['engine'], ['report'], ['service', 'gradescope'], ['cli']];

/** `file -> import` as written, each with the reason it may run upward; none today. */
const ALLOWED = new Set<string>([]);

const src = __dirname;
const level = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The layer folder of a path inside grader/src, or undefined for one outside it (a package, the grader's config). */
function folderOf(file: string): string | undefined {
  const rel = path.relative(src, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep)[0];
}

type Import = { file: string; line: number; spec: string; from: string; to: string };

function crossFolderImports(): Import[] {
  return sources(src).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const from = folderOf(file)!;
    return ts
      .preProcessFile(text, true, true)
      .importedFiles.filter((i) => i.fileName.startsWith('.'))
      .map((i) => ({
        file: path.relative(src, file),
        line: text.slice(0, i.pos).split('\n').length,
        spec: i.fileName,
        from,
        to: folderOf(path.resolve(path.dirname(file), i.fileName)) ?? from,
      }))
      .filter((i) => i.to !== i.from);
  });
}

test('every file of grader/src lies in a layer folder', () => {
  const outside = sources(src)
    .map((f) => path.relative(src, f))
    .filter((rel) => !level.has(rel.split(path.sep)[0]) && rel !== path.basename(__filename));
  expect(outside).toEqual([]);
});

test('no import runs back up the layers', () => {
  const imports = crossFolderImports();
  // The scan sees the imports that hold the layers together at all.
  expect(imports.filter((i) => i.from === 'cli' && i.to === 'engine').length).toBeGreaterThan(0);
  const upward = imports
    .filter((i) => level.get(i.to)! > level.get(i.from)! && !ALLOWED.has(`${i.file} -> ${i.spec}`))
    .map((i) => `${i.file}:${i.line} imports ${i.spec} (${i.from}/ comes before ${i.to}/)`);
  expect(upward).toEqual([]);
});

test('the allowed exceptions still exist (a stale one is removed)', () => {
  const written = new Set(crossFolderImports().map((i) => `${i.file} -> ${i.spec}`));
  expect([...ALLOWED].filter((a) => !written.has(a))).toEqual([]);
});
