import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fillSolutions, loadReferenceDeclarations } from './fill-solutions';
import { cellText, toSource, type Notebook } from './notebook-file';

// fillSolutions on a small reference area written here: helpers followed through relative imports, and the errors
// for a mismatched signature, a name clash and a foreign import.

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function area(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-area-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const notebook = (...cells: [string, boolean][]): Notebook => ({
  cells: cells.map(([src, ex]) => ({
    cell_type: 'code',
    source: toSource(src),
    metadata: ex ? { tags: ['exercise'] } : {},
    outputs: [],
    execution_count: null,
  })),
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

const ref = {
  'double.ts':
    "import * as tf from '@tensorflow/tfjs-node';\nimport { check } from './check';\n/** ref doc */\nexport function double(x: tf.Tensor): tf.Tensor {\n  check(x);\n  return x.mul(2);\n}\n",
  'check.ts': "export function check(x: unknown): void {\n  if (x == null) throw new Error('double: x is required');\n}\n",
};
const stub =
  "import * as tf from '@tensorflow/tfjs-node';\n/** notebook doc */\nfunction double(x: tf.Tensor): tf.Tensor {\n  throw new Error('double: not implemented yet');\n}\n";

describe('fillSolutions', () => {
  it('puts the reference body under the notebook signature and inlines the helper before it', () => {
    const filled = cellText(fillSolutions(notebook([stub, true]), ['double'], loadReferenceDeclarations(area(ref))).cells[0]);
    expect(filled).toBe(
      "import * as tf from '@tensorflow/tfjs-node';\nfunction check(x: unknown): void {\n  if (x == null) throw new Error('double: x is required');\n}\n\n" +
        '/** notebook doc */\nfunction double(x: tf.Tensor): tf.Tensor {\n  check(x);\n  return x.mul(2);\n}\n',
    );
  });

  it('refuses a stub whose parameters differ from the reference', () => {
    const other = stub.replace('double(x: tf.Tensor)', 'double(t: tf.Tensor)');
    expect(() => fillSolutions(notebook([other, true]), ['double'], loadReferenceDeclarations(area(ref)))).toThrow(
      "exercise 'double': the notebook declares (t) but the reference takes (x)",
    );
  });

  it('refuses to inline a helper whose name the notebook already uses', () => {
    const nb = notebook(['const check = 1;', false], [stub, true]);
    expect(() => fillSolutions(nb, ['double'], loadReferenceDeclarations(area(ref)))).toThrow(/reference helper 'check' clashes/);
  });

  it('refuses reference code that imports anything but tfjs-node', () => {
    expect(() => loadReferenceDeclarations(area({ ...ref, 'check.ts': "import * as fs from 'fs';\nexport const check = fs.existsSync;\n" }))).toThrow(
      /imports 'fs'; reference code for notebooks may import only '@tensorflow\/tfjs-node'/,
    );
  });

  it('reports an exercise no cell declares', () => {
    expect(() => fillSolutions(notebook([stub, true]), ['double', 'triple'], loadReferenceDeclarations(area(ref)))).toThrow(/no exercise cell declares triple/);
  });
});
