import type IORedis from 'ioredis';
import { keys } from './protocol';

// Each grading worker says it is alive every few seconds; /healthz counts the workers heard from recently. A worker
// whose event loop is stuck stops beating even though its TCP connection to Redis stays open.

const BEAT_MS = 5000;
const ALIVE_MS = 15_000;

export function startHeartbeat(redis: IORedis, workerId: string): () => Promise<void> {
  const beat = () => redis.zadd(keys.workers, Date.now(), workerId).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, BEAT_MS);
  return async () => {
    clearInterval(timer);
    await redis.zrem(keys.workers, workerId).catch(() => undefined);
  };
}

export async function liveWorkers(redis: IORedis, now = Date.now()): Promise<number> {
  await redis.zremrangebyscore(keys.workers, '-inf', now - 10 * ALIVE_MS);
  return redis.zcount(keys.workers, now - ALIVE_MS, '+inf');
}
