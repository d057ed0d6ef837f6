import * as path from 'path';
import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import { UsageError } from '../core/errors';
import { Role } from '../service/protocol';
import { chooseRedisUrl, connectRedis, ConnectionUse, waitConnected } from '../service/redis-connection';
import { readRoster, RosterError } from '../service/roster';
import { checkStudentId, InvalidStudentId, issueToken } from '../service/tokens';
import { DEFAULT_DATA_DIR } from './serve-command';
import { print } from './output';

// `decaylab token`: issues bearer tokens (printed once; Redis keeps only their hashes).

type TokenFlags = { redis?: string; data: string; staff?: boolean; student?: string; roster?: string };

export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description('issue a bearer token for the HTTP API and print it on one line')
    .option('--redis <url>', "the course's Redis; default: the embedded Redis of --data")
    .option('--data <dir>', 'data folder of a `decaylab serve` on this machine', DEFAULT_DATA_DIR)
    .option('--staff', 'a staff token (every submission, the gradebook)')
    .option('--student <id>', "a student's token (their own submissions)")
    .option('--roster <csv>', 'one student token per row of a CSV with a "student" column; prints student,token lines')
    .action(async (opts: TokenFlags) => {
      const chosen = [opts.staff, opts.student, opts.roster].filter((x) => x !== undefined).length;
      if (chosen !== 1) throw new UsageError('give exactly one of --staff, --student <id>, --roster <csv>');
      const students = opts.roster ? readOrUsage(opts.roster) : undefined;
      if (opts.student !== undefined) asUsage(() => checkStudentId(opts.student!));
      const url = chooseRedisUrl(opts.redis, path.resolve(opts.data));
      const redis = connectRedis(url, ConnectionUse.Worker);
      try {
        await waitConnected(redis, url);
        if (students) {
          const rows = [];
          for (const student of students) rows.push([student, await issueToken(redis, { role: Role.Student, student })]);
          print(stringify([['student', 'token'], ...rows]));
        } else if (opts.staff) {
          print(`${await issueToken(redis, { role: Role.Staff })}\n`);
        } else {
          print(`${await issueToken(redis, { role: Role.Student, student: opts.student! })}\n`);
        }
      } finally {
        redis.disconnect();
      }
    });
}

function readOrUsage(file: string): string[] {
  return asUsage(() => readRoster(file));
}

function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RosterError || e instanceof InvalidStudentId) throw new UsageError(e.message);
    throw e;
  }
}
