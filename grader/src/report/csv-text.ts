import { stringify } from 'csv-stringify/sync';

// Every CSV the grader writes goes through here: a text cell that a spreadsheet would read as a formula (it starts
// with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP's CSV-injection guidance says.
// Numbers stay numbers.

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvText(rows: (string | number)[][]): string {
  return stringify(rows, { cast: { string: neutraliseCell } });
}
