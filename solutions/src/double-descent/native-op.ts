import * as tf from '@tensorflow/tfjs-node';

/** An attribute of a libtensorflow op, as the tfjs-node binding takes it. */
export interface NativeOpAttr {
  name: string;
  type: number;
  value: boolean | number;
}

interface NativeBackend {
  binding: { TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: NativeOpAttr[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

/**
 * Runs libtensorflow's float32 op `op` directly, for the linear algebra tfjs lacks (Svd, Cholesky, triangular solves).
 * `flags` become boolean attributes. Requires the tfjs-node `tensorflow` backend; `fn` names the caller in the error.
 */
export function runNativeOp(fn: string, op: string, flags: Record<string, boolean>, inputs: tf.Tensor[], outputs: number): tf.Tensor[] {
  const backend = tf.backend() as unknown as NativeBackend;
  if (tf.getBackend() !== 'tensorflow' || typeof backend.executeMultipleOutputs !== 'function') {
    throw new Error(`${fn}: needs the tfjs-node 'tensorflow' backend, the active backend is '${tf.getBackend()}'`);
  }
  const b = backend.binding;
  const attrs: NativeOpAttr[] = Object.entries(flags).map(([name, value]) => ({ name, type: b.TF_ATTR_BOOL, value }));
  attrs.push({ name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT });
  return backend.executeMultipleOutputs(op, attrs, inputs, outputs);
}
