// The two kinds of failure that are not a student's result: the caller asked for something impossible (exit 2), or
// the grader itself cannot grade here (exit 1). Everything a submission does is a graded result instead.

export class UsageError extends Error {}

export class GraderFault extends Error {}
