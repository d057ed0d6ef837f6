/** How each student's code is isolated: a fork of a warm sandboxed zygote, or a fresh sandboxed node per student. */
export type Isolation = 'fork-server' | 'spawn';

/** 'auto': the fork server, and a fresh node per student from the moment the fork server cannot start. */
export type IsolationChoice = Isolation | 'auto';
