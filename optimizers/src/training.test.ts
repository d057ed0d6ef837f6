import * as tf from '@tensorflow/tfjs-node';
import { AdamW } from './adamw';
import { SGDW } from './sgdw';

describe('training with the optimizers', () => {
  test.each([
    ['AdamW', () => new AdamW({ learningRate: 0.02, weightDecay: 1e-3 })],
    ['SGDW', () => new SGDW({ learningRate: 0.05, weightDecay: 1e-3 })],
  ])(
    '%s trains a small model with model.fit',
    async (_name, make) => {
      // y = x . w* + 0.5 with a seeded w*: learnable to near-zero error by a small MLP.
      const x = tf.randomNormal([256, 5], 0, 1, 'float32', 21);
      const wStar = tf.randomNormal([5, 1], 0, 1, 'float32', 22);
      const y = tf.tidy(() => x.matMul(wStar).add(0.5));
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 16, inputShape: [5], activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
        ],
      });
      model.compile({ optimizer: make(), loss: 'meanSquaredError' });
      const history = await model.fit(x, y, { epochs: 40, batchSize: 32, shuffle: false, verbose: 0 });
      const loss = history.history.loss as number[];
      expect(loss.every(Number.isFinite)).toBe(true);
      expect(loss[loss.length - 1]).toBeLessThan(0.1 * loss[0]);
      model.dispose();
      tf.dispose([x, wStar, y]);
    },
    30_000,
  );

  test('SGDW.minimize converges to the decayed minimiser a / (1 + weightDecay) of 0.5 ||w - a||^2', () => {
    const a = tf.tensor1d([2, -1, 0.5]);
    const w = tf.variable(tf.zeros([3]), true, 'minimize/w');
    const opt = new SGDW({ learningRate: 0.1, weightDecay: 0.25 });
    for (let i = 0; i < 300; i++) opt.minimize(() => w.sub(a).square().sum().mul(0.5) as tf.Scalar, false, [w]);
    const expected = [2 / 1.25, -1 / 1.25, 0.5 / 1.25];
    Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    tf.dispose([a, w]);
    opt.dispose();
  });

  test('AdamW.minimize returns the cost and drives a quadratic down', () => {
    const w = tf.variable(tf.tensor1d([3, -4]), true, 'minimize/v');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    const f = () => w.square().sum() as tf.Scalar;
    const first = opt.minimize(f, true, [w]) as tf.Scalar;
    for (let i = 0; i < 200; i++) opt.minimize(f, false, [w]);
    const last = opt.minimize(f, true, [w]) as tf.Scalar;
    expect(first.dataSync()[0]).toBeCloseTo(25, 4);
    expect(last.dataSync()[0]).toBeLessThan(0.05);
    tf.dispose([w, first, last]);
    opt.dispose();
  });
});

describe('bad arguments throw an Error naming the argument', () => {
  test.each([
    [() => new AdamW({ learningRate: -1 }), /AdamW: learningRate must be >= 0, got -1/],
    [() => new AdamW({ learningRate: NaN }), /AdamW: learningRate must be a finite number/],
    [() => new AdamW({ beta1: 1 }), /AdamW: beta1 must be >= 0 and < 1, got 1/],
    [() => new AdamW({ beta2: -0.1 }), /AdamW: beta2 must be >= 0 and < 1/],
    [() => new AdamW({ epsilon: Infinity }), /AdamW: epsilon must be a finite number/],
    [() => new AdamW({ weightDecay: -0.1 }), /AdamW: weightDecay must be >= 0/],
    [() => new AdamW({ lr: 0.1 } as never), /AdamW: unknown option\(s\) lr/],
    [() => new AdamW({ paramGroups: {} as never }), /AdamW: paramGroups must be an array/],
    [() => new AdamW({ paramGroups: [{ match: [], weightDecay: 0 }] }), /AdamW: paramGroups\[0\]\.match must be a non-empty array/],
    [() => new AdamW({ paramGroups: [{ match: ['('], weightDecay: 0 }] }), /AdamW: paramGroups\[0\]\.match\[0\] is not a valid regular expression/],
    [() => new AdamW({ paramGroups: [{ match: ['x'], weightDecay: -1 }] }), /AdamW: paramGroups\[0\]\.weightDecay must be >= 0/],
    [() => new AdamW({ paramGroups: [{ match: ['x'], weightDecay: 0, lr: 1 }] as never }), /AdamW: paramGroups\[0\] has unknown key\(s\) lr/],
    [() => new SGDW({ weightDecay: 0.1 } as never), /SGDW: learningRate must be a number, a function of the step or a Schedule, got undefined/],
    [() => new SGDW({ learningRate: 0.1 } as never), /SGDW: weightDecay must be a number, a function of the step or a Schedule, got undefined/],
    [() => new SGDW(null as never), /SGDW: options must be an object/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  test('a gradient for an unknown variable or of the wrong shape is reported by name', () => {
    const v = tf.variable(tf.zeros([2]), true, 'badgrad/w');
    const opt = new SGDW({ learningRate: 0.1, weightDecay: 0 });
    const g3 = tf.zeros([3]);
    expect(() => opt.applyGradients({ 'no/such': g3 })).toThrow(/SGDW: got a gradient for no\/such, which is not a registered variable/);
    expect(() => opt.applyGradients({ 'badgrad/w': g3 })).toThrow(/SGDW: gradient for badgrad\/w has shape \[3\] but the variable has \[2\]/);
    opt.learningRate = -1;
    const g2 = tf.zeros([2]);
    expect(() => opt.applyGradients({ 'badgrad/w': g2 })).toThrow(/SGDW: learningRate must be >= 0/);
    tf.dispose([v, g3, g2]);
  });
});
