export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const s = [...samples].sort((a, b) => a - b);
  return { median: percentile(s, 50), min: s[0], max: s[s.length - 1], runs: s.length };
}

/** Linear interpolation between closest ranks; `sorted` must be ascending. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** "12.3 (11.9-14.0)": median and range, in the unit of the samples. */
export function formatSummary(s: Summary, digits = 3): string {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
}

export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const mag = Math.floor(Math.log10(Math.abs(x)));
  return x.toFixed(Math.max(0, digits - 1 - mag));
}

/** "3.2x" with the ratio peer / subject: above 1 means the subject is faster. */
export function speedup(peerMedian: number, subjectMedian: number): string {
  return `${fmt(peerMedian / subjectMedian, 2)}x`;
}
