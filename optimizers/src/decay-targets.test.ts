import * as tf from '@tensorflow/tfjs-node';
import { AdamW } from './adamw';
import { SGDW } from './sgdw';
import { onBackend } from './testing/on-backend';

// Which variables are decayed, and the native path's shortcut of not re-pointing a TF variable that still shares the
// tfjs variable's buffer, on both backends.
describe.each(['tensorflow', 'cpu'])('on the %s backend', (backend) => {
  onBackend(backend);

  test('parameters matched by the default groups (bias, gamma, beta) are not decayed', () => {
    const names = [`grp${backend}/kernel`, `grp${backend}/bias`, `grp${backend}/gamma`, `grp${backend}_1/beta_1`];
    const vars = names.map((n, i) => tf.variable(tf.fill([4], 1 + i), true, n));
    const zero = () => names.map(() => tf.zeros([4]));
    const adam = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    const sgd = new SGDW({ learningRate: 0.1, weightDecay: 0.5 });
    for (const opt of [adam, sgd]) {
      const g = zero();
      // A zero gradient leaves only the decay: kernels shrink by 1 - lr * wd, the others stay put.
      opt.applyGradients(names.map((name, i) => ({ name, tensor: g[i] })));
      tf.dispose(g);
    }
    const after = vars.map((v) => v.dataSync()[0]);
    expect(after[0]).toBeCloseTo(1 * 0.95 * 0.95, 6);
    expect(after.slice(1)).toEqual([2, 3, 4]);
    expect(names.map((n) => adam.weightDecayOf(n))).toEqual([0.5, 0, 0, 0]);
    tf.dispose(vars);
    adam.dispose();
    sgd.dispose();
  });

  test('a value assigned to the variable between steps is what the next step updates', () => {
    // Covers the native path's skipped re-write: it must notice that the tfjs variable now holds other data.
    const name = `assigned${backend}/bias`;
    const v = tf.variable(tf.fill([5], 2), true, name);
    const g = tf.fill([5], 0.5);
    const sgd = new SGDW({ learningRate: 0.1, weightDecay: 0.3 });
    sgd.applyGradients([{ name, tensor: g }]);
    v.assign(tf.fill([5], 7));
    sgd.applyGradients([{ name, tensor: g }]);
    // bias: no decay by default, so 7 - 0.1 * 0.5.
    Array.from(v.dataSync()).forEach((x) => expect(x).toBeCloseTo(6.95, 5));
    tf.dispose([v, g]);
    sgd.dispose();
  });
});
