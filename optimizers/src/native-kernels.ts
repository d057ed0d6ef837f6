import * as tf from '@tensorflow/tfjs-core';

// TensorFlow's own fused training kernels, reached through the tfjs-node backend object. tfjs exposes no API for
// them, but the binding runs any registered TF op by name. Why bother: an eager tfjs Adam step is ~16 element-wise
// ops, each allocating and writing a fresh full-size tensor; ResourceApplyAdam updates m, v and w in one in-place
// pass. See bench/README.md for the measurements.

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface NativeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_ATTR_STRING: number; TF_ATTR_SHAPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

/** TF's reserved shared_name for a variable that lives exactly as long as its handle tensor. */
const ANONYMOUS = 'cd2c89b7-88b7-44c8-ad83-06c2a9158347';

/** The tfjs-node backend when it is the active one, else null (callers fall back to plain tfjs ops). */
export function activeNativeBackend(): NativeBackend | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const b = tf.backend() as unknown as Partial<NativeBackend>;
  return b.binding && b.executeMultipleOutputs && b.executeSingleOutput ? (b as NativeBackend) : null;
}

/**
 * A TF resource variable holding one float32 tensor. Reads alias the buffer; TF copies on write when a read is still
 * alive, so a tensor handed out by read() never changes underneath its holder.
 */
export class ResourceVariable {
  readonly handle: tf.Tensor;
  /** The tfjs data id whose buffer this variable currently shares, if any (see writeUnlessShared). */
  private sharedWith: object | undefined;

  constructor(
    private readonly nb: NativeBackend,
    readonly shape: number[],
    init?: tf.Tensor,
  ) {
    const B = nb.binding;
    this.handle = tf.keep(
      nb.executeSingleOutput(
        'VarHandleOp',
        [
          { name: 'dtype', type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
          { name: 'shape', type: B.TF_ATTR_SHAPE, value: shape },
          { name: 'container', type: B.TF_ATTR_STRING, value: '' },
          { name: 'shared_name', type: B.TF_ATTR_STRING, value: ANONYMOUS },
        ],
        [],
      ),
    );
    if (init) this.write(init);
  }

  /** Points the variable at `value`'s buffer (no copy); the caller keeps ownership of `value`. */
  write(value: tf.Tensor): void {
    this.sharedWith = value.dataId;
    const B = this.nb.binding;
    this.nb.executeMultipleOutputs(
      'AssignVariableOp',
      [
        { name: 'dtype', type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
        { name: 'validate_shape', type: B.TF_ATTR_BOOL, value: false },
      ],
      [this.handle, value],
      0,
    );
  }

  /**
   * write(value), skipped when the variable already shares value's buffer: true between steps when nothing else
   * assigned the tfjs variable, since readInto left both pointing at one buffer. Saves a kernel launch per step.
   */
  writeUnlessShared(value: tf.Tensor): void {
    if (this.sharedWith !== value.dataId) this.write(value);
  }

  /** Assigns the variable's current value to the tfjs variable; both then share one buffer until the next update. */
  readInto(target: tf.Variable): void {
    const r = this.read();
    target.assign(r);
    r.dispose();
    this.sharedWith = target.dataId;
  }

  read(): tf.Tensor {
    const B = this.nb.binding;
    return this.nb.executeSingleOutput('ReadVariableOp', [{ name: 'dtype', type: B.TF_ATTR_TYPE, value: B.TF_FLOAT }], [this.handle]);
  }

  dispose(): void {
    this.handle.dispose();
  }
}

function floatAttr(nb: NativeBackend): OpAttr {
  return { name: 'T', type: nb.binding.TF_ATTR_TYPE, value: nb.binding.TF_FLOAT };
}

function boolAttr(nb: NativeBackend, name: string, value: boolean): OpAttr {
  return { name, type: nb.binding.TF_ATTR_BOOL, value };
}

/**
 * In place: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= lr * m / (sqrt(v) + eps).
 * TF derives its step size from beta powers in float32; passing zero powers makes it use `lr` as given, so the
 * caller can fold the bias corrections in float64.
 */
export function applyAdam(
  nb: NativeBackend,
  w: ResourceVariable,
  m: ResourceVariable,
  v: ResourceVariable,
  s: { zero: tf.Scalar; lr: tf.Scalar; beta1: tf.Scalar; beta2: tf.Scalar; eps: tf.Scalar },
  grad: tf.Tensor,
): void {
  nb.executeMultipleOutputs(
    'ResourceApplyAdam',
    [floatAttr(nb), boolAttr(nb, 'use_locking', false), boolAttr(nb, 'use_nesterov', false)],
    [w.handle, m.handle, v.handle, s.zero, s.zero, s.lr, s.beta1, s.beta2, s.eps, grad],
    0,
  );
}

/** x * s as one TF kernel launch, skipping the tfjs kernel registry (a third of the cost on small tensors). */
export function multiplyByScalar(nb: NativeBackend, x: tf.Tensor, s: tf.Scalar): tf.Tensor {
  return nb.executeSingleOutput('Mul', [floatAttr(nb)], [x, s]);
}

/**
 * In place: w <- (w - lr * grad) / (1 + lr * l2). With lr = eta / shrink and l2 = (1 - shrink) / eta this is SGD with
 * decoupled decay, w * shrink - eta * grad, in one kernel.
 */
export function applyProximalGradientDescent(
  nb: NativeBackend,
  w: ResourceVariable,
  s: { lr: tf.Scalar; zero: tf.Scalar; l2: tf.Scalar },
  grad: tf.Tensor,
): void {
  nb.executeMultipleOutputs(
    'ResourceApplyProximalGradientDescent',
    [floatAttr(nb), boolAttr(nb, 'use_locking', false)],
    [w.handle, s.lr, s.zero, s.l2, grad],
    0,
  );
}

/** In place: w -= lr * grad. */
export function applyGradientDescent(nb: NativeBackend, w: ResourceVariable, lr: tf.Scalar, grad: tf.Tensor): void {
  nb.executeMultipleOutputs('ResourceApplyGradientDescent', [floatAttr(nb), boolAttr(nb, 'use_locking', false)], [w.handle, lr, grad], 0);
}

/**
 * Points the kernel's resource variable at w * shrink (null: shrink is 1). The product is a fresh buffer that only the
 * variable holds once the tfjs tensor is disposed, so the fused kernel then updates it in place. Without a shrink the
 * variable shares tfjs's buffer and TF copies it on write instead: one full pass either way.
 */
export function nativeStart(nb: NativeBackend, w: ResourceVariable, value: tf.Tensor, shrink: tf.Scalar | null): void {
  if (shrink === null) {
    w.writeUnlessShared(value);
    return;
  }
  const start = multiplyByScalar(nb, value, shrink);
  w.write(start);
  start.dispose();
}
