import * as tf from '@tensorflow/tfjs-node';

describe('the native backend', () => {
  it('is the active backend, on libtensorflow 2.21', () => {
    expect(tf.getBackend()).toBe('tensorflow');
    // The binding reports the version of the libtensorflow it was loaded against (TF_Version in the C API).
    const binding = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
    expect(binding.TF_Version).toMatch(/^2\.21\./);
  });
});
