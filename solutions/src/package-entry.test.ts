import { spawnSync } from 'child_process';
import * as path from 'path';

// `import { adamWStep } from '@decaylab/solutions'` must work from a plain node process, not only under Jest's
// module mapping: this runs the built package the way a script or the grader would load it.
describe('the package entry point', () => {
  it('loads from plain node, from outside the package folder, on the native backend', () => {
    const script = `
      const tf = require('@tensorflow/tfjs-node');
      const { adamWStep, initAdamState } = require('@decaylab/solutions');
      const p = [tf.tensor1d([1, 2])], g = [tf.tensor1d([0.5, -0.5])];
      const r = adamWStep(p, g, initAdamState(p), { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 });
      console.log(JSON.stringify({ backend: tf.getBackend(), w: Array.from(r.params[0].dataSync()), t: r.state.t }));
    `;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '..', '..', 'grader'),
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    expect(r.stderr).not.toMatch(/Error/);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(out.backend).toBe('tensorflow');
    expect(out.t).toBe(1);
    // w * (1 - 0.05) - 0.1 * sign(g) on the first step.
    expect(out.w[0]).toBeCloseTo(1 * 0.95 - 0.1, 5);
    expect(out.w[1]).toBeCloseTo(2 * 0.95 + 0.1, 5);
  });
});
