/**
 * Issue 12 item 5: no secret pattern or filter backtracks catastrophically. Every provider pattern and every
 * function that runs the filter expressions of secrets.ts, secret-patterns.ts and redact.ts is fed hostile
 * text built from its own characters (a prefix of a sample repeated, a prefix followed by a long run of the
 * next characters, hand-written shapes per expression), 50,000 characters ending in a character that cannot
 * match. Linear code takes milliseconds; the bound is generous (2 s per input) and catches exponential and
 * quadratic blow-ups without being a benchmark. The sweep over every sample (shorter inputs, where a quadratic scan
 * stays under 2 s) judges how time grows with the input instead of a fixed budget, which a loaded machine once broke
 * (`grows`). (`recheck`/`safe-regex2` are not installed, so the inputs are written by hand.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import { SecretSet, makeSnippet, redactProjectModel, redactText, routePathSecrets } from '../../src/model/redact.js';
import { isExampleToken } from '../../src/model/secret-patterns.js';
import {
  CONNECTION_STRING_SAMPLES,
  SECRET_NAME_SAMPLES,
  SECRET_PATTERNS,
  TEST_PATH_SAMPLES,
  WHY_NOT_SECRET_SAMPLES,
  classifySecretName,
  findConnectionStringPassword,
  findProviderSecrets,
  looksLikeTestPath,
  maskSecret,
  whyNotSecret,
} from '../../src/model/secrets.js';
import { runCli } from '../helpers/cli.js';

const SIZE = 50_000;
const BUDGET_MS = 2_000;
/** Provider patterns run alone (no filter around them), so they get twice the text: 100,000 characters. */
const PATTERN_SIZE = 100_000;
/**
 * The sweep over every sample runs at 20,000 characters (a quadratic scan 2 s long at 50,000 takes 320 ms there). It
 * judges growth, not a fixed budget, so that a loaded machine cannot fail linear code: the full length may take at
 * most SWEEP_GROWTH times what a quarter of it took (linear: 4, quadratic: 16), or SWEEP_FLOOR_MS whatever the growth
 * (timer noise on inputs that take a few milliseconds).
 */
const SWEEP_SIZE = 20_000;
const SWEEP_GROWTH = 8;
const SWEEP_FLOOR_MS = 40;
const ENDINGS = ['!', '\n', '\u0000'];

/** `unit` repeated to SIZE characters after `prefix`, then a character that ends every match. */
function pump(prefix: string, unit: string, end = '!', size = SIZE): string {
  if (unit === '') return prefix + end;
  return prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length)).slice(0, Math.max(0, size - prefix.length)) + end;
}

/**
 * The classic attack shapes from one sample: its prefixes repeated (many match starts), and a prefix followed
 * by a long pump of the characters after it (one start, a long run to backtrack over). `dense` cuts at more
 * places (the provider patterns, whose samples are few).
 */
function shapesOf(sample: string, dense = false, size = SIZE): string[] {
  const out = new Set<string>();
  const half = Math.ceil(sample.length / 2);
  const cuts = dense ? [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, half, sample.length] : [2, 4, 8, half, sample.length];
  for (const k of [...new Set(cuts)].filter((c) => c <= sample.length)) {
    out.add(pump('', sample.slice(0, k), '!', size));
    if (dense || k === half) for (const w of [1, 2, 3]) if (k + w <= sample.length) out.add(pump(sample.slice(0, k), sample.slice(k, k + w), '!', size));
  }
  for (const end of ENDINGS.slice(1)) out.add(pump('', sample, end, size));
  return [...out];
}

/** Lengths each input is tried at, in order: exponential backtracking fails the bound on a short prefix. */
const STEPS = [40, 56, 80, 128, 1024];

/** Milliseconds `run` takes on `input`. */
function timeOf(run: (text: string) => unknown, input: string): number {
  const started = performance.now();
  run(input);
  return performance.now() - started;
}

/** The first `size` characters of `text`, its last character in place of the last of them (so the input still ends where no match can). */
function prefixOf(text: string, size: number): string {
  return size >= text.length ? text : text.slice(0, size - 1) + text.slice(-1);
}

