/** Stands for a remembered `undefined` (most classifiers answer undefined for most strings), so a hit is one look-up. */
const UNDEFINED = Symbol('undefined');

/**
 * A pure function of one string, remembered: classifiers asked about every name or callee of every file see the same
 * few thousand strings again and again across a codebase. The memory is bounded on any input: the table is emptied
 * when it holds `limit` entries.
 */
export function memoizeByString<T>(fn: (s: string) => T, limit = 50_000): (s: string) => T {
  const known = new Map<string, T | typeof UNDEFINED>();
  return (s) => {
    const hit = known.get(s);
    if (hit !== undefined) return (hit === UNDEFINED ? undefined : hit) as T;
    const value = fn(s);
    if (known.size >= limit) known.clear();
    known.set(s, value === undefined ? UNDEFINED : value);
    return value;
  };
}
