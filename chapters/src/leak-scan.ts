import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from './course-manifest';
import { parse } from './declarations';
import { importedWorkspacePackages, listFiles } from './release';

// What must never reach students (the release, the website): the reference solutions and the grader's hidden tests.
// It is collected from those folders themselves, so the scan keeps up as they grow: every function body of
// solutions/src, and every string literal of 30+ characters (test titles, messages) from solutions/src and grader/src
// that the shipped sources and the committed (student-form) notebooks do not also contain: a string the notebooks
// themselves show, such as a heading the grader links its feedback to, is public by definition.

export const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const sources = (dir: string) => listFiles(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

function functionBodies(file: string): string[] {
  const sf = parse(file, fs.readFileSync(file, 'utf8'));
  const bodies: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n)) && n.body) {
      const text = collapse(n.body.getText(sf));
      if (text.length >= 60) bodies.push(text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return bodies;
}

function longStrings(file: string): string[] {
  const sf = parse(file, fs.readFileSync(file, 'utf8'));
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.text.length >= 30) found.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** Every function body (whitespace collapsed) of the reference solutions. */
export const solutionBodies = (): string[] => sources(path.join(REPO_ROOT, 'solutions', 'src')).flatMap(functionBodies);

/** Test titles and messages of solutions/ and the grader that nothing shipped contains. */
export function secretStrings(): string[] {
  const shipped = new Set(
    [
      ...importedWorkspacePackages().flatMap((p) => sources(path.join(p.dir, 'src'))),
      ...sources(path.join(REPO_ROOT, 'chapters', 'course')),
      path.join(REPO_ROOT, 'tools', 'native-backend', 'provision.js'),
    ]
      .flatMap(longStrings)
      .map(collapse),
  );
  const notebooks = committedNotebookText();
  return [...sources(path.join(REPO_ROOT, 'solutions', 'src')), ...sources(path.join(REPO_ROOT, 'grader', 'src'))]
    .flatMap(longStrings)
    .map(collapse)
    .filter((s) => !shipped.has(s) && !notebooks.includes(s) && /[a-z]{3}/i.test(s));
}

/** The cells of the committed notebooks (the student form), whitespace collapsed. */
function committedNotebookText(): string {
  const chapters = path.join(REPO_ROOT, 'chapters');
  const notebooks = fs
    .readdirSync(chapters)
    .filter((d) => /^\d\d-/.test(d))
    .flatMap((d) =>
      fs
        .readdirSync(path.join(chapters, d))
        .filter((f) => f.endsWith('.ipynb'))
        .map((f) => path.join(chapters, d, f)),
    );
  const cellText = (file: string) =>
    (JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { source: string | string[] }[] }).cells.map((c) =>
      Array.isArray(c.source) ? c.source.join('') : c.source,
    );
  return collapse(notebooks.flatMap(cellText).join('\n'));
}
