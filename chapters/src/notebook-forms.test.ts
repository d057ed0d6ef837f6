import * as path from 'path';
import { CHAPTERS, REPO_ROOT, notebookPath } from './course-manifest';
import * as ts from 'typescript';
import { parse, topLevelDeclarations, type Declaration } from './declarations';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { sourceProblems } from './execute-chapters';
import { cellText, isExercise, readNotebook, type Notebook } from './notebook-file';
import { stubExercises } from './stub-exercises';

const exerciseSource = (nb: Notebook) => nb.cells.filter(isExercise).map(cellText).join('\n');
const declarations = (src: string) => topLevelDeclarations(parse('m.ts', src));
const textOf = (d: Declaration) => d.sourceFile.text.slice(d.start, d.end);

describe.each(CHAPTERS)('$dir', (chapter) => {
  let nb: Notebook;
  let reference: Map<string, Declaration>;
  beforeAll(() => {
    nb = readNotebook(notebookPath(chapter));
    reference = loadReferenceDeclarations(path.join(REPO_ROOT, 'solutions', 'src', chapter.solutionsArea));
  });

  it('is committed clean, in the student form, with every exercise declared once in an exercise cell', () => {
    expect(sourceProblems(nb, chapter)).toEqual([]);
    const names = declarations(exerciseSource(nb)).map((d) => d.name);
    for (const e of chapter.exercises) expect(names.filter((n) => n === e)).toHaveLength(1);
    expect(exerciseSource(nb).startsWith("import * as tf from '@tensorflow/tfjs-node';")).toBe(true);
  });

  it('the solved form inlines each reference function and its helpers once, leaving no stub', () => {
    const filled = exerciseSource(fillSolutions(nb, chapter.exercises, reference));
    expect(filled).not.toMatch(/not implemented yet/);
    const names = declarations(filled).map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of chapter.exercises) {
      const ref = reference.get(e)!.node as ts.FunctionDeclaration;
      expect(filled).toContain(ref.body!.getText(reference.get(e)!.sourceFile));
    }
  });

  it('stubbing the solved form gives back the committed exercise stubs', () => {
    const stubbed = declarations(exerciseSource(stubExercises(fillSolutions(nb, chapter.exercises, reference), chapter.exercises)));
    const committed = new Map(declarations(exerciseSource(nb)).map((d) => [d.name, textOf(d)]));
    for (const e of chapter.exercises) expect(textOf(stubbed.find((d) => d.name === e)!)).toBe(committed.get(e));
  });
});
