/**
 * The keyword prefilter of the provider-pattern pass (as gitleaks does): every pattern lists cheap lowercase
 * literals, one of which occurs in any text it can match; a pattern's regex runs only on a text that holds one of
 * its keywords. Asking each pattern in turn (`lower.includes(k)` for ~300 keywords) cost more than the regexes on
 * the short strings of a codebase, so all keywords are found in one pass of one alternation, and the patterns whose
 * keywords occur are read off a table.
 */
import type { SecretPattern } from './secret-pattern-kit.js';

export interface KeywordIndex {
  /** One alternation of every keyword; a match at `i` means at least one keyword starts at `i`. */
  scanner: RegExp;
  /** Keywords by their first character, to find every keyword that starts where the alternation matched. */
  byHead: Map<string, string[]>;
  /** Pattern indices (into the table the index was built from) by keyword. */
  patternsOf: Map<string, number[]>;
  size: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function buildKeywordIndex(patterns: readonly SecretPattern[]): KeywordIndex {
  const patternsOf = new Map<string, number[]>();
  patterns.forEach((p, i) => {
    for (const k of new Set(p.keywords)) {
      const list = patternsOf.get(k) ?? [];
      list.push(i);
      patternsOf.set(k, list);
    }
  });
  const keywords = [...patternsOf.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const byHead = new Map<string, string[]>();
  for (const k of keywords) {
    const list = byHead.get(k[0]!) ?? [];
    list.push(k);
    byHead.set(k[0]!, list);
  }
  return { scanner: new RegExp(keywords.map(escapeRegExp).join('|'), 'g'), byHead, patternsOf, size: patterns.length };
}

/**
 * Which patterns may match `lower` (the lowercased text): the indices of the patterns one of whose keywords occurs,
 * ascending. Exact — a keyword inside or overlapping another is found too — so the result is the same as asking each
 * pattern. Most texts hold no keyword: then one failed regex search and no allocation but the empty result.
 */
export function candidatePatterns(index: KeywordIndex, lower: string): number[] {
  const re = index.scanner;
  re.lastIndex = 0;
  let m = re.exec(lower);
  if (!m) return [];
  const seen = new Set<number>();
  for (; m; m = re.exec(lower)) {
    const at = m.index;
    for (const k of index.byHead.get(lower[at]!) ?? []) {
      if (lower.startsWith(k, at)) for (const i of index.patternsOf.get(k)!) seen.add(i);
    }
    re.lastIndex = at + 1;
  }
  return [...seen].sort((a, b) => a - b);
}
