// @decaylab/solutions: the reference implementations of every exercise in the course. Instructor side only: the
// grader compares students' code against these, and the student release never contains them.
export { l2Penalty } from './decay/l2-penalty';
export { sgdL2Step } from './decay/sgd-l2-step';
export { sgdDecayStep } from './decay/sgd-decay-step';
export { initAdamState, type AdamState } from './decay/adam-state';
export { adamL2Step } from './decay/adam-l2-step';
export { adamWStep } from './decay/adamw-step';
export * from './norms';
export * from './double-descent';
