import type IORedis from 'ioredis';
import { keys } from './protocol';

// Submissions per student per minute, counted in Redis so that every API server of a course shares the count.
// A fixed one-minute window: a flood from one token is cut to `perMinute` jobs whatever its pace.

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function takeSubmissionSlot(redis: IORedis, student: string, perMinute: number, now = Date.now()): Promise<RateDecision> {
  const minute = Math.floor(now / 60_000);
  const key = keys.rate(student, minute);
  const replies = await redis.multi().incr(key).expire(key, 120).exec();
  const count = Number(replies?.[0]?.[1] ?? Infinity);
  if (count <= perMinute) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) };
}
