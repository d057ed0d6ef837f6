import * as fs from 'fs';
import { parse } from 'csv-parse/sync';
import { STUDENT_ID } from './protocol';

// A course roster: a CSV file with a header row and a `student` column (other columns are ignored).

export class RosterError extends Error {}

export function readRoster(file: string): string[] {
  let records: Record<string, string>[];
  try {
    records = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new RosterError(`${file}: not a readable CSV file (${(e as Error).message.split('\n')[0]})`);
  }
  if (records.length === 0) throw new RosterError(`${file}: no students (expected a header row with a "student" column, then one row per student)`);
  if (!('student' in records[0])) throw new RosterError(`${file}: no "student" column in the header (found: ${Object.keys(records[0]).join(', ')})`);
  const students = records.map((r) => r.student);
  students.forEach((s, i) => {
    if (!STUDENT_ID.test(s)) throw new RosterError(`${file}, row ${i + 2}: student id "${s}" is not allowed (letters, digits, '.', '_', '-'; at most 64)`);
  });
  const duplicate = students.find((s, i) => students.indexOf(s) !== i);
  if (duplicate) throw new RosterError(`${file}: student "${duplicate}" is listed twice`);
  return students;
}
