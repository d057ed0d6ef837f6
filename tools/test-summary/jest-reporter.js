// Records each Jest run's counts under <repo>/.test-results/ so `npm test` can close with one summary line
// covering every project (Nx runs one Jest per project).
const fs = require('fs');
const path = require('path');

const resultsDir = path.join(__dirname, '..', '..', '.test-results');

class CountsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const rel = path.relative(path.join(__dirname, '..', '..'), this.rootDir) || 'root';
    fs.mkdirSync(resultsDir, { recursive: true });
    const counts = {
      project: rel,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(resultsDir, `${rel.replace(/[\\/]/g, '__')}.json`), JSON.stringify(counts));
  }
}

module.exports = CountsReporter;
