import * as fs from 'fs';

// Reads one submission file as UTF-8 text, trusting nothing about it: it must be a regular file reached without
// following a symbolic link (O_NOFOLLOW; a FIFO or device is refused after a non-blocking open, so it cannot hang the
// grader), of bounded size, and valid UTF-8 by the platform's own decoder. Otherwise the message says which and where.

const MAX_SUBMISSION_BYTES = 32 * 1024 * 1024;

export function readSubmissionText(file: string, shownName: string): { text: string } | { error: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { error: `${shownName} is a symbolic link; submit the file itself` };
    return { error: `${shownName} cannot be read (${code ?? (e as Error).message})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { error: `${shownName} is not a regular file` };
    if (stat.size > MAX_SUBMISSION_BYTES) return { error: `${shownName} is larger than ${MAX_SUBMISSION_BYTES >> 20} MB; a submission is source code` };
    return decodeUtf8(fs.readFileSync(fd), shownName);
  } finally {
    fs.closeSync(fd);
  }
}

function decodeUtf8(bytes: Uint8Array, shownName: string): { text: string } | { error: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    const at = firstInvalidOffset(bytes);
    const { line, column } = lineAndColumn(bytes, at);
    return { error: `${shownName} is not valid UTF-8 text (line ${line}, column ${column}, byte offset ${at}); save it as UTF-8` };
  }
}

const decodesAsPrefix = (bytes: Uint8Array, end: number): boolean => decodes(bytes.subarray(0, end), true);
const decodesWhole = (bytes: Uint8Array, end: number): boolean => decodes(bytes.subarray(0, end), false);

function decodes(bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the first ill-formed sequence starts, as the platform decoder sees it. A prefix that decodes in streaming
 * mode stays decodable when cut shorter, so the shortest failing prefix is found by bisection; the error is then in its
 * last byte, or in the multi-byte sequence that byte was meant to continue (whose lead is at most 3 bytes back).
 */
export function firstInvalidOffset(bytes: Uint8Array): number {
  let end = bytes.length;
  if (!decodesAsPrefix(bytes, end)) {
    let lo = 0;
    while (end - lo > 1) {
      const mid = (lo + end) >> 1;
      if (decodesAsPrefix(bytes, mid)) lo = mid;
      else end = mid;
    }
    end -= 1;
  }
  if (decodesWhole(bytes, end)) return end;
  let lead = end - 1;
  while (lead > 0 && lead > end - 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  return lead;
}

function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  // lastIndexOf counts a negative start from the end.
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: [...before].length + 1 };
}
