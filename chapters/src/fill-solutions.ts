import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parse, topLevelDeclarations, identifiersIn, withoutExport, type Declaration } from './declarations';
import { cellText, isExercise, toSource, type Notebook } from './notebook-file';

/**
 * The reference code of one solutions area, as top-level declarations by name: the area's files and every file they
 * import relatively (e.g. shared validation), followed transitively. Only '@tensorflow/tfjs-node' may be imported
 * from outside, as `tf`, because that is what every notebook's exercise cells import.
 */
export function loadReferenceDeclarations(areaDir: string): Map<string, Declaration> {
  const byName = new Map<string, Declaration>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const sf = parse(file, fs.readFileSync(file, 'utf8'));
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
      const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (spec === undefined) continue;
      if (spec.startsWith('.')) visit(resolveTs(path.dirname(file), spec));
      else if (spec !== '@tensorflow/tfjs-node') {
        throw new Error(`${file}: imports '${spec}'; reference code for notebooks may import only '@tensorflow/tfjs-node'`);
      }
    }
    for (const d of topLevelDeclarations(sf)) {
      const prev = byName.get(d.name);
      if (prev && prev.sourceFile !== sf) {
        throw new Error(`${file}: '${d.name}' is also declared in ${prev.sourceFile.fileName}; names must be unique to inline them`);
      }
      if (!prev) byName.set(d.name, d);
    }
  };
  for (const f of fs.readdirSync(areaDir).sort()) {
    if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')) visit(path.join(areaDir, f));
  }
  return byName;
}

function resolveTs(dir: string, spec: string): string {
  for (const candidate of [`${spec}.ts`, path.join(spec, 'index.ts')]) {
    const p = path.resolve(dir, candidate);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`cannot resolve '${spec}' from ${dir}`);
}

/** The reference function's body, after checking that it takes the parameters the notebook's stub declares. */
function referenceBody(ref: Declaration, stub: ts.FunctionDeclaration): string {
  const fn = ref.node;
  if (!ts.isFunctionDeclaration(fn) || !fn.body) throw new Error(`reference '${ref.name}' is not a function with a body`);
  const names = (f: ts.FunctionDeclaration) => f.parameters.map((p) => p.name.getText()).join(', ');
  if (names(fn) !== names(stub)) {
    throw new Error(`exercise '${ref.name}': the notebook declares (${names(stub)}) but the reference takes (${names(fn)})`);
  }
  return fn.body.getText(ref.sourceFile);
}

/** Names declared at top level in every code cell of the notebook, and in its exercise cells alone. */
function notebookNames(nb: Notebook): { all: Set<string>; exercise: Set<string> } {
  const all = new Set<string>();
  const exercise = new Set<string>();
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const d of topLevelDeclarations(parse(`cell${i}.ts`, cellText(cell)))) {
      all.add(d.name);
      if (isExercise(cell)) exercise.add(d.name);
    }
  });
  return { all, exercise };
}

/**
 * The notebook with every exercise's stub replaced by the reference implementation, inlined as source together with
 * the helpers it needs (each helper once, before its first use). The notebook's signatures and doc comments stay. Interfaces the notebook already declares in its
 * exercise cells (e.g. AdamState) are kept as the notebook has them. Anything else that would clash with a name the
 * notebook declares is an error, since inlining it would silently redefine the notebook's own code.
 */
export function fillSolutions(nb: Notebook, exercises: string[], reference: Map<string, Declaration>): Notebook {
  const names = notebookNames(nb);
  const emitted = new Set<string>();
  const missing = new Set(exercises);

  const closure = (name: string, out: string[]) => {
    if (emitted.has(name)) return;
    const d = reference.get(name);
    if (!d) return;
    const isType = ts.isInterfaceDeclaration(d.node) || ts.isTypeAliasDeclaration(d.node);
    if (!exercises.includes(name) && names.all.has(name)) {
      if (isType && names.exercise.has(name)) return;
      throw new Error(`the reference helper '${name}' clashes with a name the notebook declares; rename one of them`);
    }
    emitted.add(name);
    for (const dep of identifiersIn(d.node)) if (dep !== name && !exercises.includes(dep)) closure(dep, out);
    out.push(withoutExport(d));
  };

  const cells = nb.cells.map((cell, i) => {
    if (!isExercise(cell)) return cell;
    const text = cellText(cell);
    const sf = parse(`cell${i}.ts`, text);
    const edits: { start: number; end: number; text: string }[] = [];
    for (const d of topLevelDeclarations(sf)) {
      if (!exercises.includes(d.name) || !ts.isFunctionDeclaration(d.node)) continue;
      if (!reference.has(d.name)) throw new Error(`exercise '${d.name}' has no reference implementation`);
      const helpers: string[] = [];
      for (const dep of identifiersIn(reference.get(d.name)!.node)) if (dep !== d.name && !exercises.includes(dep)) closure(dep, helpers);
      if (helpers.length) edits.push({ start: d.start, end: d.start, text: helpers.join('\n\n') + '\n\n' });
      // Only the body changes: the notebook's doc comment and signature are what the student sees and keeps.
      const body = (d.node as ts.FunctionDeclaration).body!;
      edits.push({ start: body.getStart(sf), end: body.end, text: referenceBody(reference.get(d.name)!, d.node as ts.FunctionDeclaration) });
      emitted.add(d.name);
      missing.delete(d.name);
    }
    let filled = text;
    for (const e of edits.sort((a, b) => b.start - a.start || b.end - a.end)) filled = filled.slice(0, e.start) + e.text + filled.slice(e.end);
    return { ...cell, source: toSource(filled) };
  });
  if (missing.size) throw new Error(`no exercise cell declares ${[...missing].join(', ')}`);
  return { ...nb, cells };
}
