import { createRequire } from 'module';
import * as path from 'path';
import * as ts from 'typescript';
import * as vm from 'vm';
import { cellText, isExercise, readNotebook } from './notebook-file';
import { messageOf } from './public-tests/harness';

// What `npm run check` grades in a saved notebook: its code cells tagged `exercise`, in notebook order, as one
// TypeScript module (the grader's rule), compiled and run in this process so the public tests get its functions.

/**
 * The functions `names` as declared by the notebook's exercise cells; a missing name is simply absent. The cells'
 * imports resolve from this package, wherever the notebook is, so they get the TensorFlow.js the public tests use.
 */
export function loadExercises(file: string, names: string[], resolveFrom: NodeJS.Require = createRequire(__filename)): Record<string, unknown> {
  const nb = readNotebook(file);
  const cells = nb.cells.filter(isExercise);
  if (cells.length === 0) throw new Error(`${file}: no code cell is tagged "exercise"; the exercise cells hold your functions`);
  const source = cells.map(cellText).join('\n');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: 'exercises.ts',
    reportDiagnostics: true,
  });
  const syntax = (out.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax) {
    const at = syntax.file && syntax.start !== undefined ? syntax.file.getLineAndCharacterOfPosition(syntax.start).line + 1 : 0;
    throw new Error(
      `${file}: the exercise cells do not compile (line ${at} of the exercise cells): ${ts.flattenDiagnosticMessageText(syntax.messageText, ' ')}`,
    );
  }
  // Names the cells declare without exporting them, collected after the module body has run.
  const collect = names.map((n) => `exports[${JSON.stringify(n)}] = typeof ${n} === 'undefined' ? undefined : ${n};`).join('\n');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${out.outputText}\n${collect}\n})`;
  const moduleFile = path.resolve(file);
  const mod = { exports: {} as Record<string, unknown> };
  const run = vm.runInThisContext(wrapped, { filename: `${moduleFile} (exercise cells)` }) as (...a: unknown[]) => void;
  try {
    run(mod.exports, resolveFrom, mod, moduleFile, path.dirname(moduleFile));
  } catch (e) {
    throw new Error(`${file}: running the exercise cells failed: ${messageOf(e)}`, { cause: e });
  }
  return mod.exports;
}
