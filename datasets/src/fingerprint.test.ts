import { createHash } from 'crypto';
import * as tf from '@tensorflow/tfjs-node';
import { fingerprint } from './fingerprint';

const sha256 = (bytes: number[]): string => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

describe('fingerprint', () => {
  it('hashes the little-endian bytes of float32 and int32 values', () => {
    // 1.0f = 0x3f800000 and -2 = 0xfffffffe, written least significant byte first.
    expect(fingerprint(new Float32Array([1, 0]))).toBe(sha256([0x00, 0x00, 0x80, 0x3f, 0, 0, 0, 0]));
    expect(fingerprint(new Int32Array([-2]))).toBe(sha256([0xfe, 0xff, 0xff, 0xff]));
    expect(fingerprint(new Float32Array(0))).toBe(sha256([]));
  });

  it('hashes bytes only, and notices a one-ulp change', () => {
    const a = new Float32Array([0.1, 0.2]);
    const b = a.slice();
    b[1] = Math.fround(b[1] + 2 ** -26);
    expect(b[1]).not.toBe(a[1]);
    expect(fingerprint(b)).not.toBe(fingerprint(a));
    expect(fingerprint(new Int32Array([0x3f800000]))).toBe(fingerprint(new Float32Array([1])));
  });

  it('accepts typed arrays from the native backend (another realm under Jest)', () => {
    const t = tf.tensor1d([1, 0], 'float32');
    expect(fingerprint(t.dataSync() as Float32Array)).toBe(fingerprint(new Float32Array([1, 0])));
    t.dispose();
  });

  it('rejects other inputs', () => {
    expect(() => fingerprint([1, 2] as unknown as Float32Array)).toThrow(/fingerprint: values must be a Float32Array or an Int32Array/);
    expect(() => fingerprint(new Float64Array(2) as unknown as Float32Array)).toThrow(/fingerprint: values/);
  });
});
