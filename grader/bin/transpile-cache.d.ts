// Types of transpile-cache.js (plain JavaScript: the launcher needs it before any TypeScript can load).

/** The TypeScript `source` transpiled now (TypeScript is loaded on the first call). */
export function transpile(source: string, fileName: string): string;

/** What the output of `transpile` depends on: TypeScript's version, the options and the source. */
export function transpileKey(source: string): string;

/** JavaScript for the TypeScript `source` (named `fileName` in messages), from `cacheDir` when it was made before. */
export function transpileCached(source: string, fileName: string, cacheDir?: string): string;

/** The grader's per-user cache folder: `$XDG_CACHE_HOME/decaylab` or `~/.cache/decaylab`. */
export function decaylabCacheDir(): string;

/** Per user, out of /tmp: `$XDG_CACHE_HOME/decaylab/transpiled` or `~/.cache/decaylab/transpiled`. */
export function defaultCacheDir(): string;

/** Makes require() run the .ts files under `srcDir` (and only those) through the cache; returns the hook's removal. */
export function requireTypeScriptFrom(srcDir: string): () => void;
