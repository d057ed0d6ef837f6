import { printable, printableLines } from './printable';
import { resultFileNames } from './result-file-names';

// Results files get names any file system and tool accepts, distinct for distinct ids; printed ids cannot lie.

test('ordinary ids keep their own name; long, odd or case-colliding ids get a short hashed one', () => {
  const long = 'l'.repeat(252);
  const names = resultFileNames(['alice', 'emil.v2', long, "=2+5+cmd|' -C calc'!A0", 'c17-\u202Eecila', 'Alice', '.hidden', 'a\nb']);
  expect(names.slice(0, 2)).toEqual(['alice.json', 'emil.v2.json']);
  for (const n of names) {
    expect(Buffer.byteLength(n)).toBeLessThanOrEqual(255);
    expect(n).toMatch(/^[A-Za-z0-9][A-Za-z0-9._ -]*\.json$/);
  }
  expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  expect(names[2]).toMatch(/^l{40}-[0-9a-f]{12}\.json$/);
});

test("an id that imitates another id's hashed name does not take its file", () => {
  const [first] = resultFileNames(['l'.repeat(252)]);
  const names = resultFileNames(['l'.repeat(252), first.replace(/\.json$/, '')]);
  expect(names[0]).not.toBe(names[1]);
});

test('control characters and bidi overrides print as escapes; line breaks survive in multi-line text', () => {
  expect(printable('c17-\u202Eecila-ltr')).toBe('c17-\\u{202e}ecila-ltr');
  expect(printable('alice: 42/42\nbob')).toBe('alice: 42/42\\u{a}bob');
  expect(printableLines('line one\u001b[2J\nline two')).toBe('line one\\u{1b}[2J\nline two');
});
