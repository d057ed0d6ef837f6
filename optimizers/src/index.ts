// @decaylab/tfjs-optimizers: tfjs Optimizer subclasses with decoupled weight decay (AdamW, SGDW). See README.md.
export { AdamW, adamw, type AdamWOptions } from './adamw';
export { SGDW, sgdw, type SGDWOptions } from './sgdw';
export { DEFAULT_PARAM_GROUPS, NO_DECAY_PATTERN, type ParamGroup } from './param-groups';
