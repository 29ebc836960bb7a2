/**
 * Issue 12 item 3 (line breaks and snippets): line numbers, snippets and line counts agree for every line
 * terminator each parser knows, and a snippet is short and masked however long its line is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import { SecretSet, makeSnippet, redactProjectModel, redactText, routePathSecrets } from '../../src/model/redact.js';
import type { Endpoint } from '../../src/model/endpoints.js';
import type { Language } from '../../src/model/facts.js';
import { syntheticToken } from '../../src/model/secret-patterns.js';
import { countLines, lineStarts, lineTerminatorsFor, linesWithOffsets, positionAt, splitLines } from '../../src/util/lines.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('util/lines', () => {
  it('splits on CRLF, LF and a lone CR; JavaScript also on U+2028 and U+2029', () => {
    const text = 'a\r\nb\nc\rd\u2028e\u2029f';
    expect(splitLines(text)).toEqual(['a', 'b', 'c', 'd\u2028e\u2029f']);
    expect(splitLines(text, 'javascript')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(countLines(text)).toBe(4);
    expect(countLines(text, 'javascript')).toBe(6);
    expect(lineStarts(text)).toEqual([0, 3, 5, 7]);
    expect(positionAt(lineStarts(text), text.indexOf('c'))).toEqual({ line: 3, column: 1 });
    expect(linesWithOffsets('x\r\ry\r')).toEqual([
      { text: 'x', start: 0 },
      { text: '', start: 2 },
      { text: 'y', start: 3 },
    ]);
    expect([countLines(''), countLines('\r'), countLines('a\r'), countLines('a\r\n'), countLines('a\rb')]).toEqual([0, 1, 1, 1, 2]);
    expect(lineTerminatorsFor('typescript')).toBe('javascript');
    expect(lineTerminatorsFor('python')).toBe('standard');
  });

  it('linesWithOffsets, lineStarts and splitLines agree on any text', () => {
    const piece = fc.constantFrom('a', 'b', ' ', '\r', '\n', '\r\n', '\u2028', '\u2029');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('standard' as const, 'javascript' as const), (pieces, t) => {
        const text = pieces.join('');
        const lines = linesWithOffsets(text, t);
        const split = splitLines(text, t);
        expect(lines.map((l) => l.text)).toEqual(split.length > 1 && split.at(-1) === '' ? split.slice(0, -1) : split);
        expect(lines.map((l) => l.start)).toEqual(lineStarts(text, t).slice(0, lines.length));
        for (const l of lines) expect(text.slice(l.start, l.start + l.text.length)).toBe(l.text);
        expect(countLines(text, t)).toBe(text === '' ? 0 : lines.length);
      }),
    );
  });
});

/** A secret per line, each line ended by the next terminator in turn: the parser's line must be ours. */
async function positionsAgree(language: Language, path: string, line: (name: string, value: string) => string, terminators: string[]): Promise<void> {
  const values = terminators.map((_, i) => syntheticToken('Zq', 14, ALNUM, 100 + i));
  const text = values.map((v, i) => line(`SECRET_${i}`, v) + terminators[i]).join('');
  const { facts } = await extractFacts({ path, language, text });
  const lines = splitLines(text, lineTerminatorsFor(language));
  expect(facts).not.toBeNull();
  for (const [i, value] of values.entries()) {
    const binding = facts!.bindings.find((b) => b.value === value);
    expect(binding, `binding ${i}`).toBeDefined();
    expect(binding!.range.start.line).toBe(i + 1);
    expect(lines[binding!.range.start.line - 1]!.slice(binding!.range.start.column - 1)).toContain(value);
  }
  // (javascript/extract.ts counts lines without U+2028/U+2029: only coverage figures, not positions.)
  if (language !== 'javascript') expect(facts!.lineCount).toBe(values.length);
}

describe('every extractor numbers lines the way snippets are cut', () => {
  const mixed = ['\r', '\n', '\r\n', '\r', '\r'];
  it('JavaScript (Babel): CR, LF, CRLF, U+2028, U+2029', async () => {
    await positionsAgree('javascript', 'a.js', (n, v) => `const ${n} = "${v}";`, [...mixed, '\u2028', '\u2029', '\n']);
  });
  it('Python (tree-sitter, lone CR read as Python reads it)', async () => {
    await positionsAgree('python', 'a.py', (n, v) => `${n} = "${v}"`, mixed);
  });
  it('.env, INI, Dockerfile, YAML and JSON', async () => {
    await positionsAgree('config', '.env', (n, v) => `${n}=${v}`, mixed);
    await positionsAgree('config', 'app.ini', (n, v) => `${n} = ${v}`, mixed);
    await positionsAgree('config', 'Dockerfile', (n, v) => `ENV ${n}=${v}`, mixed);
    await positionsAgree('config', 'app.yml', (n, v) => `${n}: ${v}`, mixed);
    await positionsAgree('config', 'app.json', (n, v) => `"${n}": "${v}",`, mixed);
  });
});

