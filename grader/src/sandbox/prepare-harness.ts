import * as fs from 'fs';
import * as path from 'path';
import { transpileCached } from '../../bin/transpile-cache';
import { builtNativeFile, NATIVE_FILE } from './fork-server-native';

// The harness is TypeScript like the rest of the grader; the sandbox runs plain node, so it gets a transpiled copy in
// the run's scratch folder (the sandbox sees that copy, never grader/src).

const HARNESS_FILES = [
  'zygote.ts',
  'spawned-worker.ts',
  'harness.ts',
  'fork-server-native.ts',
  'load-tfjs.ts',
  'skipped-package.ts',
  'observe-call.ts',
  'wire.ts',
];

/** Readable by the sandboxes' unprivileged users: the folder and files are world-readable, nothing here is secret. */
export function prepareHarness(outDir: string): string {
  fs.mkdirSync(outDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(outDir, 0o755);
  for (const file of HARNESS_FILES) {
    const source = fs.readFileSync(path.join(__dirname, file), 'utf8');
    fs.writeFileSync(path.join(outDir, file.replace(/\.ts$/, '.js')), transpileCached(source, file), { mode: 0o644 });
  }
  const native = builtNativeFile();
  if (!fs.existsSync(native)) throw new Error(`the grader's addon ${native} is not built: run npm ci (or npm run build-native -w grader)`);
  fs.copyFileSync(native, path.join(outDir, NATIVE_FILE));
  fs.chmodSync(path.join(outDir, NATIVE_FILE), 0o644);
  return outDir;
}
