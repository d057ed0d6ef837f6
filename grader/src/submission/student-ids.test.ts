import { assignStudentIds } from './student-ids';

// Entries that would share an id are graded under distinct ids, each with a warning; no entry stops the class.

test('ids are the entry names without extension; shared ones become the full entry names, with a warning', () => {
  const ids = assignStudentIds(['/c/alice.ipynb', '/c/alice.ts', '/c/bob.ts', '/c/emil']);
  expect(ids.map((s) => s.id)).toEqual(['alice.ipynb', 'alice.ts', 'bob', 'emil']);
  expect(ids[0].warning).toBe('alice.ipynb and alice.ts both give the student id "alice"; each is graded under its full name');
  expect(ids[1].warning).toBe(ids[0].warning);
  expect(ids[2].warning).toBeUndefined();
});

test("a full name that equals another entry's id is numbered, so every id stays distinct", () => {
  const ids = assignStudentIds(['/c/twin.ts', '/c/twin.ts.ts', '/c/twin.ipynb']).map((s) => s.id);
  expect(new Set(ids).size).toBe(3);
});
