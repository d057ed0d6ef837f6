import * as tf from '@tensorflow/tfjs-node';

/** Runs the enclosing describe block on `backend`, restoring the previous one afterwards. */
export function onBackend(backend: string): void {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    // PROD silences tfjs's one-time "install the node backend" advice on the cpu backend.
    tf.env().set('PROD', true);
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });
}
