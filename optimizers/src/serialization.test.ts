/**
 * @jest-environment ./src/node-realm-environment.js
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-node';
import { AdamW } from './adamw';
import { CosineDecay, ExponentialDecay } from './built-in-schedules';
import type { DecoupledDecayOptimizer } from './decoupled-decay-optimizer';
import { DEFAULT_PARAM_GROUPS, type ParamGroup } from './param-groups';
import { SGDW } from './sgdw';

function registered(className: string) {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`${className} is not registered`);
  return entry as [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, typeof AdamW.fromConfig];
}

function tinyModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
}

/** The same network through the functional API, with a layer normalisation whose gamma and beta are not decayed. */
function tinyFunctionalModel(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const hidden = tf.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }).apply(input);
  const normed = tf.layers.layerNormalization().apply(hidden);
  const output = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }).apply(normed);
  return tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
}

type SaveCase = [string, 'sequential' | 'functional', (groups: ParamGroup[]) => DecoupledDecayOptimizer];
const SAVE_CASES: SaveCase[] = [
  ['AdamW', 'sequential', (paramGroups) => new AdamW({ learningRate: 0.01, weightDecay: 0.05, paramGroups })],
  [
    'AdamW',
    'functional',
    (paramGroups) =>
      new AdamW({
        learningRate: new CosineDecay({ initialValue: 0.01, decaySteps: 12, alpha: 0.1, warmupSteps: 2 }),
        weightDecay: new ExponentialDecay({ initialValue: 0.1, decaySteps: 4, decayRate: 0.7 }),
        paramGroups,
      }),
  ],
  ['SGDW', 'sequential', (paramGroups) => new SGDW({ learningRate: 0.05, weightDecay: 0.05, paramGroups })],
  [
    'SGDW',
    'functional',
    (paramGroups) =>
      new SGDW({
        learningRate: 0.05,
        weightDecay: 0.2,
        paramGroups,
        decayForm: 'paper',
        scheduleMultiplier: new ExponentialDecay({ initialValue: 1, decaySteps: 5, decayRate: 0.5, staircase: true }),
      }),
  ],
];

const x = tf.randomNormal([64, 4], 0, 1, 'float32', 11);
const y = tf.randomNormal([64, 1], 0, 1, 'float32', 12);
const fitArgs = { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 as const };

