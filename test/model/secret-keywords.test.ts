import { describe, expect, it } from 'vitest';
import { buildKeywordIndex, candidatePatterns } from '../../src/model/secret-keywords.js';
import { SECRET_PATTERNS, findProviderSecrets, syntheticToken } from '../../src/model/secrets.js';
import type { SecretPattern } from '../../src/model/secret-pattern-kit.js';

const naive = (patterns: readonly SecretPattern[], lower: string) => patterns.flatMap((p, i) => (p.keywords.some((k) => lower.includes(k)) ? [i] : []));

describe('keyword prefilter', () => {
  it.each(SECRET_PATTERNS.map((p) => ({ p, id: p.id })))('$id: every must-match sample holds one of its keywords', ({ p }) => {
    for (const sample of p.samples.match) {
      expect(
        p.keywords.some((k) => sample.toLowerCase().includes(k)),
        `${p.id}: no keyword of ${JSON.stringify(p.keywords)} in ${sample.slice(0, 80)}`,
      ).toBe(true);
    }
  });

  it('selects exactly the patterns whose keywords occur (every sample, and all samples joined)', () => {
    const index = buildKeywordIndex(SECRET_PATTERNS);
    const samples = SECRET_PATTERNS.flatMap((p) => [...p.samples.match, ...p.samples.noMatch]);
    for (const text of [...samples, samples.join('\n'), '', 'no keyword in here at all']) {
      const lower = text.toLowerCase();
      expect(candidatePatterns(index, lower), text.slice(0, 80)).toEqual(naive(SECRET_PATTERNS, lower));
    }
  });

  it('finds keywords that overlap or sit inside one another', () => {
    const patterns = ['abc', 'bcd', 'abcde', 'cd'].map(
      (k, i): SecretPattern => ({
        id: `p${i}`,
        title: k,
        regex: /x/,
        keywords: [k],
        severity: 'high',
        confidence: 'high',
        samples: { match: [], noMatch: [] },
      }),
    );
    const index = buildKeywordIndex(patterns);
    expect(candidatePatterns(index, 'xxabcdexx')).toEqual([0, 1, 2, 3]);
    expect(candidatePatterns(index, 'xbcdx')).toEqual([1, 3]);
    expect(candidatePatterns(index, 'abxcd')).toEqual([3]);
  });

  it('changes no result of findProviderSecrets', () => {
    const token = syntheticToken('ghp_', 36, undefined, 5);
    const text = `curl -H "Authorization: Bearer ${syntheticToken('', 40, undefined, 6)}" https://api.acme.io\nGH=${token}\n`;
    const ids = findProviderSecrets(text).map((s) => s.patternId);
    expect(ids).toEqual(['curl-auth-header', 'github-token']);
  });
});
