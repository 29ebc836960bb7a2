import { pemBody, publishedPrivateKey } from '../../src/model/secret-published.js';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_STRING_SAMPLES,
  SECRET_NAME_SAMPLES,
  SECRET_PATTERNS,
  TEST_PATH_SAMPLES,
  WHY_NOT_SECRET_SAMPLES,
  classifySecretName,
  findConnectionStringPassword,
  findPatternMatches,
  findProviderSecrets,
  looksLikeTestPath,
  maskSecret,
  shannonEntropy,
  syntheticToken,
  hasRegexGroup,
  whyNotSecret,
} from '../../src/model/secrets.js';

const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}...` : s);

describe('SECRET_PATTERNS', () => {
  const matchRows = SECRET_PATTERNS.flatMap((p) => p.samples.match.map((s) => ({ id: p.id, sample: s, label: short(s) })));
  const noMatchRows = SECRET_PATTERNS.flatMap((p) => p.samples.noMatch.map((s) => ({ id: p.id, sample: s, label: short(s) })));

  it.each(SECRET_PATTERNS.map((p) => ({ p, id: p.id })))('$id is well-formed', ({ p }) => {
    expect(p.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(p.regex.flags).not.toMatch(/[gy]/);
    expect(p.keywords.length).toBeGreaterThan(0);
    expect(
      p.keywords.filter((k) => k !== k.toLowerCase()),
      'keywords must be lowercase',
    ).toEqual([]);
    expect(p.samples.match.length).toBeGreaterThanOrEqual(2);
    expect(p.samples.noMatch.length).toBeGreaterThanOrEqual(2);
  });

  it('has unique ids', () => {
    const ids = SECRET_PATTERNS.map((p) => p.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(matchRows)('$id matches $label', ({ id, sample }) => {
    const pattern = SECRET_PATTERNS.find((p) => p.id === id)!;
    expect(findPatternMatches(pattern, sample), `Missing: ${id} in ${sample}`).not.toEqual([]);
    // Another pattern must not shadow this one in the combined scan.
    const ids = findProviderSecrets(sample).map((s) => s.patternId);
    expect(ids, `Missing: ${id} in findProviderSecrets(${sample})`).toContain(id);
  });

  it.each(noMatchRows)('$id does not match $label', ({ id, sample }) => {
    const pattern = SECRET_PATTERNS.find((p) => p.id === id)!;
    expect(
      findPatternMatches(pattern, sample).map((m) => m.secret),
      `Extra: ${id} in ${sample}`,
    ).toEqual([]);
  });
});

describe('findProviderSecrets', () => {
  it('finds a secret inside code with its index and length', () => {
    const token = syntheticToken('ghp_', 36, undefined, 99);
    const text = `import x from 'y';\nconst k = "${token}";\n`;
    expect(findProviderSecrets(text)).toEqual([{ patternId: 'github-token', secret: token, index: text.indexOf(token), length: token.length }]);
  });

  it('reports the `secret` group, not the whole match', () => {
    const value = syntheticToken('', 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 7);
    const text = `aws_secret_access_key = "${value}"`;
    expect(findProviderSecrets(text)).toEqual([{ patternId: 'aws-secret-access-key', secret: value, index: text.indexOf(value), length: 40 }]);
  });

  it('finds a PEM private key across lines, sorted with other secrets', () => {
    const body = [1, 2, 3].map((i) => syntheticToken('', 64, undefined, i)).join('\n');
    const block = `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----`;
    const npm = syntheticToken('npm_', 36, undefined, 3);
    const text = `KEY = """${block}"""\nNPM = "${npm}"\n`;
    expect(findProviderSecrets(text)).toEqual([
      { patternId: 'private-key', secret: block, index: text.indexOf(block), length: block.length },
      { patternId: 'npm-token', secret: npm, index: text.indexOf(npm), length: npm.length },
    ]);
  });

  it('returns nothing for ordinary code', () => {
    expect(findProviderSecrets('const task = ask(desk); // sk-ant api key goes in env')).toEqual([]);
  });
});

describe('classifySecretName', () => {
  it.each(SECRET_NAME_SAMPLES.match)('%s is a %s name', (name, kind) => {
    expect(classifySecretName(name), `Missing: ${name} as ${kind}`).toBe(kind);
  });
  it.each(SECRET_NAME_SAMPLES.noMatch)('%s is not a secret name', (name) => {
    expect(classifySecretName(name), `Extra: ${name}`).toBeNull();
  });
});

describe('whyNotSecret', () => {
  it.each(WHY_NOT_SECRET_SAMPLES.plausible.map(([value, ctx]) => ({ value, ctx, label: short(value), name: ctx?.name ?? '-' })))(
    '$label (name $name) is a plausible secret',
    ({ value, ctx }) => {
      expect(whyNotSecret(value, ctx), `Extra dismissal of ${value}`).toBeNull();
    },
  );
  it.each(WHY_NOT_SECRET_SAMPLES.notSecret.map(([value, reason, ctx]) => ({ value, reason, ctx, label: short(value), name: ctx?.name ?? '-' })))(
    '$label (name $name) is not a secret: $reason',
    ({ value, reason, ctx }) => {
      expect(whyNotSecret(value, ctx), `Missing dismissal of ${value}`).toBe(reason);
    },
  );

  it('keeps every provider match sample plausible', () => {
    const dismissed = SECRET_PATTERNS.flatMap((p) =>
      p.samples.match.flatMap((sample) =>
        findPatternMatches(p, sample)
          // An .npmrc token (a Heroku/HubSpot/Snyk key) is a UUID: plausible under the name the line gives it, an identifier without one.
          .map((m) => [m.secret, whyNotSecret(m.secret, ['npmrc-auth-token', 'uuid-provider-key'].includes(p.id) ? { name: '_authToken' } : {})] as const)
          .filter(([, why]) => why !== null)
          .map(([secret, why]) => `${p.id}: ${short(secret)} -> ${why}`),
      ),
    );
    expect(dismissed).toEqual([]);
  });
});

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['abab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ] as const)('%j has %d bits per char', (s, bits) => {
    expect(shannonEntropy(s)).toBeCloseTo(bits, 10);
  });
});

describe('findConnectionStringPassword', () => {
  it.each(CONNECTION_STRING_SAMPLES.match)('%s has a %s password %s', (text, scheme, password) => {
    expect(findConnectionStringPassword(text)).toEqual({ scheme, password, index: text.indexOf(password), length: password.length });
  });
  it.each(CONNECTION_STRING_SAMPLES.noMatch)('%s has no password', (text) => {
    expect(findConnectionStringPassword(text), `Extra: ${text}`).toBeNull();
  });
});

describe('maskSecret', () => {
  const ghp = syntheticToken('ghp_', 36);
  it.each([
    ['github token, recognised', ghp, undefined, 'ghp_********'],
    ['github token, by id', ghp, 'github-token', 'ghp_********'],
    ['stripe live key', syntheticToken('sk_live_', 24), undefined, 'sk_live_********'],
    ['aws key id', syntheticToken('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), undefined, 'AKIA********'],
    ['pattern without a public prefix', syntheticToken('', 32, '0123456789abcdef'), 'twilio-auth-token', '********'],
    ['plain password', 'Sup3rS3cret!2024', undefined, '********'],
    ['short value', 'ab', undefined, '********'],
    ['empty value', '', undefined, '********'],
    ['unknown pattern id', ghp, 'no-such-pattern', '********'],
  ] as const)('%s', (_, secret, patternId, masked) => {
    expect(maskSecret(secret, patternId)).toBe(masked);
  });

  it('never reveals the length', () => {
    expect(maskSecret('a'.repeat(9))).toBe(maskSecret('b'.repeat(90)));
    expect(maskSecret(syntheticToken('glpat-', 20))).toBe(maskSecret(syntheticToken('glpat-', 40)));
  });

  it('shows a PEM header, never the body', () => {
    const block = `-----BEGIN RSA PRIVATE KEY-----\n${syntheticToken('', 64, undefined, 5)}\n-----END RSA PRIVATE KEY-----`;
    expect(maskSecret(block)).toBe('-----BEGIN RSA PRIVATE KEY-----********');
  });
});

describe('looksLikeTestPath', () => {
  it.each(TEST_PATH_SAMPLES.match)('%s is a test path', (path) => {
    expect(looksLikeTestPath(path), `Missing: ${path}`).toBe(true);
  });
  it.each(TEST_PATH_SAMPLES.noMatch)('%s is not a test path', (path) => {
    expect(looksLikeTestPath(path), `Extra: ${path}`).toBe(false);
  });
});

describe('published example private keys', () => {
  const body = 'QUJD'.repeat(20);
  const pem = (b: string) => `-----BEGIN RSA PRIVATE KEY-----\n${b}\n-----END RSA PRIVATE KEY-----`;
  it('reads the base64 body whatever the quoting: line breaks, escaped \\n, quotes and indentation', () => {
    expect(pemBody(pem(`${body.slice(0, 40)}\n${body.slice(40)}`))).toBe(body);
    expect(pemBody(pem(`${body.slice(0, 40)}\\n"\n    "${body.slice(40)}`))).toBe(body);
    expect(pemBody('no key here')).toBeNull();
  });
  it('knows no key it was not told of', () => {
    expect(publishedPrivateKey(pem(body))).toBeNull();
  });
});

describe('hasRegexGroup (the regular-expression filter of whyNotSecret)', () => {
  // The expression it replaced, which took quadratic time on openers without a `)` (kept here as the reference).
  const REFERENCE = /\(\?(?:[:=!]|<[=!]|<[A-Za-z]\w*>)[^)]*[|)]/;

  it('answers as the former expression on every string of up to 5 characters from its alphabet, and on 20,000 longer ones', () => {
    const alphabet = ['(', '?', ':', '=', '!', '<', '>', 'a', '|', ')'];
    let checked = 0;
    const check = (s: string): void => {
      checked++;
      if (hasRegexGroup(s) !== REFERENCE.test(s)) throw new Error(`differs on ${JSON.stringify(s)}`);
    };
    const grow = (prefix: string): void => {
      check(prefix);
      if (prefix.length < 5) for (const c of alphabet) grow(prefix + c);
    };
    grow('');
    // Longer strings from a fixed-seed generator (deterministic).
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const length = 6 + (next() % 20);
      for (let k = 0; k < length; k++) s += alphabet[next() % alphabet.length];
      check(s);
    }
    expect(checked).toBeGreaterThan(100000);
  });

  it('reads a 200,000-character value of openers without a `)` as no regular expression (the former expression took quadratic time on it)', () => {
    const value = '(?:^'.repeat(50000);
    expect(hasRegexGroup(value)).toBe(false);
    expect(whyNotSecret(value, { name: 'password' })).toBeNull();
  });
});
