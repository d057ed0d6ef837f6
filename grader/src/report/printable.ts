// Text from submissions (ids are file names) printed to a terminal: control characters and bidirectional overrides
// are shown as \u{…} escapes, so a name cannot add lines, move the cursor or display as someone else's
// ("c17-\u202Eecila-ltr" shows as "c17-rtl-alice").

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Multi-line text: each line made printable, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
