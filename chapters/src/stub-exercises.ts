import * as ts from 'typescript';
import { parse, topLevelDeclarations } from './declarations';
import { cellText, isExercise, toSource, type Notebook } from './notebook-file';

export const stubMessage = (name: string) => `${name}: not implemented yet`;

/**
 * The student form: in exercise cells, the body of every exercise function becomes a stub that throws
 * "<name>: not implemented yet". Signatures, doc comments and given code stay as they are.
 */
export function stubExercises(nb: Notebook, exercises: string[]): Notebook {
  const cells = nb.cells.map((cell, i) => {
    if (!isExercise(cell)) return cell;
    const text = cellText(cell);
    const sf = parse(`cell${i}.ts`, text);
    const bodies = topLevelDeclarations(sf)
      .filter((d) => exercises.includes(d.name) && ts.isFunctionDeclaration(d.node) && d.node.body)
      .map((d) => (d.node as ts.FunctionDeclaration).body!)
      .sort((a, b) => b.getStart(sf) - a.getStart(sf));
    let out = text;
    for (const body of bodies) {
      const name = ((body.parent as ts.FunctionDeclaration).name as ts.Identifier).text;
      out = out.slice(0, body.getStart(sf)) + `{\n  throw new Error('${stubMessage(name)}');\n}` + out.slice(body.end);
    }
    return { ...cell, source: toSource(out), outputs: [], execution_count: null };
  });
  return { ...nb, cells };
}
