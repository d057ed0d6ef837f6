import * as fs from 'fs';
import * as path from 'path';

/** The executable `name` on the grader's PATH (the first folder that has it, as a shell would pick), if any. */
export function toolPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
