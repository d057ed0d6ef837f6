import * as path from 'path';
import { studentId } from './load-submission';

// One id per entry of a class folder. Two entries that would share an id (alice.ts and alice.ipynb) are both graded,
// each under its full entry name, with a warning that reaches the TA and both students; neither stops the class.

export type StudentEntry = { entry: string; id: string; warning?: string };

export function assignStudentIds(entries: string[]): StudentEntry[] {
  const byId = new Map<string, string[]>();
  for (const e of entries) byId.set(studentId(e), [...(byId.get(studentId(e)) ?? []), e]);
  const assigned = entries.map((entry): StudentEntry => {
    const id = studentId(entry);
    const sharing = byId.get(id)!;
    if (sharing.length === 1) return { entry, id };
    const names = sharing.map((e) => path.basename(e));
    return { entry, id: path.basename(entry), warning: `${names.join(' and ')} both give the student id "${id}"; each is graded under its full name` };
  });
  // A full name can still equal another entry's id (twin.ts beside twin.ts.ts): number the later ones.
  const taken = new Set<string>();
  for (const a of assigned) {
    let id = a.id;
    for (let k = 2; taken.has(id); k++) id = `${a.id}~${k}`;
    taken.add(id);
    a.id = id;
  }
  return assigned;
}
