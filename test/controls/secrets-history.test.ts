import { describe, expect, it } from 'vitest';
import { historyReason, summariseHistory } from '../../src/controls/secrets-history.js';

const HEAD = 'c'.repeat(40);

describe('secrets in git history as CC6.1/CC6.6 evidence', () => {
  it('says not examined without --history', () => {
    expect(historyReason(undefined)).toMatch(/^Secrets in git history: not examined/);
    expect(historyReason({ examined: false })).toMatch(/^Secrets in git history: not examined/);
  });

  it('says clean only for what was read', () => {
    expect(historyReason(summariseHistory(HEAD, [], '2024-01-01'))).toBe(
      `Secrets in git history: examined (commits reachable from ${HEAD.slice(0, 12)} after 2024-01-01); no provider key, private key or connection-string password found in the lines they added.`,
    );
  });

  it('says a shallow clone was only partly examined, clean or not', () => {
    const clean = historyReason(summariseHistory(HEAD, [], undefined, true));
    expect(clean).toContain(`commits reachable from ${HEAD.slice(0, 12)} that a shallow clone holds`);
    expect(clean).toContain('older commits were not read, so this is no evidence about them');
    expect(historyReason(summariseHistory(HEAD, []))).not.toContain('shallow');
  });

  it('counts secrets, commits and files, with the dates and at most six kinds named', () => {
    const kinds = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const secrets = kinds.map((kind, i) => ({ commit: `c${i % 3}`, authorDate: `2024-0${(i % 9) + 1}-02T00:00:00Z`, path: `f${i % 2}`, kind }));
    const h = summariseHistory(HEAD, secrets);
    expect(h).toMatchObject({ examined: true, secrets: 8, commits: 3, files: 2, first: '2024-01-02', last: '2024-08-02' });
    expect(historyReason(h)).toContain('8 secrets (a, b, c, d, e, f and 2 more kinds) added in 3 commits to 2 files, from 2024-01-02 to 2024-08-02.');
  });
});
