import { createHash } from 'crypto';

/**
 * SHA-256 (hex) of the values' little-endian bytes, whatever the machine's byte order: a short, exact identity for a
 * generated array, for tests and for notebooks that want to state which data they ran on.
 */
export function fingerprint(values: Float32Array | Int32Array): string {
  const bytes = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => {
    if (values instanceof Float32Array) bytes.setFloat32(i * 4, v, true);
    else bytes.setInt32(i * 4, v, true);
  });
  return createHash('sha256').update(new Uint8Array(bytes.buffer)).digest('hex');
}