describe('serialization', () => {
  test.each([
    ['AdamW', () => new AdamW({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.2 })],
    ['SGDW', () => new SGDW({ learningRate: 0.05, weightDecay: 0.3, paramGroups: [{ match: ['^a_b/', '\\_c$'], weightDecay: 1 }] })],
  ])('%s: getConfig/fromConfig round trip through the registry', (className, make) => {
    const original = make();
    const [cls, fromConfig] = registered(className);
    const copy = fromConfig(cls, JSON.parse(JSON.stringify(original.getConfig()))) as DecoupledDecayOptimizer;
    expect(copy.getClassName()).toBe(className);
    expect(copy.getConfig()).toEqual(original.getConfig());
    for (const name of ['a_b/kernel', 'x/bias', 'x_c', 'x/kernel', 'bn/gamma_2']) {
      expect(copy.weightDecayOf(name)).toBe(original.weightDecayOf(name));
    }
  });

  test('the default groups survive getConfig and exclude bias, gamma and beta', () => {
    const opt = new AdamW();
    expect(opt.paramGroups).toEqual(DEFAULT_PARAM_GROUPS);
    expect(opt.weightDecayOf('dense_Dense3/bias_1')).toBe(0);
    expect(opt.weightDecayOf('dense_Dense3/kernel')).toBe(0.01);
  });

  test.each(SAVE_CASES)(
    '%s in a %s model saved with includeOptimizer reloads with its state and schedules and continues bit for bit',
    async (className, kind, make) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-opt-'));
      try {
        const a = kind === 'sequential' ? tinyModel() : tinyFunctionalModel();
        const last = a.layers[a.layers.length - 1];
        const secondKernel = `^${last.name}/kernel`; // contains an underscore: dense_DenseN
        const groups = [{ match: [secondKernel], weightDecay: 0.3 }, ...DEFAULT_PARAM_GROUPS];
        const opt = make(groups);
        a.compile({ optimizer: opt, loss: 'meanSquaredError' });
        await a.fit(x, y, fitArgs);
        await a.save(`file://${dir}`, { includeOptimizer: true });

        const b = await tf.loadLayersModel(`file://${dir}/model.json`);
        const restored = b.optimizer as DecoupledDecayOptimizer;
        expect(restored.getClassName()).toBe(className);
        expect(restored.iterations).toBe(opt.iterations);
        expect(restored.getConfig()).toEqual(opt.getConfig());
        expect(restored.learningRate.constructor).toBe(opt.learningRate.constructor);
        expect(restored.scheduleMultiplier.constructor).toBe(opt.scheduleMultiplier.constructor);
        const kernel2 = b.layers[b.layers.length - 1].getWeights()[0] as tf.Variable;
        const kernel2Name = b.trainableWeights[b.trainableWeights.length - 2].name;
        // `a` still lives, so b's variables are renamed (`..._1`): the saved state must be adopted by position.
        expect(b.trainableWeights[0].name).not.toBe(a.trainableWeights[0].name);
        expect(restored.weightDecayOf(kernel2Name)).toBe(0.3);
        const norm = b.trainableWeights.filter((w) => /\/(gamma|beta)(_\d+)?$/.test(w.name));
        expect(norm).toHaveLength(kind === 'functional' ? 2 : 0);
        norm.forEach((w) => expect(restored.weightDecayOf(w.name)).toBe(0));
        expect(kernel2.shape).toEqual([8, 1]);

        await a.fit(x, y, fitArgs);
        await b.fit(x, y, fitArgs);
        const wa = a.getWeights();
        const wb = b.getWeights();
        wa.forEach((t, i) => expect(Array.from(wb[i].dataSync())).toEqual(Array.from(t.dataSync())));
        const [sa, sb] = [await opt.getWeights(), await restored.getWeights()];
        expect(sb.map((w) => w.tensor.shape)).toEqual(sa.map((w) => w.tensor.shape));
        sa.forEach((w, i) => expect(Array.from(sb[i].tensor.dataSync())).toEqual(Array.from(w.tensor.dataSync())));
        b.dispose();
        a.dispose();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('a model whose optimizer has a function schedule refuses to save it, saying what to use instead', async () => {
    const model = tinyModel();
    model.compile({ optimizer: new AdamW({ learningRate: (step) => 0.01 / (1 + step) }), loss: 'meanSquaredError' });
    await model.fit(x, y, { ...fitArgs, epochs: 1 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-opt-'));
    try {
      await expect(model.save(`file://${dir}`, { includeOptimizer: true })).rejects.toThrow(
        /AdamW: learningRate is a function, which a saved model cannot hold; use a Schedule/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  test('a reloaded AdamW without its state would diverge, so the round trip above is a real check', async () => {
    const a = tinyModel();
    const b = tinyModel();
    b.setWeights(a.getWeights());
    a.compile({ optimizer: new AdamW({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    await a.fit(x, y, fitArgs);
    b.setWeights(a.getWeights());
    b.compile({ optimizer: new AdamW({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    await a.fit(x, y, fitArgs);
    await b.fit(x, y, fitArgs);
    const diff = tf.tidy(() => a.getWeights()[0].sub(b.getWeights()[0]).abs().max().dataSync()[0]);
    expect(diff).toBeGreaterThan(1e-4);
    a.dispose();
    b.dispose();
  });

  test('setWeights rejects state of the wrong layout, naming the problem', async () => {
    const opt = new AdamW();
    const iter = { name: 'iter', tensor: tf.scalar(3, 'int32') };
    const m = { name: 'w/m', tensor: tf.zeros([2]) };
    await expect(opt.setWeights([iter, m])).rejects.toThrow(/AdamW.setWeights: got 1 state tensors.*multiple of 2/);
    await expect(opt.setWeights([iter, m, { name: 'w/v', tensor: tf.zeros([3]) }])).rejects.toThrow(/w\/v must be float32 with the shape of w\/m/);
    tf.dispose([iter.tensor, m.tensor]);
  });
});
