import * as path from 'path';
import { contractTests } from '../../hidden/contract';
import type { Assignment } from '../../core/assignment';
import { catalogue } from '../../core/misconception';
import { frobeniusVariants, l1Variants, l2Variants, linfVariants, lpVariants, spectralVariants } from './variants';

// The norms assignment (chapter 1's exercise cells). Points live here and only here.

export const norms: Assignment = {
  id: 'norms',
  title: 'Vector and matrix norms (chapter 1)',
  exports: ['lpNorm', 'l1Norm', 'l2Norm', 'linfNorm', 'frobeniusNorm', 'spectralNorm'],
  hiddenSuite: path.join(__dirname, 'norms.hidden.ts'),
  misconceptions: catalogue(lpVariants, l1Variants, l2Variants, linfVariants, frobeniusVariants, spectralVariants),
  tests: [
    { id: 'lpNorm.random', name: 'lpNorm matches the reference on random tensors and p in {1, 1.5, 2, 3, 7}', points: 3 },
    { id: 'lpNorm.infinity', name: 'lpNorm with p = Infinity is the largest absolute entry', points: 1 },
    { id: 'lpNorm.root', name: 'lpNorm takes the 1/p-th root of the sum', points: 1 },
    { id: 'lpNorm.absolute', name: 'lpNorm raises absolute values (odd p, negative entries)', points: 1 },
    { id: 'l1Norm.random', name: 'l1Norm matches the reference on random tensors', points: 1 },
    { id: 'l2Norm.random', name: 'l2Norm matches the reference on random tensors', points: 1 },
    { id: 'l2Norm.largeEntries', name: 'l2Norm does not overflow for entries around 1e30', points: 1 },
    { id: 'linfNorm.random', name: 'linfNorm matches the reference on random tensors', points: 1 },
    { id: 'frobeniusNorm.random', name: 'frobeniusNorm matches the reference on random matrices', points: 2 },
    { id: 'spectralNorm.random', name: 'spectralNorm matches the reference on random matrices', points: 3 },
    { id: 'spectralNorm.notFrobenius', name: 'spectralNorm is the largest singular value (not the Frobenius norm or an entry bound)', points: 1 },
    ...contractTests({}),
  ],
};
