import * as fs from 'fs';
import * as path from 'path';

/**
 * When DECAYLAB_RESULTS_DIR is set (the chapters' execute target sets it), the data behind each figure is also written
 * there as <id>.json, so tests can assert on the numbers a reader sees plotted. Otherwise this does nothing.
 */
export function recordFigureData(id: string, data: unknown): void {
  const dir = process.env.DECAYLAB_RESULTS_DIR;
  if (!dir) return;
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`recordFigureData: id must be lower-case letters, digits and '-', got '${id}'`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(data, null, 1));
}
