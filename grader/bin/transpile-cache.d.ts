// Types of transpile-cache.js (plain JavaScript: the launcher needs it before any TypeScript can load).

/** JavaScript for the TypeScript `source` (named `fileName` in messages), from `cacheDir` when it was made before. */
export function transpileCached(source: string, fileName: string, cacheDir?: string): string;

/** Per user, out of /tmp: `$XDG_CACHE_HOME/decaylab/transpiled` or `~/.cache/decaylab/transpiled`. */
export function defaultCacheDir(): string;
