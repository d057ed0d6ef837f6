import IORedis from 'ioredis';
import { UsageError } from '../core/errors';
import { embeddedRedisUrl } from './embedded-redis';

// The two kinds of Redis connection the service opens. The API's fails fast while Redis is unreachable (the request
// gets 503 rather than waiting in ioredis's offline queue); a worker's waits and reconnects, as BullMQ requires.

export enum ConnectionUse {
  Api = 'api',
  Worker = 'worker',
}

export function connectRedis(url: string, use: ConnectionUse): IORedis {
  const client =
    use === ConnectionUse.Api
      ? new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5000, retryStrategy: () => 500 })
      : new IORedis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(200 * n, 2000) });
  // Connection errors are reported to whoever uses the client (503, a worker's retry); the event must not crash.
  client.on('error', () => undefined);
  return client;
}

/** Resolves once the client is connected; an unreachable Redis is the caller's setup problem (a usage error). */
export function waitConnected(client: IORedis, url: string, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new UsageError(`Redis at ${redactUrl(url)} does not answer (${timeoutMs / 1000} s)`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** The Redis a command talks to: the one given, or the embedded Redis that `decaylab serve` recorded under `dataDir`. */
export function chooseRedisUrl(given: string | undefined, dataDir: string): string {
  if (given) {
    if (!/^rediss?:\/\/[^/\s]+/.test(given)) throw new UsageError(`--redis must be a redis:// or rediss:// URL, got "${given}"`);
    return given;
  }
  const url = embeddedRedisUrl(dataDir);
  if (!url) throw new UsageError(`no --redis given and no embedded Redis recorded under ${dataDir}; start \`decaylab serve\` there first`);
  return url;
}

/** A Redis URL as it may be printed: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}
