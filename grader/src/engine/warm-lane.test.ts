import * as fs from 'fs';
import * as path from 'path';
import { resolveAssignment, startEngine, type EngineEvent } from './engine';

// `decaylab grade`'s start: the lane starts with the engine, its sandbox's zygote with the lane (before Jest loads),
// and the suite forks its student from that zygote rather than starting another; a warm lane nobody needed ends at
// close without being waited for.

const grader = path.join(__dirname, '..', '..');
const example = (name: string) => path.join(grader, 'examples', 'submissions', name);
const limits = { callTimeoutMs: 5_000, budgetMs: 60_000, memoryMb: 1024 };
const decay = resolveAssignment('decay');

/** Command lines of every process below this one, from /proc. */
function descendants(): string[] {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const below = (pid: number): boolean => pid > 1 && (parent.get(pid) === process.pid || below(parent.get(pid) ?? 0));
  return [...parent.keys()].filter(below).map((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return '';
    }
  });
}

test('the warm lane and the zygote it started ahead grade the first student; nothing is left after close', async () => {
  const engine = await startEngine({ jobs: 1, limits, warm: [decay] });
  try {
    // Before any submission is given, the lane is already running (with the preload that starts its sandbox).
    expect(descendants().filter((c) => c.includes('bin/lane.js'))).toHaveLength(1);
    const graded = await engine.grade({ assignment: decay, id: 'alice', path: example('alice.ts') });
    expect(graded.results.score).toBe(graded.results.max_score);
    // The lane waits for a next student: its one zygote is the one started ahead, not a second (a forked worker has
    // the zygote's command line too, so the student's own may take a moment to be gone).
    // (bwrap's own processes carry the zygote's command line among their arguments: only node processes count.)
    const zygotes = () => descendants().filter((c) => /^\S*\/node .*zygote\.js/.test(c)).length;
    for (let waited = 0; zygotes() > 1 && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(zygotes()).toBe(1);
  } finally {
    await engine.close();
  }
  expect(descendants().filter((c) => c.includes('bin/lane.js') || c.includes('zygote.js'))).toEqual([]);
}, 180_000);

test('a warm lane that no student needed is stopped at close, not waited for', async () => {
  const events: EngineEvent[] = [];
  const engine = await startEngine({ jobs: 1, limits, warm: [decay], onEvent: (e) => events.push(e) });
  // gus.ts does not compile: its result needs no lane.
  const graded = await engine.grade({ assignment: decay, id: 'gus', path: example('gus.ts') });
  expect(graded.status).toBe('compile-error');
  await engine.close();
  expect(events.filter((e) => e.type === 'lane-ended')).toHaveLength(1);
  expect(descendants().filter((c) => c.includes('bin/lane.js') || c.includes('zygote.js'))).toEqual([]);
}, 120_000);