/**
 * Runs `run` on growing prefixes of `text` (each ending in `text`'s last character) up to the whole of it, and
 * fails at the first one that exceeds the budget, so a regression fails in seconds instead of hanging. Returns the
 * time the whole of `text` took.
 */
function within(label: string, text: string, run: (text: string) => unknown, budget = BUDGET_MS): number {
  let ms = 0;
  for (const size of [...STEPS.filter((n) => n < text.length), text.length]) {
    const input = prefixOf(text, size);
    ms = timeOf(run, input);
    expect(ms, `${label} on ${JSON.stringify(input.slice(0, 24))}… (${size} chars) took ${Math.round(ms)} ms`).toBeLessThan(budget);
  }
  return ms;
}

/**
 * `within` with the generous budget (exponential backtracking fails on a short prefix), then the growth from a quarter
 * of `text` to all of it: a quadratic scan grows 16-fold, linear code 4-fold, on a fast machine or a loaded one alike.
 * Over the bound, both lengths are timed once more and the faster times count (one slow stretch is not the code's).
 */
function grows(label: string, text: string, run: (text: string) => unknown): void {
  const quarterText = prefixOf(text, Math.floor(text.length / 4));
  let full = within(label, text, run);
  let quarter = timeOf(run, quarterText);
  const bound = (): number => Math.max(SWEEP_FLOOR_MS, SWEEP_GROWTH * quarter);
  if (full >= bound()) {
    quarter = Math.min(quarter, timeOf(run, quarterText));
    full = Math.min(full, timeOf(run, text));
  }
  const what = `${label} on ${JSON.stringify(text.slice(0, 24))}… took ${Math.round(full)} ms at ${text.length} chars, ${Math.round(quarter)} ms at a quarter`;
  expect(full, what).toBeLessThan(bound());
}

/** Every match of `re` in `text`, as findPatternMatches scans (but without the keyword prefilter). */
function scanAll(re: RegExp, text: string): number {
  const g = new RegExp(re.source, `${re.flags.replace(/[gy]/g, '')}g`);
  let n = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (m[0] === '') g.lastIndex++;
    n++;
  }
  return n;
}

/** Hand-written hostile shapes for the expressions of secrets.ts, redact.ts and the config extractor. */
const FILTER_SHAPES: string[] = [
  // VERSION (the case: 100 bytes took 50 s), in every position a `-` may take
  pump('1.1', '-1'),
  pump('1.1', '-1.1'),
  pump('1', '.1', '-!'),
  pump('^1', ' <1'),
  pump('1.1', ' - 1'),
  pump('1.1-', 'a-1'),
  pump('>=1', '.x'),
  pump('1.1', ' || 1'),
  // TEMPLATE_ANYWHERE / TEMPLATE_WHOLE
  pump('', '${'),
  pump('', '{{'),
  pump('', '<%'),
  pump('', '#{'),
  pump('', '%('),
  pump('', '$('),
  pump('', '{{a{'),
  pump('', '${a{b'),
  pump('<%', '%'),
  pump('$', 'A'),
  // PUBLIC_KEY, PLACEHOLDER_*, isExampleToken
  pump('-----BEGIN ', 'A '),
  pump('-----BEGIN ', 'A'),
  pump('your', ' '),
  pump('your-', 'a.'),
  pump('<', 'a'),
  pump('[', 'a'),
  pump('todo', ' '),
  pump('', 'xxx!'),
  pump('', '**!'),
  pump('', '..!'),
  pump('', 'x'),
  pump('a', '0'),
  // EMAIL, IDENTIFIER, CAMEL_IDENTIFIER, camelWords, nameWords
  pump('a@', 'b.'),
  pump('a@', 'b-'),
  pump('', 'a.', '@'),
  pump('', 'a-'),
  pump('', 'A_'),
  pump('', 'Ab'),
  pump('', 'AB'),
  pump('A', '::B'),
  pump('', 'aA1'),
  pump('', 'A', 'a'),
  pump('', '1', 'x'),
  pump('', 'ABa'),
  // isFilePath, isUrlWithoutCredentials, SENTENCE_WORD, ENV_REFERENCE
  pump('', 'a/'),
  pump('a/', 'a.'),
  pump('/', 'a/', '\u0000'),
  pump('~/', 'A1b/'),
  pump('a', 'b', '://'),
  pump('http://', 'a'),
  pump('', 'https://x/?key='),
  pump('', 'a '),
  pump('', 'process.env'),
  // URL_USERINFO, URL_QUERY, KV_PASSWORD, KV_SERVER
  pump('', 'postgres://a:'),
  pump('postgres://', ':'),
  pump('', 'mysql://a?'),
  pump('', 'jdbc:mysql://'),
  pump('', 'postgres://a?password='),
  pump('Server=x;', 'pwd=a;'),
  pump('', 'password='),
  pump('', 'pwd = '),
  pump('', ';pwd=', '\n'),
  pump('', 'server='),
  pump('postgres://a:b@', 'c'),
  // names, test paths, masks
  pump('', 'password'),
  pump('', 'Password'),
  pump('', 'api_key_'),
  pump('', 'test/'),
  pump('', '_test', '.py!'),
  pump('test_', 'a', '.p'),
  pump('', '"', 'x'),
  pump('', 'rbuf'),
  // provider-pattern shapes that used to rescan a whole run from every start
  pump('', "'a1"),
  pump("'", 'a1'),
  pump('', '"\\'),
  pump('', 'eyJ-'),
  pump('', 'eyJ.'),
  pump('eyJ', 'a'),
  pump('', 'secret"'),
  pump('aws_secret_access_key=', ' '),
  pump('', 'xoxb-1-'),
  pump('', 'sk_live_'),
];

