import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GradedJob, SubmissionJob } from './protocol';

// The Prometheus metrics of /metrics. Queue depth is read from Redis at scrape time, so it covers every worker of the
// course; the graded counter and the grading-time histogram count the completions this server has heard of.

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly graded: Counter<'assignment' | 'status'>;
  private readonly failed: Counter<'assignment'>;
  private readonly seconds: Histogram<'assignment'>;

  constructor(queue: Queue<SubmissionJob, GradedJob>) {
    new Gauge({
      name: 'decaylab_queue_jobs',
      help: 'Submissions in the grading queue, by BullMQ job state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    this.graded = new Counter({
      name: 'decaylab_submissions_graded_total',
      help: 'Submissions graded, by assignment and student status (graded, compile-error, invalid, load-error)',
      labelNames: ['assignment', 'status'],
      registers: [this.registry],
    });
    this.failed = new Counter({
      name: 'decaylab_submissions_failed_total',
      help: 'Submissions marked failed after the grader faulted on every attempt',
      labelNames: ['assignment'],
      registers: [this.registry],
    });
    this.seconds = new Histogram({
      name: 'decaylab_grading_seconds',
      help: 'Wall-clock seconds a worker spent grading one submission',
      labelNames: ['assignment'],
      buckets: [0.5, 1, 2, 5, 10, 20, 60, 120, 300],
      registers: [this.registry],
    });
  }

  observeGraded(job: GradedJob): void {
    this.graded.inc({ assignment: job.graded.assignment, status: job.graded.status });
    this.seconds.observe({ assignment: job.graded.assignment }, job.gradingSeconds);
  }

  observeFailed(assignment: string): void {
    this.failed.inc({ assignment });
  }
}
