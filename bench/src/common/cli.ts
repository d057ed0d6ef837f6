import { parseArgs, type ParseArgsConfig } from 'util';

/**
 * util.parseArgs with the two things a benchmark CLI needs: a usage text on bad input (no stack trace) and numeric
 * options checked by name.
 */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(
  script: string,
  usage: string,
  options: T,
): ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>>['values'] {
  try {
    const { values } = parseArgs({ options: { ...options }, strict: true, allowPositionals: false });
    if ((values as Record<string, unknown>).help) {
      console.log(usage);
      process.exit(0);
    }
    return values as never;
  } catch (e) {
    fail(script, `${(e as Error).message}\n\n${usage}`);
  }
}

export function positiveInt(script: string, name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(script, `--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Prints `script: message` to stderr and exits 2; for bad input, never a stack trace. */
export function fail(script: string, message: string): never {
  console.error(`${script}: ${message}`);
  process.exit(2);
}
