import * as fs from 'fs';
import * as path from 'path';
import type { Submission } from '../common/make-class';

// A bounded deadline burst: every submission posted once over HTTP, at most `inFlight` requests open at a time, then
// the results polled until each is graded or the deadline passes. Every loop is bounded in count and time.

export type Posted = { id: string; student: string; postedAt: number };
export type Outcome = { student: string; postedAt: number; finishedAt: number; score: number; passed: Map<string, boolean> };

type View = { status: string; finishedAt?: number; results?: { score: number; tests: { name: string; status: string }[] } };

function uploadOf(s: Submission): { filename: string; bytes: Buffer } {
  const file = fs.statSync(s.entry).isDirectory() ? path.join(s.entry, fs.readdirSync(s.entry)[0]) : s.entry;
  return { filename: path.basename(file), bytes: fs.readFileSync(file) };
}

export async function postAll(
  base: string,
  subs: Submission[],
  tokens: Map<string, string>,
  inFlight: number,
): Promise<{ posted: Posted[]; refused: string[] }> {
  const posted: Posted[] = [];
  const refused: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < subs.length) {
      const s = subs[next++];
      const { filename, bytes } = uploadOf(s);
      const postedAt = Date.now();
      const r = await fetch(`${base}/v1/assignments/decay/submissions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(s.id)}`, 'content-type': 'application/octet-stream', 'x-filename': filename },
        body: bytes,
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await r.json()) as { id?: string; error?: string };
      if (r.status === 202 && body.id) posted.push({ id: body.id, student: s.id, postedAt });
      else refused.push(`${s.id}: ${r.status} ${body.error ?? ''}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { posted, refused };
}

export async function collect(base: string, staff: string, posted: Posted[], deadlineMs: number): Promise<{ outcomes: Outcome[]; lost: string[] }> {
  const pending = new Map(posted.map((p) => [p.id, p]));
  const outcomes: Outcome[] = [];
  const failed: string[] = [];
  const deadline = Date.now() + deadlineMs;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const p of [...pending.values()].slice(0, 200)) {
      const r = await fetch(`${base}/v1/submissions/${p.id}`, { headers: { authorization: `Bearer ${staff}` }, signal: AbortSignal.timeout(30_000) });
      const v = (await r.json()) as View;
      if (v.status === 'graded' && v.results && v.finishedAt) {
        const passed = new Map(v.results.tests.map((t) => [t.name.slice(0, t.name.indexOf(': ')), t.status === 'passed']));
        outcomes.push({ student: p.student, postedAt: p.postedAt, finishedAt: v.finishedAt, score: v.results.score, passed });
        pending.delete(p.id);
      } else if (v.status === 'failed') {
        failed.push(`${p.student}: failed`);
        pending.delete(p.id);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  return { outcomes, lost: [...failed, ...[...pending.values()].map((p) => `${p.student}: not graded before the deadline`)] };
}
