// Checks of the options the optimizers take. Each message starts with the optimizer's name and names the option.

/** Rejects misspelt options (`weight_decay`, `lr`) instead of silently using a default. */
export function checkKnownKeys(fn: string, o: unknown, known: string[]): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new Error(`${fn}: options must be an object with any of ${known.join(', ')}`);
  }
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new Error(`${fn}: unknown option(s) ${unknown.join(', ')}; expected any of ${known.join(', ')}`);
  }
}

/** A finite number >= 0, and below 1 where `belowOne` (the betas). */
export function checkNonNegative(fn: string, name: string, value: unknown, belowOne = false): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number, got ${value === null ? 'null' : typeof value === 'number' ? value : typeof value}`);
  }
  if (value < 0 || (belowOne && value >= 1)) {
    throw new Error(`${fn}: ${name} must be >= 0${belowOne ? ' and < 1' : ''}, got ${value}`);
  }
}
