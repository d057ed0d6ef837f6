import { summarize, type Summary } from './stats';
import { timeSync } from './timing';

/**
 * Single-thread copy bandwidth in GB/s counting bytes read plus bytes written, from TypedArray.set between two
 * buffers much larger than the last-level cache. A lower bound on what the machine can stream; the decay-update
 * benchmark also asks PyTorch for a multi-threaded copy and uses the faster of the two.
 */
export function copyBandwidth(megabytes = 256, runs = 9): Summary {
  const n = (megabytes * 2 ** 20) / 4;
  const src = new Float32Array(n).fill(1);
  const dst = new Float32Array(n).fill(0);
  const ms = timeSync(() => dst.set(src), { warmup: 2, runs });
  return summarize(ms.map((t) => (2 * n * 4) / (t / 1e3) / 1e9));
}
