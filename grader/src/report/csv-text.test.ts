import { csvText, neutraliseCell } from './csv-text';

// CSV injection (OWASP): a text cell that a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers.

test('text cells that start like a formula are neutralised, others are left alone', () => {
  for (const cell of ["=2+5+cmd|' -C calc'!A0", '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCell(cell)).toBe(`'${cell}`);
  for (const cell of ['alice', 'c17', '', "'quoted"]) expect(neutraliseCell(cell)).toBe(cell);
});

test('every text cell of a CSV is neutralised, numbers are written as numbers', () => {
  const text = csvText([
    ['student', 'score'],
    ['=HYPERLINK("x")', -3],
    ['bob', 42],
  ]);
  expect(text).toBe('student,score\n"\'=HYPERLINK(""x"")",-3\nbob,42\n');
});
