import { createHash } from 'crypto';
import { isTypedArray } from './validate';

/**
 * SHA-256 (hex) of the values' little-endian bytes, whatever the machine's byte order: a short, exact identity for a
 * generated array, for tests and for notebooks that want to state which data they ran on. Only the bytes count: an
 * Int32Array and a Float32Array with the same bits hash alike.
 */
export function fingerprint(values: Float32Array | Int32Array): string {
  const isFloat = isTypedArray(values, 'Float32Array');
  if (!isFloat && !isTypedArray(values, 'Int32Array')) {
    throw new Error('fingerprint: values must be a Float32Array or an Int32Array');
  }
  const bytes = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) {
    if (isFloat) bytes.setFloat32(i * 4, values[i], true);
    else bytes.setInt32(i * 4, values[i], true);
  }
  return createHash('sha256').update(new Uint8Array(bytes.buffer)).digest('hex');
}
