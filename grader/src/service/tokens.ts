import { createHash, randomBytes } from 'crypto';
import type IORedis from 'ioredis';
import { keys, Role, STUDENT_ID, type Principal } from './protocol';

// Bearer tokens: 256 random bits shown once to whoever issues them; Redis keeps only their SHA-256 (a slow hash adds
// nothing for secrets this long), so a copy of the database grants nothing.

export class InvalidStudentId extends Error {}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function checkStudentId(student: string): void {
  if (!STUDENT_ID.test(student)) {
    throw new InvalidStudentId(`student id "${student}" is not allowed: use letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)`);
  }
}

export async function issueToken(redis: IORedis, principal: Principal): Promise<string> {
  if (principal.role === Role.Student) checkStudentId(principal.student);
  const token = `dl_${randomBytes(32).toString('base64url')}`;
  await redis.hset(keys.tokens, hashToken(token), JSON.stringify(principal));
  return token;
}

/** The principal of an `Authorization` header, or undefined for a missing, malformed or unknown token. */
export async function principalOf(redis: IORedis, authorization: string | undefined): Promise<Principal | undefined> {
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? '');
  if (!match) return undefined;
  const stored = await redis.hget(keys.tokens, hashToken(match[1]));
  return stored ? (JSON.parse(stored) as Principal) : undefined;
}
