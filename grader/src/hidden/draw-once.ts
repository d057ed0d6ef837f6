// Every student of a share sees the same seeded draws: they are made once per process, and being the same objects
// they let reference results be computed once too (keyed by the case object).

const drawn = new Map<string, unknown>();

export function once<T>(key: string, draw: () => T): T {
  if (!drawn.has(key)) drawn.set(key, draw());
  return drawn.get(key) as T;
}

const known = new WeakMap<object, Map<string, unknown>>();

export function remember<T>(c: object, key: string, compute: () => T): T {
  if (!known.has(c)) known.set(c, new Map());
  const m = known.get(c)!;
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}
