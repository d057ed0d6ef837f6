'use strict';
// The program of a lane (src/engine/lane.ts runs it under node, the lane's settings in DECAYLAB_LANE): it starts the
// lane's sandbox (its zygote, src/engine/lane-sandbox.ts) before Jest loads, so the sandbox's node and libtensorflow
// load while Jest starts, transforms the hidden suite and loads the trusted side's tfjs; then it runs the suite with
// Jest's runCLI, what the jest command runs once it has parsed its command line (yargs over Jest's whole option table,
// a tenth of a second that a lane's fixed options do not need). The suite's first fork takes this zygote
// (src/sandbox/zygote-client.ts); the require hook is removed again, so Jest's own transform is the only one it sees.
const path = require('path');
const { requireTypeScriptFrom } = require('./transpile-cache');

const [config, suite] = process.argv.slice(2);

// When Jest's run has left the event loop nothing to do, the lane ends at once: node's own teardown of a heap this
// size (Jest, the suite, the trusted tfjs) takes a tenth of a second and only frees memory that the exit frees anyway.
process.once('beforeExit', () => process.exit());

const removeHook = requireTypeScriptFrom(path.join(__dirname, '..', 'src') + path.sep);
try {
  require('../src/engine/lane-sandbox.ts').startLaneSandbox();
} finally {
  removeHook();
}

const { runCLI } = require('jest');
const argv = { _: [suite], $0: 'decaylab-lane', config, runInBand: true, ci: true, silent: true, watchman: false, runTestsByPath: true };
// As the jest command: the current folder is the project, the exit code 1 when a test failed.
runCLI(argv, [process.cwd()]).then(
  ({ results }) => {
    process.exitCode = results.success ? 0 : 1;
  },
  (e) => {
    process.stderr.write(`${(e && e.stack) || e}\n`);
    process.exitCode = 1;
  },
);