describe('makeSnippet', () => {
  const secrets = [syntheticToken('Zq', 20, ALNUM, 1), syntheticToken('Zq', 20, ALNUM, 2)];

  it('masks every given range and secret on the line, not only the finding’s own', () => {
    const line = `ENV A=${secrets[0]} B=${secrets[1]}`;
    const own = { start: { line: 1, column: 7 }, end: { line: 1, column: 7 + secrets[0]!.length } };
    const other = { start: { line: 1, column: line.indexOf('B=') + 3 }, end: { line: 1, column: line.length + 1 } };
    expect(makeSnippet([line], own, [secrets[0]!], [own, other])).toBe('ENV A=******** B=********');
    expect(makeSnippet([line], own, secrets, [own])).toBe('ENV A=******** B=********');
  });

  it('cuts a megabyte line to a short window, masks it, and does so quickly', () => {
    const filler = 'x = 1; '.repeat(150_000);
    const line = `${filler}const a = "${secrets[0]}"; const b = "${secrets[1]}"; ${filler}`;
    const column = line.indexOf(secrets[0]!) + 1;
    const range = { start: { line: 1, column }, end: { line: 1, column: column + secrets[0]!.length } };
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      const snippet = makeSnippet([line], range, secrets, [range]);
      expect(snippet.length).toBeLessThanOrEqual(242);
      expect(snippet).toContain('const a = "********"; const b = "********";');
      for (const s of secrets) expect(snippet).not.toContain(s);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('route paths', () => {
  it('finds provider tokens and token-like segments, and leaves words and parameters', () => {
    const ghp = syntheticToken('ghp_', 36, ALNUM, 3);
    const hex = syntheticToken('', 40, '0123456789abcdef', 4);
    const random = syntheticToken('', 28, ALNUM, 5);
    expect(routePathSecrets(`/hook/${ghp}`)).toEqual([ghp]);
    expect(routePathSecrets(`/webhooks/${hex}/events`)).toEqual([hex]);
    expect(routePathSecrets(`/bot/${random}`)).toEqual([random]);
    for (const path of [
      '/api/v1/users/:userId',
      '/api/organizations/{organizationId}/members',
      '/auth/oauth2/callback',
      '/reports/2024-annual-summary',
      '/healthz',
      '/api/getUserPreferences',
    ]) {
      expect(routePathSecrets(path), path).toEqual([]);
    }
  });

  it('redactProjectModel masks paths, guard names and handler names, and leaves the input alone', () => {
    const ghp = syntheticToken('ghp_', 36, ALNUM, 6);
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const endpoint: Endpoint = {
      framework: 'express',
      methods: ['POST'],
      path: `/hook/${ghp}`,
      file: 'a.js',
      range,
      optOuts: [],
      handler: { file: 'a.js', name: `handlers.${ghp}`, range },
      guards: [{ kind: 'authentication', name: `auth('${ghp}')`, scope: 'route', path: 'a.js', line: 1 }],
    };
    const model = { files: [], endpoints: [endpoint], apps: [{ framework: 'express' as const, file: 'a.js', range, guards: endpoint.guards }] };
    const out = redactProjectModel(model, new SecretSet([]));
    expect(JSON.stringify(out)).not.toContain(ghp);
    expect(out.endpoints[0]!.path).toBe('/hook/ghp_********');
    expect(model.endpoints[0]!.path).toBe(`/hook/${ghp}`);
  });

  it('masks guard literals that could be credentials, also when the name was cut inside one', () => {
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const guard = (name: string) => ({ kind: 'authentication' as const, name, scope: 'app' as const, path: 'a.js', line: 1 });
    const names = [
      "basicAuth({ users: { admin: 'Xk9mQ2vLp7rT4wZ' } })",
      "jwt({ secret: 'Hq8Lm2Pz7Rk4V…",
      "passport.authenticate('jwt')",
      "requireRole('billing-admin')",
      "hasPermission('orders:write')",
      'rateLimit({ windowMs: 60000, max: 100 })',
    ];
    const model = { files: [], endpoints: [], apps: [{ framework: 'express' as const, file: 'a.js', range, guards: names.map(guard) }] };
    expect(redactProjectModel(model, new SecretSet([])).apps[0]!.guards.map((g) => g.name)).toEqual([
      "basicAuth({ users: { admin: '********' } })",
      "jwt({ secret: '********…",
      "passport.authenticate('jwt')",
      "requireRole('billing-admin')",
      "hasPermission('orders:write')",
      'rateLimit({ windowMs: 60000, max: 100 })',
    ]);
  });
});

describe('SecretSet', () => {
  it('masks every occurrence, overlapping secrets as one mask, and keeps a provider prefix', () => {
    const ghp = syntheticToken('ghp_', 36, ALNUM, 7);
    const set = new SecretSet(['zzabc1', 'abc123456', ghp, 'ab']);
    expect(redactText('x zzabc123456 y zzabc1 z', [], set)).toBe('x ******** y ******** z');
    expect(redactText(`a=${ghp};b=${ghp}`, [], set)).toBe('a=ghp_********;b=ghp_********');
    expect(redactText('ab abc', [], set)).toBe('ab abc'); // shorter than 3: never masked
    expect(redactText('k=abc', ['abc'])).toBe('k=********');
  });

  it('masks thousands of secrets in thousands of lines in linear time', () => {
    const secrets = Array.from({ length: 5_000 }, (_, i) => syntheticToken('sk_', 20, ALNUM, i));
    const set = new SecretSet(secrets);
    const lines = Array.from({ length: 5_000 }, (_, i) => `const key${i} = "${secrets[(i * 7) % secrets.length]}"; // ${'x'.repeat(60)}`);
    const started = performance.now();
    for (const [i, line] of lines.entries()) expect(redactText(line, [], set)).toBe(`const key${i} = "********"; // ${'x'.repeat(60)}`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
