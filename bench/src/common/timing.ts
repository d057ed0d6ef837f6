export interface RunPlan {
  warmup: number;
  runs: number;
}

/** Wall-clock milliseconds of `runs` calls of `fn` after `warmup` untimed ones. */
export function timeSync(fn: () => void, plan: RunPlan): number[] {
  for (let i = 0; i < plan.warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

export async function timeAsync(fn: () => Promise<void>, plan: RunPlan): Promise<number[]> {
  for (let i = 0; i < plan.warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}
