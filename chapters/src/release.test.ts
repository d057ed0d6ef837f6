import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHAPTERS, REPO_ROOT, notebookPath } from './course-manifest';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { parse, topLevelDeclarations } from './declarations';
import { collapse, secretStrings, solutionBodies } from './leak-scan';
import { cellText, isExercise, readNotebook } from './notebook-file';
import { buildRelease, importedWorkspacePackages } from './release';
import { stubExercises } from './stub-exercises';

/** What a reader of the file sees: a notebook's cell sources (its JSON escapes newlines), other files as they are. */
const readable = (file: string) => collapse(file.endsWith('.ipynb') ? readNotebook(file).cells.map(cellText).join('\n') : fs.readFileSync(file, 'utf8'));

describe('the student release', () => {
  let out: string;
  let files: string[];
  let text: Map<string, string>;
  beforeAll(() => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-release-')), 'course');
    files = buildRelease(out);
    text = new Map(files.map((f) => [f, readable(f)]));
  });
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it('has the three notebooks, the course helpers with the public tests, the datasets and a README', () => {
    const rel = files.map((f) => path.relative(out, f));
    for (const c of CHAPTERS) expect(rel).toContain(path.join(c.dir, c.notebook));
    for (const f of ['README.md', 'package.json', 'course/dist/check.js', 'course/dist/public-tests/norms.js', 'datasets/dist/index.js']) {
      expect(rel).toContain(f);
    }
  });

  it("ships the native-backend provisioning as its own package and runs it instead of tfjs-node's own install script", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(out, 'native-backend', 'package.json'), 'utf8'));
    expect(shipped).toMatchObject({ name: '@decaylab/native-backend', bin: { 'decaylab-native-backend': 'provision.js' } });
    expect(fs.readFileSync(path.join(out, 'native-backend', 'provision.js'), 'utf8')).toBe(
      fs.readFileSync(path.join(REPO_ROOT, 'tools', 'native-backend', 'provision.js'), 'utf8'),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@decaylab/native-backend']).toBe('file:./native-backend');
    expect(manifest.scripts).toEqual({ postinstall: 'decaylab-native-backend', lab: 'decaylab-lab', check: 'decaylab-check' });
    expect(manifest.allowScripts['@tensorflow/tfjs-node']).toBe(false);
  });

  it('ships every exercise as a stub, with no outputs', () => {
    for (const c of CHAPTERS) {
      const nb = readNotebook(path.join(out, c.dir, c.notebook));
      expect(stubExercises(nb, c.exercises).cells.map(cellText)).toEqual(nb.cells.map(cellText));
      const declared = nb.cells.filter(isExercise).flatMap((cell) => topLevelDeclarations(parse('cell.ts', cellText(cell))).map((d) => d.name));
      for (const e of c.exercises) expect(declared).toContain(e);
      for (const cell of nb.cells) expect(cell.outputs ?? []).toEqual([]);
    }
  });

  it('ships each workspace package the notebooks import, and nothing else of the workspace', () => {
    expect(importedWorkspacePackages().map((p) => p.name)).toContain('@decaylab/datasets');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
    for (const p of importedWorkspacePackages()) {
      expect(manifest.dependencies[p.name]).toBe(`file:./${path.basename(p.dir)}`);
      expect(fs.existsSync(path.join(out, path.basename(p.dir), 'dist', 'index.js'))).toBe(true);
    }
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@decaylab/')).length).toBe(importedWorkspacePackages().length + 2);
  });

  it('has no file from solutions/ or grader/, no test files and no dependency on them', () => {
    for (const f of files.map((x) => path.relative(out, x))) expect(f).not.toMatch(/solutions|grader|hidden|\.test\.|\.map$/);
    const pkgs = files.filter((f) => f.endsWith('package.json')).map((f) => fs.readFileSync(f, 'utf8'));
    for (const p of pkgs) expect(p).not.toMatch(/@decaylab\/(solutions|grader)/);
  });

  it('contains no reference function body from solutions/src', () => {
    const bodies = solutionBodies();
    expect(bodies.length).toBeGreaterThan(20);
    // The scan must see a leak where there is one: every chapter's solved form gives itself away.
    for (const c of CHAPTERS) {
      const reference = loadReferenceDeclarations(path.join(REPO_ROOT, 'solutions', 'src', c.solutionsArea));
      const solved = collapse(
        fillSolutions(readNotebook(notebookPath(c)), c.exercises, reference)
          .cells.map(cellText)
          .join('\n'),
      );
      expect(bodies.some((b) => solved.includes(b))).toBe(true);
    }
    for (const [file, content] of text) {
      const leaked = bodies.find((b) => content.includes(b));
      if (leaked) throw new Error(`${path.relative(out, file)} contains solutions code: ${leaked.slice(0, 120)}`);
    }
  });

  it('contains no test title or message from solutions/src or the grader', () => {
    const secret = secretStrings();
    expect(secret.length).toBeGreaterThan(20);
    for (const [file, content] of text) {
      const leaked = secret.find((s) => content.includes(s));
      if (leaked) throw new Error(`${path.relative(out, file)} contains '${leaked}' from solutions/ or grader/`);
    }
  });

  it('refuses to write into a folder that is not empty', () => {
    expect(() => buildRelease(out)).toThrow(/exists and is not empty/);
  });
});
