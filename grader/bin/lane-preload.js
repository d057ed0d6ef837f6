'use strict';
// Preloaded (`node -r`) into every lane's Jest process by src/engine/lane.ts: starts the lane's sandbox (its zygote)
// before Jest itself loads, so the sandbox's node and libtensorflow load while Jest starts, transforms the hidden
// suite and loads the trusted side's tfjs, instead of after all that. The suite's first fork takes this zygote
// (src/sandbox/zygote-client.ts); the require hook is removed again, so Jest's own transform is the only one it sees.
const path = require('path');
const { requireTypeScriptFrom } = require('./transpile-cache');

// When Jest's run has left the event loop nothing to do, the lane ends at once: node's own teardown of a heap this
// size (Jest, the suite, the trusted tfjs) takes a tenth of a second and only frees memory that the exit frees anyway.
// Jest's exit code (set in its 'exit' handler) is kept.
process.once('beforeExit', () => process.exit());

const removeHook = requireTypeScriptFrom(path.join(__dirname, '..', 'src') + path.sep);
try {
  require('../src/engine/lane-sandbox.ts').startLaneSandbox();
} finally {
  removeHook();
}
