import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FactsCache, cacheKey, extractorVersion } from '../../src/engine/cache.js';
import { extractFacts, type SourceFile } from '../../src/engine/extract.js';
import { syntheticToken } from '../../src/model/secrets.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A secret of a random kind: provider formats, a named password, a connection-string password, a session secret. */
const secretArb = fc.record({
  kind: fc.constantFrom('github', 'aws', 'stripe', 'password', 'db-url', 'session'),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  word: fc.stringMatching(/^[a-z][a-z0-9 _-]{5,20}[a-z0-9]$/),
});

type GeneratedSecret = { kind: string; seed: number; word: string };

function render(s: GeneratedSecret, i: number): { line: string; value: string } {
  switch (s.kind) {
    case 'github': {
      const value = syntheticToken('ghp_', 36, ALNUM, s.seed);
      return { line: `const t${i} = { note: 'see ${value} here' };`, value };
    }
    case 'aws': {
      const value = syntheticToken('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', s.seed);
      return { line: `const k${i} = ["${value}"];`, value };
    }
    case 'stripe': {
      const value = syntheticToken('sk_live_', 24, ALNUM, s.seed);
      return { line: `client${i}.configure({ apiKey: '${value}' });`, value };
    }
    case 'password': {
      const value = `${s.word}${s.seed}`;
      return { line: `const dbPassword${i} = '${value}';`, value };
    }
    case 'db-url': {
      const value = `Pw${syntheticToken('', 10, ALNUM, s.seed)}`;
      return { line: `const url${i} = "postgres://app:${value}@db${i}:5432/app";`, value };
    }
    default: {
      const value = `${s.word}-${s.seed}`;
      return { line: `app.use(session({ secret: '${value}', name: 's${i}' }));`, value };
    }
  }
}

describe('facts cache (property)', () => {
  it('never stores a generated secret, and gives back exactly the extracted facts', async () => {
    const version = extractorVersion();
    await fc.assert(
      fc.asyncProperty(
        fc.array(secretArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('', '// x', 'const y = 1;', "const s = require('express-session');"), { maxLength: 4 }),
        async (secrets, filler) => {
          const rendered = secrets.map(render);
          const text = [...filler, ...rendered.map((r) => r.line), ''].join('\n');
          const source: SourceFile = { path: 'src/gen.js', language: 'javascript', text };
          const extracted = await extractFacts(source);
          const dir = mkdtempSync(join(tmpdir(), 'ca-cache-prop-'));
          const writer = await FactsCache.open(dir, '/p');
          writer.set(source.path, cacheKey(source, version), extracted, text);
          await writer.save();
          for (const name of readdirSync(dir)) {
            const stored = readFileSync(join(dir, name), 'utf8');
            for (const { value } of rendered) expect(stored.includes(value), `${value} in ${name}`).toBe(false);
          }
          const reader = await FactsCache.open(dir, '/p');
          expect(reader.get(source.path, cacheKey(source, version), text)).toEqual(JSON.parse(JSON.stringify(extracted)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives concurrent scans of a fresh folder one key, so whichever pack is written last verifies', async () => {
    const version = extractorVersion();
    const source: SourceFile = { path: 'a.js', language: 'javascript', text: "const password = 'hunter2hunter2';\n" };
    const extracted = await extractFacts(source);
    for (let round = 0; round < 5; round++) {
      const dir = join(mkdtempSync(join(tmpdir(), 'ca-cache-race-')), 'cache');
      const caches = await Promise.all([1, 2, 3, 4, 5].map(() => FactsCache.open(dir, '/p')));
      for (const cache of caches) cache.set(source.path, cacheKey(source, version), extracted, source.text);
      await Promise.all(caches.map((c) => c.save()));
      expect((await FactsCache.open(dir, '/p')).get(source.path, cacheKey(source, version), source.text)).toBeDefined();
    }
  });
});
