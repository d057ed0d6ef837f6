import * as os from 'os';
import * as path from 'path';
import { Option, type Command } from 'commander';
import { GraderFault } from '../core/errors';
import { startService } from '../service/course-service';
import { addIsolationOption, addLimitOptions, defaultJobs, limitsFrom, positiveInt, positiveNumber, type IsolationFlag, type LimitFlags } from './options';
import { print } from './output';
import { untilStopSignal } from './stop-signal';

// `decaylab serve`: the course's HTTP API, with its own Redis and local workers unless given an existing Redis.

type ServeFlags = LimitFlags &
  IsolationFlag & {
    port: number;
    host: string;
    data: string;
    redis?: string;
    workers?: number;
    maxUpload: number;
    rate: number;
    stallSeconds: number;
  };

export const DEFAULT_DATA_DIR = path.join(os.homedir(), '.local', 'share', 'decaylab');

export function serveCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('run the grading service: HTTP API, queue on Redis, local grading workers')
    .addOption(new Option('--port <n>', 'HTTP port').argParser(positiveInt).default(8080))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', "the embedded Redis's data folder (append-only file)", DEFAULT_DATA_DIR)
    .option('--redis <url>', 'use this Redis (redis://host:port) instead of starting one')
    .addOption(new Option('--workers <n>', 'submissions graded in parallel here').argParser(nonNegativeInt).default(undefined, 'all cores; 0 with --redis'))
    .addOption(new Option('--max-upload <mb>', 'largest accepted upload').argParser(positiveNumber).default(5))
    .addOption(new Option('--rate <n>', 'submissions per student per minute').argParser(positiveInt).default(6))
    .addOption(
      new Option('--stall-seconds <s>', "how long a silent worker's jobs wait before another worker takes them").argParser(positiveNumber).default(30),
    );
  addIsolationOption(addLimitOptions(command)).action(async (opts: ServeFlags) => {
    const log = (line: string) => process.stderr.write(`decaylab serve: ${line}\n`);
    let fatal: (reason: string) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fatal = (reason) => reject(new GraderFault(reason))));
    failed.catch(() => undefined);
    const service = await startService({
      host: opts.host,
      port: opts.port,
      dataDir: path.resolve(opts.data),
      redisUrl: opts.redis,
      workers: opts.workers ?? (opts.redis ? 0 : defaultJobs()),
      maxUploadBytes: Math.round(opts.maxUpload * 2 ** 20),
      ratePerMinute: opts.rate,
      limits: limitsFrom(opts),
      isolation: opts.isolation,
      stallSeconds: opts.stallSeconds,
      log,
      onFatal: (reason) => fatal(reason),
    });
    print(`listening on ${service.url}\n`);
    try {
      await Promise.race([untilStopSignal(), failed]);
    } finally {
      await service.close();
    }
  });
}

function nonNegativeInt(value: string): number {
  return value === '0' ? 0 : positiveInt(value);
}
