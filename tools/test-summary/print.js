// Prints the closing line of `npm test`: every project's Jest counts added up, as "N passed, N failed, N skipped".
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', '..', '.test-results');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const total = { passed: 0, failed: 0, skipped: 0 };
for (const f of files) {
  const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  process.stdout.write(`  ${c.project}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  for (const k of Object.keys(total)) total[k] += c[k];
}
process.stdout.write(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(total.failed > 0 || files.length === 0 ? 1 : 0);
