// The program of a sandbox under `--isolation spawn`: one student's worker in a node of its own, started for that
// student, with no fork server and so no reliance on node's or glibc's internals. Slower (each worker pays node's
// start and libtensorflow's load) but otherwise the same worker as a forked one (harness.ts).
import { loadNative } from './fork-server-native';
import { runWorker } from './harness';
import { loadTfjsScript } from './load-tfjs';

const native = loadNative(__dirname);
native.hideFromPeers();
runWorker({ native, script: loadTfjsScript(process.env.DECAYLAB_TFJS!), token: process.argv[2], channel: process.env.DECAYLAB_CHANNEL!, closedInodes: [] });
