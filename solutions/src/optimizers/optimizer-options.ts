import * as tf from '@tensorflow/tfjs-node';
import { multiplyByScalar, type NativeBackend, type ResourceVariable } from './native-kernels';
import type { ScalarCache } from './scalar-cache';

/** Rejects misspelt options (`weight_decay`, `lr`) instead of silently using a default. */
export function checkKnownKeys(fn: string, o: unknown, known: string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new Error(`${fn}: options must be an object with any of ${known.join(', ')}`);
  }
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(`${fn}: unknown option(s) ${unknown.join(', ')}; expected any of ${known.join(', ')}`);
  }
}

/**
 * Points the kernel's resource variable at w * shrink. The product is a fresh buffer that only the variable holds
 * once the tfjs tensor is disposed, so the fused kernel then updates it in place. With shrink = 1 the variable
 * shares tfjs's buffer and TF copies it on write instead: one full pass either way.
 */
export function nativeStart(nb: NativeBackend, w: ResourceVariable, value: tf.Tensor, shrink: number, scalars: ScalarCache): void {
  if (shrink === 1) {
    w.writeUnlessShared(value);
    return;
  }
  const start = multiplyByScalar(nb, value, scalars.get(`shrink ${shrink}`, shrink));
  w.write(start);
  start.dispose();
}
