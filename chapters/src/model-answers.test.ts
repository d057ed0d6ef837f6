import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHAPTERS, notebookPath } from './course-manifest';
import { MODEL_ANSWER_TAG, isFreeResponse, modelAnswersFile, numberedItems, withModelAnswers } from './model-answers';
import { cellText, readNotebook, type Notebook } from './notebook-file';
import { studentNotebook } from './release';

describe.each(CHAPTERS)('$dir', (chapter) => {
  const nb = readNotebook(notebookPath(chapter));

  it('has a model answer for every free-response question, in the instructor form only', () => {
    const instructor = withModelAnswers(nb, chapter.dir);
    const questions = nb.cells.filter(isFreeResponse);
    const answers = instructor.cells.filter((c) => (c.metadata.tags ?? []).includes(MODEL_ANSWER_TAG));
    expect(answers).toHaveLength(questions.length);
    for (const q of questions) {
      const i = instructor.cells.indexOf(q);
      expect(instructor.cells[i + 1].id).toBe(`${q.id}-answers`);
      expect(numberedItems(cellText(instructor.cells[i + 1]))).toEqual(numberedItems(cellText(q)));
    }
    const released = JSON.stringify(studentNotebook(nb, chapter.exercises));
    expect(released).not.toContain(MODEL_ANSWER_TAG);
    for (const a of answers) expect(released).not.toContain(cellText(a).split('\n')[2]);
  });
});

describe('withModelAnswers', () => {
  const question = (id: string, text: string): Notebook['cells'][number] => ({
    cell_type: 'markdown',
    id,
    metadata: { tags: ['free-response'] },
    source: text,
  });
  const nb = (cells: Notebook['cells']): Notebook => ({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-answers-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // withModelAnswers reads solutions/free-response/<dir>.md; a chapter dir with '..' points it at the temporary folder.
  const chapterIn = (text: string) => {
    const name = `case-${fs.readdirSync(dir).length}`;
    fs.writeFileSync(path.join(dir, `${name}.md`), text);
    return path.relative(path.dirname(modelAnswersFile('x')), path.join(dir, name));
  };

  it('names the file and the cell when answers are missing, misnumbered or point at no cell', () => {
    const q = question('q1', '1. Why?\n2. How?\n');
    expect(() => withModelAnswers(nb([q]), chapterIn('# none\n'))).toThrow(/no model answers for the free-response cell 'q1'/);
    expect(() => withModelAnswers(nb([q]), chapterIn('## q1\n\n1. Because.\n'))).toThrow(/cell 'q1' asks questions 1, 2 but the answers are numbered 1/);
    expect(() => withModelAnswers(nb([q]), chapterIn('## q1\n1. a\n2. b\n## q9\n1. c\n'))).toThrow(/section 'q9' names no free-response cell/);
    const ok = withModelAnswers(nb([q]), chapterIn('## q1\n1. a\n2. b\n'));
    expect(ok.cells.map((c) => c.id)).toEqual(['q1', 'q1-answers']);
  });
});
