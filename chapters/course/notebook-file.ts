import * as fs from 'fs';

// The parts of the nbformat 4 JSON the tools read and write.
export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
}

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the notebook (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text) as Notebook;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (!nb || !Array.isArray(nb.cells) || nb.nbformat !== 4) {
    throw new Error(`${file}: not an nbformat 4 notebook (no cells array or nbformat != 4)`);
  }
  return nb;
}

/** Writes with Jupyter's own layout (one-space indent, trailing newline) so saved notebooks diff cleanly. */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
}

export const cellText = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** nbformat stores source as lines that keep their '\n'. */
export const toSource = (text: string): string[] => text.split(/(?<=\n)/);

export const isExercise = (cell: Cell): boolean => cell.cell_type === 'code' && (cell.metadata.tags ?? []).includes('exercise');

export function outputText(o: Output): string {
  if (o.text !== undefined) return Array.isArray(o.text) ? o.text.join('') : o.text;
  const plain = o.data?.['text/plain'];
  return typeof plain === 'string' ? plain : Array.isArray(plain) ? plain.join('') : '';
}
