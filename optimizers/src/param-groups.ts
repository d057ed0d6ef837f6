import { checkNonNegative } from './option-checks';

/**
 * A parameter group: variables whose name matches any of `match` (JavaScript regular-expression sources, tested
 * with RegExp.test against the tfjs variable name, e.g. `dense_Dense1/bias`) use this group's `weightDecay`.
 */
export interface ParamGroup {
  match: string[];
  weightDecay: number;
}

/**
 * Default: no decay for biases and normalisation scales/offsets, as in most PyTorch training recipes. Layer weights
 * in tfjs are named `<layer>/<weight>`; a model loaded while its original is still alive gets `_1`, `_2`... appended.
 */
export const NO_DECAY_PATTERN = '(^|/)(bias|gamma|beta)(_\\d+)?$';
export const DEFAULT_PARAM_GROUPS: readonly ParamGroup[] = Object.freeze([
  Object.freeze({ match: Object.freeze([NO_DECAY_PATTERN]) as unknown as string[], weightDecay: 0 }),
]);

export interface CompiledGroup {
  patterns: RegExp[];
}

export function checkParamGroups(fn: string, groups: unknown): ParamGroup[] {
  if (!Array.isArray(groups)) throw new Error(`${fn}: paramGroups must be an array of {match, weightDecay}`);
  return groups.map((g, i) => {
    const where = `paramGroups[${i}]`;
    if (g === null || typeof g !== 'object') throw new Error(`${fn}: ${where} must be an object {match, weightDecay}`);
    const { match, weightDecay, ...rest } = g as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new Error(`${fn}: ${where} has unknown key(s) ${extra.join(', ')}`);
    if (!Array.isArray(match) || match.length === 0 || match.some((p) => typeof p !== 'string')) {
      throw new Error(`${fn}: ${where}.match must be a non-empty array of regular-expression strings`);
    }
    match.forEach((p: string, j) => {
      try {
        new RegExp(p);
      } catch (e) {
        throw new Error(`${fn}: ${where}.match[${j}] is not a valid regular expression: ${(e as Error).message}`, { cause: e });
      }
    });
    checkNonNegative(fn, `${where}.weightDecay`, weightDecay);
    return { match: [...(match as string[])], weightDecay };
  });
}

export function compileGroups(groups: ParamGroup[]): CompiledGroup[] {
  return groups.map((g) => ({ patterns: g.match.map((p) => new RegExp(p)) }));
}

/** The index of the first group with a matching pattern, or -1 when none matches (the optimizer's weightDecay). */
export function groupIndexFor(name: string, groups: CompiledGroup[]): number {
  return groups.findIndex((g) => g.patterns.some((re) => re.test(name)));
}

/**
 * Writes every `_` of a pattern as the equivalent escape `\x5f`. tfjs-layers camel-cases every string containing an
 * underscore when it loads a saved optimizer config (`a_b` becomes `aB`), which would silently change the pattern.
 */
export function underscoreFree(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += next === '_' ? '\\x5f' : c + next;
    } else {
      out += c === '_' ? '\\x5f' : c;
    }
  }
  return out;
}
