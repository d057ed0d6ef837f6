import * as path from 'path';
import { contractTests } from '../../hidden/contract';
import type { Assignment } from '../../core/assignment';
import { catalogue } from '../../core/misconception';
import { adamL2Variants, adamWVariants, l2PenaltyVariants, sgdDecayVariants, sgdL2Variants } from './variants';

// The decay assignment (issue 2's API). Points live here and only here.

export const decay: Assignment = {
  id: 'decay',
  title: 'L2 regularization versus decoupled weight decay (SGD and Adam)',
  exports: ['l2Penalty', 'sgdL2Step', 'sgdDecayStep', 'initAdamState', 'adamL2Step', 'adamWStep'],
  hiddenSuite: path.join(__dirname, 'decay.hidden.ts'),
  misconceptions: catalogue(l2PenaltyVariants, sgdL2Variants, sgdDecayVariants, adamL2Variants, adamWVariants),
  tests: [
    { id: 'l2Penalty.random', name: 'l2Penalty matches the reference on random shapes and lists', points: 3 },
    { id: 'l2Penalty.half', name: 'l2Penalty has the factor 1/2 (its gradient is w itself)', points: 1 },
    { id: 'l2Penalty.squaredL2', name: 'l2Penalty is the squared L2 norm (not L1, not the plain norm)', points: 1 },
    { id: 'l2Penalty.scalar', name: 'l2Penalty returns a rank-0 tensor', points: 1 },
    { id: 'sgdL2Step.random', name: 'sgdL2Step matches the reference on random shapes and hyper-parameters', points: 3 },
    { id: 'sgdL2Step.descends', name: 'sgdL2Step steps against the gradient and scales the penalty by lr', points: 1 },
    { id: 'sgdDecayStep.random', name: 'sgdDecayStep matches the reference on random shapes and hyper-parameters', points: 3 },
    { id: 'sgdDecayStep.decayTimesLr', name: 'sgdDecayStep shrinks the weights by lr * weightDecay', points: 1 },
    { id: 'initAdamState.zeros', name: 'initAdamState starts at t = 0 with zero moments shaped like the params', points: 2 },
    { id: 'adamL2Step.firstStep', name: 'adamL2Step matches the reference on one step from a fresh state', points: 2 },
    { id: 'adamL2Step.trajectory', name: 'adamL2Step follows the reference over several steps', points: 3 },
    { id: 'adamL2Step.l2InMoments', name: 'adamL2Step adds l2 * w to the gradient before the moments', points: 1 },
    { id: 'adamL2Step.biasCorrection', name: 'adamL2Step applies bias correction with the new step count', points: 1 },
    { id: 'adamWStep.firstStep', name: 'adamWStep matches the reference on one step from a fresh state', points: 2 },
    { id: 'adamWStep.trajectory', name: 'adamWStep follows the reference over several steps', points: 3 },
    { id: 'adamWStep.decoupled', name: 'adamWStep decays the weights outside the moments (not L2 in the gradient)', points: 2 },
    { id: 'adamWStep.decayTimesLr', name: 'adamWStep shrinks the weights by lr * weightDecay', points: 1 },
    { id: 'adamWStep.biasCorrection', name: 'adamWStep applies bias correction with the new step count', points: 1 },
    { id: 'adamWStep.epsOutsideSqrt', name: 'adamWStep adds eps after the square root', points: 1 },
    { id: 'adam.stepCounter', name: 'both Adam steps return state.t advanced by exactly one', points: 1 },
    ...contractTests({ 'contract.noLeaks': 2, 'contract.shapes': 2 }),
  ],
};
