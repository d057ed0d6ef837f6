import type { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { keys, type GradedJob, type SubmissionJob } from './protocol';

// A submission's uploaded bytes stay in its job exactly as long as the job can still run: through retries, back-off
// and stalled-job recovery. Once the job is final (in BullMQ's completed or failed set; a retry goes to delayed or wait
// instead) they are dropped from its data; the id, student, assignment, file name, digest, results and error stay.
//
// The state check and the rewrite are one Lua script, so a job that is being resubmitted or taken again can never lose
// its bytes to a release that read its state a moment earlier. Whoever sees a job finish releases it (the worker that
// finished it, the API server's queue events); `releaseHeldUploads` catches up on any that finished while the process
// that would have released them was killed, from the set of ids that may still hold bytes.

const RELEASE = `
local job, completed, failed, held, id = KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1]
if redis.call('EXISTS', job) == 0 then
  redis.call('SREM', held, id)
  return 0
end
if not redis.call('ZSCORE', completed, id) and not redis.call('ZSCORE', failed, id) then return 0 end
local raw = redis.call('HGET', job, 'data')
if not raw then
  redis.call('SREM', held, id)
  return 0
end
local data = cjson.decode(raw)
data['bytesBase64'] = nil
redis.call('HSET', job, 'data', cjson.encode(data))
redis.call('SREM', held, id)
return 1
`;

/** Drops the bytes of one submission if its job is final; true if it did. */
export async function releaseUpload(queue: Queue<SubmissionJob, GradedJob>, redis: IORedis, id: string): Promise<boolean> {
  const released = await redis.eval(RELEASE, 4, queue.toKey(id), queue.toKey('completed'), queue.toKey('failed'), keys.heldUploads, id);
  return released === 1;
}

/** Releases every final job still holding bytes; returns how many it released. */
export async function releaseHeldUploads(queue: Queue<SubmissionJob, GradedJob>, redis: IORedis): Promise<number> {
  let released = 0;
  let cursor = '0';
  do {
    const [next, ids] = await redis.sscan(keys.heldUploads, cursor, 'COUNT', 200);
    cursor = next;
    for (const id of ids) if (await releaseUpload(queue, redis, id)) released++;
  } while (cursor !== '0');
  return released;
}