describe('secret patterns in linear time', () => {
  for (const pattern of SECRET_PATTERNS) {
    it(pattern.id, () => {
      const samples = [...pattern.samples.match, ...pattern.samples.noMatch, ...pattern.keywords];
      const hostile = ['eyJ-', 'eyJ.', 'secret"', 'xoxb-1-', 'sk_live_', 'glpat-', '-----BEGIN PRIVATE KEY-----'].map((u) => pump('', u, '!', PATTERN_SIZE));
      const shapes = [...new Set([...samples.flatMap((x) => shapesOf(x, true, PATTERN_SIZE)), ...hostile])];
      expect(shapes.length).toBeGreaterThan(20);
      for (const text of shapes) within(pattern.id, text, (t) => scanAll(pattern.regex, t));
    });
  }
});

describe('secret filters in linear time', () => {
  const values = [...WHY_NOT_SECRET_SAMPLES.plausible.map(([v]) => v), ...WHY_NOT_SECRET_SAMPLES.notSecret.map(([v]) => v)].filter((v) => v.trim() !== '');
  const names = [...SECRET_NAME_SAMPLES.match.map(([n]) => n), ...SECRET_NAME_SAMPLES.noMatch];
  const connections = [...CONNECTION_STRING_SAMPLES.match.map(([t]) => t), ...CONNECTION_STRING_SAMPLES.noMatch];
  const paths = [...TEST_PATH_SAMPLES.match, ...TEST_PATH_SAMPLES.noMatch];
  const tokens = SECRET_PATTERNS.flatMap((p) => p.samples.match);
  const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
  const guardModel = (name: string) => ({
    files: [],
    endpoints: [],
    apps: [
      { framework: 'express' as const, file: 'a.js', range, guards: [{ kind: 'authentication' as const, name, scope: 'app' as const, path: 'a.js', line: 1 }] },
    ],
  });
  const snippetOf = (t: string) =>
    makeSnippet(
      [t],
      { start: { line: 1, column: 2 }, end: { line: 1, column: 9 } },
      ['Zq3kLm9PqRs7'],
      [{ start: { line: 1, column: 1 }, end: { line: 1, column: 4 } }],
    );
  /** Each filter with the samples of the expressions it runs. */
  const filters: Array<[string, (text: string) => unknown, string[]]> = [
    ['whyNotSecret', (t) => whyNotSecret(t, { name: 'password' }), [...values, ...connections]],
    ['classifySecretName', (t) => classifySecretName(t), names],
    ['findConnectionStringPassword', (t) => findConnectionStringPassword(t), connections],
    ['findProviderSecrets', (t) => findProviderSecrets(t), connections],
    ['redactText', (t) => redactText(t, ['Zq3kLm9PqRs7']), connections],
    ['maskSecret', (t) => maskSecret(t), tokens],
    ['looksLikeTestPath', (t) => looksLikeTestPath(t), paths],
    ['isExampleToken', (t) => isExampleToken(t), tokens],
    ['routePathSecrets', (t) => routePathSecrets(t), ['/api/v1/users/:id', '/hook/3f2b8c1e9a4d4e7bb6f02c9d1e8a7b54', '/bot/K7mDnG2bPxRfiCYq9Lz3Tw8v']],
    ['makeSnippet', snippetOf, connections],
    [
      'redactProjectModel (guard names)',
      (t) => redactProjectModel(guardModel(t), new SecretSet(['Zq3kLm9PqRs7'])),
      ["basicAuth({ users: { admin: 'Xk9mQ2vLp7rT4wZ' } })"],
    ],
  ];

  it('the issue’s password "1.1-1-1-…!" (100 bytes took 50 s)', () => {
    const value = `1.1${'-1'.repeat(48)}!`;
    expect(value.length).toBeGreaterThanOrEqual(100);
    within('whyNotSecret', value, (t) => whyNotSecret(t, { name: 'password' }));
    expect(whyNotSecret(value, { name: 'password' })).toBe('low-entropy');
  });

  it('the version filter still reads versions and ranges, and only them', () => {
    for (const v of ['^9.0.0', '~1.2.3', '>=2.1.0 <3', '1.0.0-beta.2', '1.0.0 - 2.0.0', '1.0.0-alpha-1', '1.2.x || 2.*'])
      expect(whyNotSecret(v, { name: 'token' }), v).toBe('not-a-secret-shape');
    for (const v of ['2024.1-Summer-Pass', '1.1-1-1-1-1-1-1-x!', 'v1.2-S3cr3t!']) expect(whyNotSecret(v, { name: 'password' }), v).toBeNull();
  });

  it('the growth check fails a quadratic scan and passes a linear one', () => {
    const text = pump('', 'ab', '!', SWEEP_SIZE);
    const quadratic = (t: string): number => {
      let c = 0;
      for (let i = 0; i < t.length; i++) for (let j = i; j < t.length; j++) if (t.charCodeAt(j) === 33) c++;
      return c;
    };
    expect(() => grows('quadratic', text, quadratic)).toThrow(/took/);
    expect(() => grows('linear', text, (t) => t.split('a').length)).not.toThrow();
  });

  for (const [name, run, samples] of filters) {
    it(name, () => {
      for (const text of FILTER_SHAPES) within(name, text, run);
      const sweep = [...new Set(samples.flatMap((x) => shapesOf(x, false, SWEEP_SIZE)))];
      for (const text of sweep) grows(name, text, run);
    });
  }

  it('the config extractor on hostile lines (.ini, .env, Dockerfile, JSON)', async () => {
    const cases: Array<[string, string]> = [
      ['a.ini', pump('', '[')],
      ['a.ini', pump('[', ' ')],
      ['a.ini', pump('a = b', ' ', 'c')],
      ['.env', pump('A=b', ' ', 'c')],
      ['Dockerfile', pump('ENV ', 'a')],
      ['Dockerfile', pump('ENV a="', 'b')],
      ['Dockerfile', pump('ENV ', 'a=')],
      ['a.json', pump('', '"a')],
      ['a.json', pump('{"a": "', '\\"')],
    ];
    for (const [path, text] of cases) {
      for (const size of [1_000, 10_000, text.length]) {
        const input = text.slice(0, size - 1) + text.slice(-1);
        const started = performance.now();
        await extractFacts({ path, language: 'config', text: input });
        const ms = performance.now() - started;
        expect(ms, `${path} on ${JSON.stringify(input.slice(0, 16))}… (${size} chars) took ${Math.round(ms)} ms`).toBeLessThan(BUDGET_MS);
      }
    }
  });
});

it('scans the issue’s file end to end in seconds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ca-redos-'));
  writeFileSync(join(dir, 'config.js'), `const password = "1.1${'-1'.repeat(48)}!";\nconst token = "1.1${'-1'.repeat(5_000)}!";\n`);
  const started = performance.now();
  const r = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none', '--no-cache']);
  expect(r.code).toBe(0);
  expect(performance.now() - started).toBeLessThan(15_000);
});
