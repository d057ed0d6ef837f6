import { spawnSync } from 'child_process';
import * as path from 'path';

// Runs every benchmark in sequence, each in its own process (a fresh heap and thread pool per benchmark), passing the
// remaining arguments (e.g. --quick) through. Exits non-zero if any benchmark fails.
const BENCHES = ['decay-update', 'double-descent', 'grading', 'service'];
const args = process.argv.slice(2);
const failed: string[] = [];
for (const name of BENCHES) {
  console.log(`\n## bench/${name} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [path.join(__dirname, name, 'main.js'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
  });
  if (r.status !== 0) failed.push(`${name} (exit ${r.status ?? r.signal})`);
}
if (failed.length > 0) {
  console.error(`bench: failed: ${failed.join(', ')}`);
  process.exit(1);
}
