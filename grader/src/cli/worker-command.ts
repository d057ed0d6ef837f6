import * as path from 'path';
import { Option, type Command } from 'commander';
import { startGradingWorker } from '../service/grading-worker';
import { chooseRedisUrl } from '../service/redis-connection';
import { addIsolationOption, addLimitOptions, defaultJobs, limitsFrom, positiveInt, positiveNumber, type IsolationFlag, type LimitFlags } from './options';
import { print } from './output';
import { DEFAULT_DATA_DIR } from './serve-command';
import { untilStopSignal } from './stop-signal';

// `decaylab worker`: a grading worker for a course's queue, on any machine with the project installed.

type WorkerFlags = LimitFlags & IsolationFlag & { redis?: string; data: string; jobs: number; stallSeconds: number };

export function workerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description("grade submissions from a course's queue until SIGTERM (which finishes the jobs in hand)")
    .option('--redis <url>', "the course's Redis (redis://host:port); default: the embedded Redis of --data")
    .option('--data <dir>', 'data folder of a `decaylab serve` on this machine', DEFAULT_DATA_DIR)
    .addOption(new Option('--jobs <n>', 'submissions graded in parallel').argParser(positiveInt).default(defaultJobs(), 'all cores'))
    .addOption(
      new Option('--stall-seconds <s>', "how long a silent worker's jobs wait before another worker takes them").argParser(positiveNumber).default(30),
    );
  addIsolationOption(addLimitOptions(command)).action(async (opts: WorkerFlags) => {
    const redisUrl = chooseRedisUrl(opts.redis, path.resolve(opts.data));
    const log = (line: string) => process.stderr.write(`decaylab worker: ${line}\n`);
    const worker = await startGradingWorker({
      redisUrl,
      jobs: opts.jobs,
      limits: limitsFrom(opts),
      isolation: opts.isolation,
      stallSeconds: opts.stallSeconds,
      log,
    });
    print(`worker ${worker.id} grading with ${opts.jobs} job(s)\n`);
    const signal = await untilStopSignal();
    log(`${signal}: finishing the jobs in hand`);
    await worker.close();
  });
}
