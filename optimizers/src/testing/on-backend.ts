import * as tf from '@tensorflow/tfjs-node';

/** Runs the enclosing describe block on `backend`, restoring the previous backend and flags afterwards. */
export function onBackend(backend: string): void {
  let previous: string;
  let prod: boolean;
  beforeAll(async () => {
    previous = tf.getBackend();
    // PROD silences tfjs's one-time "install the node backend" advice on the cpu backend.
    prod = tf.env().getBool('PROD');
    tf.env().set('PROD', true);
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
    tf.env().set('PROD', prod);
  });
}
