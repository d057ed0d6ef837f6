// Which of the jobs a worker is handed it grades now. A job that was in the hands of a worker that died (BullMQ's
// stalled counter above 0) may be what killed it; it is graded alone, so that if it kills this worker too it takes no
// other student's job down with it (a job that dies with its worker more than RETRY_POLICY.maxStalledCount times is
// marked failed, and a poisonous neighbour must not do that to an innocent one). While a suspect is in hand the worker
// takes nothing new; a job handed over anyway (already on its way) is given back to the queue.

export enum GateState {
  /** Any number of jobs at once, up to the worker's concurrency. */
  Shared = 'shared',
  /** A suspect is in hand: it waits for the jobs taken before it to finish, then is graded alone. */
  Alone = 'alone',
}

export enum Admission {
  Grade = 'grade',
  /** A suspect: grade it once `othersDone` resolves, with the worker paused. */
  GradeAlone = 'grade-alone',
  /** Give it back to the queue (a suspect is in hand, or a second suspect arrives). */
  GiveBack = 'give-back',
}

export class SuspectGate {
  private state = GateState.Shared;
  private readonly inHand = new Set<string>();
  private alone: string | undefined;
  private wake: (() => void) | undefined;

  get current(): GateState {
    return this.state;
  }

  admit(id: string, suspect: boolean): Admission {
    if (this.state === GateState.Alone) return Admission.GiveBack;
    this.inHand.add(id);
    if (!suspect) return Admission.Grade;
    this.state = GateState.Alone;
    this.alone = id;
    return Admission.GradeAlone;
  }

  /** Resolves once the suspect is the only job in hand. */
  othersDone(): Promise<void> {
    if (this.inHand.size <= 1) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  leave(id: string): void {
    this.inHand.delete(id);
    if (id === this.alone) {
      this.alone = undefined;
      this.state = GateState.Shared;
    } else if (this.wake && this.inHand.size <= 1) {
      const wake = this.wake;
      this.wake = undefined;
      wake();
    }
  }
}
