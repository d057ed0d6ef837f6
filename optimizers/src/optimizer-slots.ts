import * as tf from '@tensorflow/tfjs-core';
import { activeNativeBackend, ResourceVariable } from './native-kernels';

/**
 * Per-variable optimizer state. On the native backend the moments live in TF resource variables (so TF's fused
 * kernels can update them in place) and `w` is the resource variable the kernel updates the weights through;
 * on any other backend the moments are ordinary non-trainable tf.Variables and `w` is absent.
 */
export interface Slot {
  /** The variable this state belongs to (or, before the first step after setWeights, the name it was saved under). */
  name: string;
  bound: boolean;
  shape: number[];
  native: boolean;
  moments: (ResourceVariable | tf.Variable)[];
  w?: ResourceVariable;
  /** Reads of native moments handed out by getWeights, kept until the next step so the caller needs no cleanup. */
  snapshots: tf.Tensor[];
}

/** `initial` stays owned by the caller: the slot shares its buffers and TF / tfjs copy or re-point on update. */
export function createSlot(name: string, shape: number[], initial: tf.Tensor[], bound: boolean): Slot {
  const nb = activeNativeBackend();
  const moments = initial.map((t) => (nb ? new ResourceVariable(nb, shape, t) : tf.keep(t.variable(false))));
  const w = nb ? new ResourceVariable(nb, shape) : undefined;
  return { name, bound, shape, native: nb !== null, moments, w, snapshots: [] };
}

export function zeroMoments(shape: number[], count: number): tf.Tensor[] {
  return Array.from({ length: count }, () => tf.zeros(shape));
}

/** The moments as tensors, valid until the next step, setWeights or dispose. */
export function readMoments(slot: Slot): tf.Tensor[] {
  if (!slot.native) return slot.moments as tf.Variable[];
  releaseSnapshots(slot);
  slot.snapshots = (slot.moments as ResourceVariable[]).map((m) => tf.keep(m.read()));
  return slot.snapshots;
}

export function releaseSnapshots(slot: Slot): void {
  tf.dispose(slot.snapshots);
  slot.snapshots = [];
}

export function disposeSlot(slot: Slot): void {
  releaseSnapshots(slot);
  slot.moments.forEach((m) => m.dispose());
  slot.w?.dispose();
}
