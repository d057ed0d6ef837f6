import * as tf from '@tensorflow/tfjs-node';

/** A public test: `run` receives the student's functions by name and throws an Error saying what is wrong. */
export interface PublicTest {
  name: string;
  run(functions: Record<string, unknown>): void;
}

/** The student's function `name`, or a clear failure if it was not passed to check(). */
export function fn<F extends (...args: never[]) => unknown>(functions: Record<string, unknown>, name: string): F {
  const f = functions[name];
  if (typeof f !== 'function') throw new Error(`${name} was not passed to check()`);
  return f as F;
}

export function expectTensor(t: unknown, what: string, shape: number[]): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new Error(`${what} should return a tf.Tensor, got ${typeof t}`);
  if (!tf.util.arraysEqual(t.shape, shape)) throw new Error(`${what} should have shape [${shape}], got [${t.shape}]`);
  if (t.dtype !== 'float32') throw new Error(`${what} should be float32, got ${t.dtype}`);
  return t;
}

/** Element-wise |got - want| <= tol * max(1, |want|). */
export function expectValues(t: tf.Tensor, want: number[], what: string, tol = 1e-5): void {
  const got = Array.from(t.dataSync());
  if (got.length !== want.length) throw new Error(`${what}: expected ${want.length} values, got ${got.length}`);
  got.forEach((g, i) => {
    if (!(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`${what}: expected [${want.map(round)}], got [${got.map(round)}]`);
    }
  });
}

const round = (v: number) => Number(v.toPrecision(6));
