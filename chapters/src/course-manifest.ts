import * as path from 'path';
import { COURSE_CHAPTERS, type CourseChapter } from '../course/chapters';

/** A chapter as the repository's tools see it: the shipped description plus where its reference functions live. */
export interface Chapter extends CourseChapter {
  /** The solutions area whose reference functions fill the exercises (a folder of solutions/src). */
  solutionsArea: string;
}

// Every chapter's reference functions live in the solutions folder named like its assignment.
export const CHAPTERS: Chapter[] = COURSE_CHAPTERS.map((c) => ({ ...c, solutionsArea: c.assignment }));

/** The chapters package folder (chapters/), whether running from src/ through ts-jest or from dist/src/. */
export const CHAPTERS_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const REPO_ROOT = path.resolve(CHAPTERS_ROOT, '..');

export const notebookPath = (c: Chapter, root = CHAPTERS_ROOT) => path.join(root, c.dir, c.notebook);
