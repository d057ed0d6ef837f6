import * as os from 'os';
import * as tf from '@tensorflow/tfjs-node';

/** One line naming what the numbers were measured on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  return [
    `${cpus[0]?.model ?? 'unknown CPU'} x${cpus.length}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()}`,
    `node ${process.versions.node}`,
    `tfjs-node ${tf.version['tfjs-node']} on libtensorflow ${binding?.TF_Version ?? '?'}`,
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ].join(', ');
}
