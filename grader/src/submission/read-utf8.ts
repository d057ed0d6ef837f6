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

function firstInvalidByte(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export function fileName(file: string): string {
  return file.split('/').pop()!;
}
