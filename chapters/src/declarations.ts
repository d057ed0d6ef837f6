import * as ts from 'typescript';

/** A top-level declaration in a piece of TypeScript: its name, kind and where its text lies. */
export interface Declaration {
  name: string;
  node: ts.Statement;
  sourceFile: ts.SourceFile;
  /** Start of the declaration including its JSDoc comment. */
  start: number;
  end: number;
}

export const parse = (fileName: string, text: string): ts.SourceFile => ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

/** Top-level functions, classes, interfaces, type aliases, enums and variables declared in `sf`. */
export function topLevelDeclarations(sf: ts.SourceFile): Declaration[] {
  const out: Declaration[] = [];
  const add = (name: string, node: ts.Statement) => out.push({ name, node, sourceFile: sf, start: node.getStart(sf, true), end: node.end });
  for (const st of sf.statements) {
    if (
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name
    ) {
      add(st.name.text, st);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, st);
    }
  }
  return out;
}

/** Every identifier used inside `node`, as text. */
export function identifiersIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/** The declaration's text, JSDoc included, without any `export` keyword (notebook cells declare without exporting). */
export function withoutExport(d: Declaration): string {
  const text = d.sourceFile.text;
  const start = d.start;
  const mods = ts.canHaveModifiers(d.node) ? (ts.getModifiers(d.node) ?? []) : [];
  const exp = mods.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (!exp) return text.slice(start, d.end);
  const expStart = exp.getStart(d.sourceFile);
  let after = exp.end;
  while (/\s/.test(text[after])) after++;
  return text.slice(start, expStart) + text.slice(after, d.end);
}
