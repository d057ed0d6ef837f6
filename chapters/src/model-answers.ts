import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './course-manifest';
import { cellText, toSource, type Cell, type Notebook } from './notebook-file';

// Free-response questions sit in markdown cells tagged `free-response`; their model answers live on the instructor
// side (solutions/free-response/<chapter dir>.md), never in the committed notebooks, so the student release cannot
// carry them. The instructor form is the solved form with each answer cell inserted after its question.

export const FREE_RESPONSE_TAG = 'free-response';
export const MODEL_ANSWER_TAG = 'model-answer';

export const isFreeResponse = (cell: Cell): boolean => cell.cell_type === 'markdown' && (cell.metadata.tags ?? []).includes(FREE_RESPONSE_TAG);

export const modelAnswersFile = (chapterDir: string): string => path.join(REPO_ROOT, 'solutions', 'free-response', `${chapterDir}.md`);

/** Numbered items ("1. ", "2. ", ...) at the start of a line: the questions of a cell, or the answers of a section. */
export const numberedItems = (text: string): number[] => [...text.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));

/** The `## <cell id>` sections of a model-answers file, by cell id. */
export function readModelAnswers(file: string): Map<string, string> {
  if (!fs.existsSync(file)) return new Map();
  const sections = new Map<string, string>();
  for (const part of fs.readFileSync(file, 'utf8').split(/^## /m).slice(1)) {
    const [id, ...body] = part.split('\n');
    if (sections.has(id.trim())) throw new Error(`${file}: two sections for cell '${id.trim()}'`);
    sections.set(id.trim(), body.join('\n').trim());
  }
  return sections;
}

/**
 * Inserts, after every free-response cell, a markdown cell with its model answers. Throws, naming the file, when a
 * question cell has no answers, when their numbers do not match the questions', or when a section names no such cell.
 */
export function withModelAnswers(nb: Notebook, chapterDir: string): Notebook {
  const file = modelAnswersFile(chapterDir);
  const answers = readModelAnswers(file);
  const questionIds = nb.cells.filter(isFreeResponse).map((c) => c.id ?? '');
  for (const id of answers.keys()) if (!questionIds.includes(id)) throw new Error(`${file}: section '${id}' names no free-response cell of the notebook`);
  const cells = nb.cells.flatMap((cell) => {
    if (!isFreeResponse(cell)) return [cell];
    const text = answers.get(cell.id ?? '');
    if (text === undefined) throw new Error(`${file}: no model answers for the free-response cell '${cell.id}'`);
    const [asked, answered] = [numberedItems(cellText(cell)), numberedItems(text)];
    if (asked.join() !== answered.join()) {
      throw new Error(`${file}: cell '${cell.id}' asks questions ${asked.join(', ')} but the answers are numbered ${answered.join(', ')}`);
    }
    const answer: Cell = {
      cell_type: 'markdown',
      id: `${cell.id}-answers`,
      metadata: { tags: [MODEL_ANSWER_TAG] },
      source: toSource(`**Model answers** (instructor form)\n\n${text}\n`),
    };
    return [cell, answer];
  });
  return { ...nb, cells };
}
