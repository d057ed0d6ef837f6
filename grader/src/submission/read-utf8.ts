import * as fs from 'fs';

/** Reads a text file that must be UTF-8; returns a message naming the problem otherwise. */
export function readUtf8(file: string): { text: string } | { error: string } {
  const bytes = fs.readFileSync(file);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, '') };
  } catch {
    const at = firstInvalidByte(bytes);
    return { error: `${fileName(file)} is not valid UTF-8 text (first bad byte at offset ${at}); save it as UTF-8` };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return i;
}

export function fileName(file: string): string {
  return file.split('/').pop()!;
}
