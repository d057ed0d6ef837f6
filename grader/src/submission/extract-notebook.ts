import { compileOnFirstUse } from '../core/compiled-schema';

// A notebook submission becomes a module made of its code cells tagged `exercise`, in order. The line map lets
// compiler messages point at the notebook cell and the line inside it.

export type SourceLine = { cell: number; line: number };
export type ExtractedNotebook = { source: string; lines: SourceLine[]; exerciseCells: number };

/** The part of nbformat 4 the grader relies on (the full schema allows much more; extra fields are fine). */
const notebookSchema = {
  type: 'object',
  required: ['nbformat', 'cells'],
  properties: {
    nbformat: { const: 4 },
    cells: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cell_type', 'source'],
        properties: {
          cell_type: { enum: ['code', 'markdown', 'raw'] },
          source: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
          metadata: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
  },
} as const;

/** Compiled at the first notebook: a lane imports this module only for studentId, and the compile is tens of ms. */
const notebookValidator = compileOnFirstUse(notebookSchema, { allErrors: false });

type Cell = { cell_type: string; source: string | string[]; metadata?: { tags?: string[] } };

export function extractNotebook(text: string, name: string): ExtractedNotebook | { error: string } {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    return { error: `${name} is not a valid notebook: it is not valid JSON (${(e as Error).message})` };
  }
  const { validate } = notebookValidator();
  if (!validate(nb)) {
    const err = validate.errors![0];
    const where = err.instancePath ? ` at ${err.instancePath}` : '';
    return { error: `${name} is not a valid nbformat 4 notebook: ${err.message}${where}` };
  }
  const cells = (nb as { cells: Cell[] }).cells;
  const parts: string[] = [];
  const lines: SourceLine[] = [];
  let exerciseCells = 0;
  cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code' || !(cell.metadata?.tags ?? []).includes('exercise')) return;
    exerciseCells++;
    const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const cellLines = src.split('\n');
    cellLines.forEach((_, i) => lines.push({ cell: index + 1, line: i + 1 }));
    parts.push(cellLines.join('\n'));
  });
  if (exerciseCells === 0) {
    return { error: `${name} has no code cell tagged "exercise" (add the tag in the cell's metadata.tags)` };
  }
  return { source: parts.join('\n'), lines, exerciseCells };
}
