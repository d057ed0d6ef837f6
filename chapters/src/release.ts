import * as fs from 'fs';
import * as path from 'path';
import { CHAPTERS, CHAPTERS_ROOT, REPO_ROOT, notebookPath } from './course-manifest';
import { COURSE_KERNEL } from '../course/kernel-spec';
import { cellText, readNotebook, writeNotebook, type Notebook } from './notebook-file';
import { stubExercises } from './stub-exercises';

// What students receive: the notebooks with exercise stubs and no outputs, the compiled course helpers (plots, the
// public tests, `check`, the `npm run check` and `npm run lab` commands), the compiled workspace packages the
// notebooks import (datasets), the native-backend provisioning package, a package.json and a README. Nothing from solutions/ or grader/ is read here,
// so nothing from them can end up in the release.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- package.json files are free-form JSON
const pkg = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, any>;

/** Copies the .js and .d.ts files of a compiled folder (no source maps, which point back into the repository). */
function copyCompiled(from: string, to: string): void {
  if (!fs.existsSync(from)) throw new Error(`${from} is missing: build first (\`npm run build\` at the repository root, \`npx nx run chapters:build\`)`);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [src, dst] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) copyCompiled(src, dst);
    else if (/\.(js|d\.ts)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** The student form of a notebook: exercise stubs, no outputs or execution counts, the course's kernel named. */
export function studentNotebook(nb: Notebook, exercises: string[]): Notebook {
  const stubbed = stubExercises(nb, exercises);
  return {
    ...stubbed,
    metadata: { ...stubbed.metadata, kernelspec: COURSE_KERNEL },
    cells: stubbed.cells.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [], execution_count: null } : c)),
  };
}

const NATIVE_BACKEND = path.join(REPO_ROOT, 'tools', 'native-backend');
const NEVER_SHIPPED = ['@decaylab/solutions', '@decaylab/grader'];

/** A workspace package the notebooks import, shipped compiled in the release folder named like its repository folder. */
export interface ShippedPackage {
  name: string;
  /** Its folder in the repository, and (base name) in the release. */
  dir: string;
}

/** The workspace packages (other than the course itself) that the notebooks' code cells import, e.g. @decaylab/datasets. */
export function importedWorkspacePackages(): ShippedPackage[] {
  const workspaces = (pkg(REPO_ROOT).workspaces as string[]).map((w) => path.join(REPO_ROOT, w));
  const byName = new Map(workspaces.filter((d) => fs.existsSync(path.join(d, 'package.json'))).map((d) => [pkg(d).name as string, d]));
  const imported = new Set<string>();
  for (const c of CHAPTERS) {
    for (const cell of readNotebook(notebookPath(c)).cells) {
      if (cell.cell_type !== 'code') continue;
      for (const m of cellText(cell).matchAll(/\bfrom\s+'(@decaylab\/[^'/]+)/g)) imported.add(m[1]);
    }
  }
  imported.delete(pkg(CHAPTERS_ROOT).name);
  return [...imported].sort().map((name) => {
    if (NEVER_SHIPPED.includes(name)) throw new Error(`a notebook imports ${name}, which is never shipped to students`);
    const dir = byName.get(name);
    if (!dir) throw new Error(`a notebook imports ${name}, which is not a workspace package of the repository`);
    return { name, dir };
  });
}

export function buildRelease(out: string): string[] {
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} exists and is not empty; choose a new folder`);
  const root = pkg(REPO_ROOT);
  const chapters = pkg(CHAPTERS_ROOT);
  const native = pkg(NATIVE_BACKEND);
  const tfjsNode = root.dependencies['@tensorflow/tfjs-node'];

  for (const c of CHAPTERS) {
    const target = path.join(out, c.dir, c.notebook);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeNotebook(target, studentNotebook(readNotebook(notebookPath(c)), c.exercises));
  }
  copyCompiled(path.join(CHAPTERS_ROOT, 'dist', 'course'), path.join(out, 'course', 'dist'));
  writeJson(path.join(out, 'course', 'package.json'), {
    name: chapters.name,
    version: chapters.version,
    private: true,
    description: 'DecayLab course helpers: figures, public tests, check() and the check and lab commands.',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    bin: { 'decaylab-check': 'dist/check-cli.js', 'decaylab-lab': 'dist/lab-cli.js' },
    dependencies: { ...chapters.dependencies, '@tensorflow/tfjs-node': tfjsNode },
  });
  const shipped = importedWorkspacePackages();
  for (const p of shipped) {
    const manifest = pkg(p.dir);
    const target = path.join(out, path.basename(p.dir));
    copyCompiled(path.join(p.dir, 'dist'), path.join(target, 'dist'));
    if (fs.existsSync(path.join(p.dir, 'README.md'))) fs.copyFileSync(path.join(p.dir, 'README.md'), path.join(target, 'README.md'));
    // tfjs-core comes with tfjs-node: a peer dependency on it is met by the release's tfjs-node.
    writeJson(path.join(target, 'package.json'), {
      name: manifest.name,
      version: manifest.version,
      private: true,
      license: manifest.license,
      main: manifest.main,
      types: manifest.types,
      dependencies: { ...manifest.dependencies, '@tensorflow/tfjs-node': tfjsNode },
    });
  }
  // The provisioning package as it is in the repository, less its tests.
  for (const f of native.files as string[]) fs.cpSync(path.join(NATIVE_BACKEND, f), path.join(out, 'native-backend', f));
  const { scripts: _scripts, ...nativeManifest } = native;
  writeJson(path.join(out, 'native-backend', 'package.json'), nativeManifest);
  writeJson(path.join(out, 'package.json'), {
    name: 'decaylab-course',
    version: root.version,
    private: true,
    license: root.license,
    engines: root.engines,
    scripts: {
      postinstall: 'decaylab-native-backend',
      lab: 'decaylab-lab',
      check: 'decaylab-check',
    },
    // tfjs-node's own install script downloads libtensorflow from a host that no longer serves it; the postinstall
    // provisions it from the tensorflow-cpu wheel instead, as in the repository.
    allowScripts: root.allowScripts,
    dependencies: {
      '@decaylab/chapters': 'file:./course',
      ...Object.fromEntries(shipped.map((p) => [p.name, `file:./${path.basename(p.dir)}`])),
      '@decaylab/native-backend': 'file:./native-backend',
      '@tensorflow/tfjs-node': tfjsNode,
      tslab: chapters.dependencies.tslab,
    },
  });
  fs.copyFileSync(path.join(CHAPTERS_ROOT, 'release-readme.md'), path.join(out, 'README.md'));
  return listFiles(out);
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
