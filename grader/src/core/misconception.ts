// The misconception catalogue's types: a known wrong answer, what the feedback tells the student about it, and the
// section of the course that explains the right idea. Catalogues are data in each assignment's variants.

/** A place in the course: the chapter's folder (as in chapters/) and one of its notebook's headings, as written there. */
export type CourseSection = { chapter: string; heading: string };

/** `id` is unique within its assignment: `<function>.<variant>`, e.g. `adamWStep.l2-in-gradient`. */
export type Misconception = { id: string; says: string; section: CourseSection };

/** A misconception with the float64 version of the wrong answer it describes, to replay a failed case through. */
export type Variant<F> = Misconception & { fn: F };

type Draft<F> = { id: string; says: string; fn: F; section?: CourseSection };

/** Qualifies the ids of one function's variants and gives each the section that explains it (by default, `section`). */
export function variantsOf<F>(fn: string, section: CourseSection, drafts: Draft<F>[]): Variant<F>[] {
  return drafts.map((d) => ({ id: `${fn}.${d.id}`, says: d.says, section: d.section ?? section, fn: d.fn }));
}

/** An assignment's catalogue from its variant lists (a variant shared by two lists counts once); ids must be unique. */
export function catalogue(...lists: Misconception[][]): Misconception[] {
  const byId = new Map<string, Misconception>();
  for (const m of lists.flat()) {
    const seen = byId.get(m.id);
    if (seen && seen.says !== m.says) throw new Error(`misconception id ${m.id} is used for two different mistakes`);
    byId.set(m.id, { id: m.id, says: m.says, section: m.section });
  }
  return [...byId.values()];
}
