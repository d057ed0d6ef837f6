import type * as TypeScript from 'typescript';
import type { SourceLine } from './extract-notebook';

// Turns a submission's TypeScript (or JavaScript) into the CommonJS module the worker loads. Only syntax is checked,
// as in the workspace's Jest transform: behaviour is what the hidden tests grade, and a type error that would still
// run is not a reason for a zero. TypeScript is loaded at the first compile, not with the module: `decaylab grade`
// starts its lane before it compiles, and loading TypeScript is most of a second.

export type Compiled = { js: string } | { error: string };

let ts: typeof TypeScript;

export function compileSubmission(source: string, name: string, lineMap?: SourceLine[]): Compiled {
  ts ??= require('typescript') as typeof TypeScript;
  const options: TypeScript.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true };
  const fileName = name.endsWith('.js') ? 'submission.js' : 'submission.ts';
  const withExports = lineMap ? source + '\n' + exportDeclaredNames(source) : source;
  const out = ts.transpileModule(withExports, { compilerOptions: options, fileName, reportDiagnostics: true });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && inStudentCode(d, lineMap));
  if (errors.length === 0) return { js: out.outputText };
  const shown = errors.slice(0, 5).map((d) => `${where(d, name, lineMap)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  const more = errors.length > 5 ? `\n(and ${errors.length - 5} more)` : '';
  return { error: `${name} does not compile:\n${shown.join('\n')}${more}` };
}

/** Errors the grader's appended export line inherits from an earlier error are not the student's to read. */
function inStudentCode(d: TypeScript.Diagnostic, lineMap?: SourceLine[]): boolean {
  if (!lineMap || !d.file || d.start === undefined) return true;
  return d.file.getLineAndCharacterOfPosition(d.start).line < lineMap.length;
}

function where(d: TypeScript.Diagnostic, name: string, lineMap?: SourceLine[]): string {
  if (!d.file || d.start === undefined) return name;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const mapped = lineMap?.[line];
  if (mapped) return `cell ${mapped.cell}, line ${mapped.line}`;
  return `line ${line + 1}, column ${character + 1}`;
}

/** Notebook cells declare names at top level without `export`; the grader exports every such name. */
function exportDeclaredNames(source: string): string {
  const sf = ts.createSourceFile('cells.ts', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported) continue;
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.add(st.name.text);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    }
  }
  return names.size ? `export { ${[...names].join(', ')} };\n` : 'export {};\n';
}
