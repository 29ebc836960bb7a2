import { describe, expect, it } from 'vitest';
import { isExampleToken, isPlaceholderShaped, isPlaceholderToken } from '../../src/model/secret-patterns.js';
import { KNOWN_EXAMPLE_TOKENS, SECRET_PATTERNS, findPatternMatches, findProviderSecrets, syntheticToken } from '../../src/model/secrets.js';
import { findTextSecrets } from '../../src/model/secret-text.js';

/**
 * Issue 15: a token in a provider's exact format whose body is a documentation placeholder is a finding ranked low
 * (flagged `placeholder`), never dropped; a vendor's exact published example and a template that cannot be a token
 * are still dropped.
 */
describe('placeholder-shaped provider tokens', () => {
  const rows = SECRET_PATTERNS.flatMap((p) => (p.samples.placeholder ?? []).map((sample) => ({ id: p.id, sample, label: sample.slice(0, 80) })));

  it('has placeholder samples', () => {
    expect(rows.length).toBeGreaterThanOrEqual(9);
  });

  it.each(rows)('$id finds the placeholder $label, flagged', ({ id, sample }) => {
    const pattern = SECRET_PATTERNS.find((p) => p.id === id)!;
    const found = findPatternMatches(pattern, sample);
    expect(found.length, `Missing: ${id} in ${sample}`).toBeGreaterThan(0);
    expect(found.every((m) => m.placeholder === true)).toBe(true);
    expect(findProviderSecrets(sample).find((s) => s.patternId === id)?.placeholder).toBe(true);
  });

  it('does not flag a random token as a placeholder', () => {
    const real = syntheticToken('ghp_', 36);
    expect(isPlaceholderToken(real)).toBe(false);
    expect(findProviderSecrets(`GH_TOKEN=${real}`)[0]?.placeholder).toBeUndefined();
  });

  it('tells placeholders (reported low) from templates and published examples (dropped)', () => {
    for (const t of [`ghp_${'x'.repeat(36)}`, `AKIA${'Z'.repeat(16)}`, `sk_live_${'A'.repeat(24)}`, 'SNYK-12345678-ABCD-1234567890', 'token_EXAMPLE_1']) {
      expect([t, isPlaceholderToken(t), isExampleToken(t)]).toEqual([t, true, false]);
      expect(isPlaceholderShaped(t)).toBe(true);
    }
    for (const t of [...KNOWN_EXAMPLE_TOKENS, 'ghp_<your-token>', 'sk_live_...', 'ghp_your_token_here', 'sk_live_${STRIPE}', 'ghp_REDACTED', 'sk_live_****']) {
      expect([t, isPlaceholderToken(t), isExampleToken(t)]).toEqual([t, false, true]);
    }
    // DER in a PEM body holds long runs of `A`: not filler there.
    expect(isPlaceholderToken(`-----BEGIN PRIVATE KEY-----\nMIIE${'A'.repeat(12)}\n-----END PRIVATE KEY-----`)).toBe(false);
  });

  it('keeps a token masked with x in a text file only where it is a setting, header or option value (used as-is)', () => {
    const masked = `ghp_${'x'.repeat(36)}`;
    const kept = (text: string) => findTextSecrets(text, { placeholders: true }).map((s) => text.slice(s.start, s.end));
    for (const used of [
      `GITHUB_TOKEN=${masked}`,
      `  api_key = "${masked}"`,
      `"token": "${masked}"`,
      `Authorization: Bearer ${masked}`,
      `gh auth login --token=${masked}`,
    ]) {
      expect([used, kept(`${used}\n`)]).toEqual([used, [masked]]);
    }
    for (const template of [masked, `Tokens look like ${masked} and expire.`, `# GITHUB_TOKEN=${masked}`, `// token: ${masked}`, `lowEntropy := ${masked}`]) {
      expect([template, kept(`${template}\n`)]).toEqual([template, []]);
    }
    // A stand-in value (not a mask) is kept bare too: it reads as a value, and the rule ranks it low.
    const standIn = `sk_live_${'A'.repeat(24)}`;
    expect(kept(`${standIn}\n`)).toEqual([standIn]);
  });

  it('keeps placeholders in text files only when asked (the history pass ranks by pattern alone and leaves them out)', () => {
    const text = `GITHUB_TOKEN=ghp_${'x'.repeat(36)}\n`;
    expect(findTextSecrets(text)).toEqual([]);
    expect(findTextSecrets(text, { placeholders: true }).map((s) => text.slice(s.start, s.end))).toEqual([`ghp_${'x'.repeat(36)}`]);
  });
});
