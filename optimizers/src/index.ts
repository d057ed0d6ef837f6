// @decaylab/tfjs-optimizers: tfjs Optimizer subclasses with decoupled weight decay (AdamW, SGDW). See README.md.
export { AdamW, adamw, type AdamWOptions } from './adamw';
export { SGDW, sgdw, type SGDWOptions } from './sgdw';
export type { DecayForm, DecayOptions } from './decoupled-decay-optimizer';
export { Schedule, type ScheduleLike } from './schedule';
export { CosineDecay, ExponentialDecay, type CosineDecayOptions, type ExponentialDecayOptions } from './built-in-schedules';
export { DEFAULT_PARAM_GROUPS, NO_DECAY_PATTERN, type ParamGroup } from './param-groups';
