import * as tf from '@tensorflow/tfjs-node';
import { adamWStep, initAdamState } from '@decaylab/solutions';
import { fmt, summarize } from '../common/stats';
import { markdownTable } from '../common/table';
import { timeSync } from '../common/timing';
import { HYPER } from './tfjs-cases';

/**
 * Where an eager tfjs-node AdamW step spends its time at `size` parameters: how many kernels it launches, how many
 * fresh bytes they allocate, what one such kernel costs, and what a kernel launch costs on a 1-element tensor.
 */
export async function whereTheTimeGoes(size: number, runs: number): Promise<string> {
  const g = tf.randomNormal([size], 0, 1, 'float32', 2);
  let params: tf.Tensor[] = [tf.randomNormal([size], 0, 1, 'float32', 1)];
  let state = initAdamState(params);
  const stepOnce = () => {
    const next = adamWStep(params, [g], state, HYPER);
    tf.dispose([...params, ...state.m, ...state.v]);
    params = next.params;
    state = next.state;
  };
  stepOnce();
  const profile = await tf.profile(() => stepOnce());
  const step = summarize(timeSync(stepOnce, { warmup: 1, runs }));
  const kernels = profile.kernels.length;
  const freshBytes = profile.kernels.reduce((s, k) => s + Math.max(0, k.bytesAdded), 0);

  const big = tf.randomNormal([size], 0, 1, 'float32', 3);
  const one = tf.scalar(1.5);
  const bigMul = summarize(timeSync(() => tf.mul(big, 0.5).dispose(), { warmup: 2, runs }));
  const tinyMul = summarize(timeSync(() => tf.mul(one, 0.5).dispose(), { warmup: 20, runs: 500 }));
  const f0 = process.resourceUsage().minorPageFault;
  stepOnce();
  const stepFaults = process.resourceUsage().minorPageFault - f0;
  tf.dispose([g, big, one, ...params, ...state.m, ...state.v]);

  const rows = [
    ['eager reference AdamW step', `${fmt(step.median)} ms`],
    ['kernels launched per step (tf.profile)', String(kernels)],
    ['fresh output bytes per step', `${fmt(freshBytes / 2 ** 20)} MiB (${fmt(freshBytes / (4 * size), 2)} tensors of the parameter's size)`],
    ['one element-wise kernel with a fresh output (x * 0.5)', `${fmt(bigMul.median)} ms`],
    ['kernels x that cost', `${fmt(kernels * bigMul.median)} ms`],
    ['launch overhead: x * 0.5 on a scalar', `${fmt(tinyMul.median * 1e3)} us`],
    ['minor page faults during one step', String(stepFaults)],
  ];
  return `### Where an eager tfjs-node AdamW step spends its time (${size.toExponential(0)} params)\n\n${markdownTable(['what', 'measured'], rows)}\n`;
}
