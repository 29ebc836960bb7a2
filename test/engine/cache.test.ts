import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { FactsCache, PACK_VERSION, cacheKey, extractorVersion } from '../../src/engine/cache.js';
import { extractFacts, type SourceFile } from '../../src/engine/extract.js';
import { scan } from '../../src/engine/scan.js';
import { syntheticToken } from '../../src/model/secrets.js';
import { toJson } from '../../src/report/json.js';
import { runCli } from '../helpers/cli.js';
import { readPack, writePack } from './cache-pack.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Fake credentials of every kind the cache must not keep, generated here (none is a real key). */
const PEM_LINES = [1, 2, 3, 4].map((i) => syntheticToken('', 64, B64, 700 + i));
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_LINES.join('\n')}\n-----END RSA PRIVATE KEY-----`;
const JWT = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ sub: 'u-7', iat: 1700000000 })).toString('base64url')}.${syntheticToken('', 43, B64URL, 71)}`;
const GITHUB = syntheticToken('ghp_', 36, undefined, 72);
const AWS = syntheticToken('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 73);
const PASSWORD = 'hunter2hunter2';
const SESSION_SECRET = 'keyboard cat';
const DB_PASSWORD = 'Pg5ecretPw';
const SECRETS = [PEM, ...PEM_LINES, JWT, GITHUB, AWS, PASSWORD, SESSION_SECRET, DB_PASSWORD];

const PROJECT: Record<string, string> = {
  'src/keys.js': `const signingKey = \`${PEM}\`;\nmodule.exports = { signingKey };\n`,
  'src/app.js': [
    "const express = require('express');",
    "const session = require('express-session');",
    `const password = "${PASSWORD}";`,
    `const token = '${JWT}';`,
    `const client = { auth: '${GITHUB}' };`,
    `const awsKey = '${AWS}';`,
    'const app = express();',
    `app.use(session({ secret: '${SESSION_SECRET}', cookie: { secure: false } }));`,
    "app.post('/login', (req, res) => res.json({ ok: password === req.body.password }));",
    '',
  ].join('\n'),
  'settings.py': `DATABASE_URL = "postgres://app:${DB_PASSWORD}@db:5432/app"\nDEBUG = True\n`,
  'src/hash.js': "const crypto = require('crypto');\nexports.digest = (user) => crypto.createHash('md5').update(user.password).digest('hex');\n",
};

function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-cache-project-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Each secret (and its JSON-escaped form) found in any file under `dir`, as `file: secret`. */
function secretsAtRest(dir: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'latin1');
    const utf8 = readFileSync(file, 'utf8');
    for (const s of secrets) {
      const forms = [s, JSON.stringify(s).slice(1, -1), JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1)];
      if (forms.some((f) => text.includes(f) || utf8.includes(f))) found.push(`${file.slice(dir.length + 1)}: ${s.slice(0, 12)}…`);
    }
  }
  return found;
}

function pack(dir: string): string {
  const packs = readdirSync(dir).filter((f) => /^facts-.*\.pack$/.test(f));
  expect(packs).toHaveLength(1);
  return join(dir, packs[0]!);
}

const scanJson = async (root: string, cacheDir?: string): Promise<string> =>
  toJson(await scan(root, { rules: RULES, ...(cacheDir ? { cacheDir } : {}) }), RULES);

describe('facts cache at rest', () => {
  it('holds no secret value of files only the text plugin reads (.txt, an extension-less key, .go)', async () => {
    const project = makeProject({
      'notes.txt': `staging account\naws_access_key_id = ${AWS}\n`,
      'deploy/id_rsa': `${PEM}\n`,
      'cmd/main.go': `package main\n\nconst token = "${GITHUB}"\n`,
    });
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'ca-cache-')), 'cache');
    const cold = await runCli(['scan', project, '--format', 'json', '--cache-dir', cacheDir]);
    const report = JSON.parse(cold.stdout) as { findings: Array<{ ruleId: string; location: { path: string; startLine: number } }> };
    // The scan saw every secret: otherwise the check below would prove nothing.
    expect(report.findings.filter((f) => f.ruleId === 'SOC2-002').map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual([
      'cmd/main.go:3',
      'deploy/id_rsa:1',
      'notes.txt:2',
    ]);
    expect(Object.keys(readPack(pack(cacheDir)).entries).sort()).toEqual(['cmd/main.go', 'deploy/id_rsa', 'notes.txt']);
    expect(secretsAtRest(cacheDir, [AWS, GITHUB, PEM, ...PEM_LINES])).toEqual([]);
    const warm = await runCli(['scan', project, '--format', 'json', '--cache-dir', cacheDir]);
    expect(warm.stdout).toBe(cold.stdout);
  }, 60_000);

  it('holds no secret value, and cold, warm and uncached scans print the same JSON', async () => {
    const project = makeProject(PROJECT);
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'ca-cache-')), 'cache');
    const cold = await runCli(['scan', project, '--format', 'json', '--cache-dir', cacheDir]);
    const report = JSON.parse(cold.stdout) as { findings: Array<{ ruleId: string; location: { path: string; startLine: number } }> };
    // The scan saw every secret: otherwise the check below would prove nothing.
    expect(report.findings.filter((f) => f.ruleId === 'SOC2-002').map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual([
      'settings.py:1',
      'src/app.js:3',
      'src/app.js:4',
      'src/app.js:5',
      'src/app.js:6',
      'src/app.js:8',
      'src/keys.js:1', // the PEM block
      'src/keys.js:1', // the private key named signingKey
    ]);
    // Every file is cached, the ones holding secrets included (with references in place of the values).
    expect(Object.keys(readPack(pack(cacheDir)).entries)).toEqual(['settings.py', 'src/app.js', 'src/hash.js', 'src/keys.js']);
    expect(secretsAtRest(cacheDir, SECRETS)).toEqual([]);
    const warm = await runCli(['scan', project, '--format', 'json', '--cache-dir', cacheDir]);
    const uncached = await runCli(['scan', project, '--format', 'json', '--no-cache']);
    expect(warm.stdout).toBe(cold.stdout);
    expect(uncached.stdout).toBe(cold.stdout);
    expect(secretsAtRest(cacheDir, SECRETS)).toEqual([]);
  });

  it('puts secret values back from the file text on a hit, and stores only masks and references', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const version = extractorVersion();
    const sources: SourceFile[] = [
      { path: 'src/app.js', language: 'javascript', text: PROJECT['src/app.js']! },
      { path: 'src/keys.js', language: 'javascript', text: PROJECT['src/keys.js']! },
      { path: 'settings.py', language: 'python', text: PROJECT['settings.py']! },
    ];
    const writer = await FactsCache.open(cacheDir, '/project');
    const expected = new Map<string, unknown>();
    for (const source of sources) {
      const extracted = await extractFacts(source);
      expected.set(source.path, JSON.parse(JSON.stringify(extracted)));
      writer.set(source.path, cacheKey(source, version), extracted, source.text);
    }
    expect(writer.notCachedCount).toEqual({});
    await writer.save();
    const stored = readFileSync(pack(cacheDir), 'utf8');
    expect(secretsAtRest(cacheDir, SECRETS)).toEqual([]);
    expect(stored).toContain('"secret":"********"');
    expect(stored).toContain('ghp_********');

    const reader = await FactsCache.open(cacheDir, '/project');
    for (const source of sources) {
      expect(reader.get(source.path, cacheKey(source, version), source.text)).toEqual(expected.get(source.path));
    }
    expect(reader.hitCount).toBe(sources.length);
    // With another text than the one the references point into, the values cannot be put back: a miss, never
    // facts with masks or wrong values in place of the secrets.
    const key = cacheKey(sources[0]!, version);
    expect((await FactsCache.open(cacheDir, '/project')).get('src/app.js', key, sources[0]!.text.replace(/[A-Za-z]/g, 'x'))).toBeUndefined();
  });

  it('does not cache a file whose secret is written with escape sequences (it is not in the text verbatim)', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const source: SourceFile = { path: 'a.js', language: 'javascript', text: 'const password = "hunter2\\x41hunter2";\n' };
    const cache = await FactsCache.open(cacheDir, '/project');
    cache.set('a.js', cacheKey(source, extractorVersion()), await extractFacts(source), source.text);
    const plain: SourceFile = { path: 'b.js', language: 'javascript', text: 'const x = 1;\n' };
    cache.set('b.js', cacheKey(plain, extractorVersion()), await extractFacts(plain), plain.text);
    expect(cache.notCachedCount).toEqual({ 'not-in-text': 1 });
    await cache.save();
    expect(secretsAtRest(cacheDir, ['hunter2Ahunter2'])).toEqual([]);
    expect(Object.keys(readPack(pack(cacheDir)).entries)).toEqual(['b.js']);
  });

  it('keeps a secret out of a cache even under an odd key (`__proto__`) and in a session secret list', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const text = `const session = require('express-session');\nconst cfg = { ["__proto__"]: '${GITHUB}' };\napp.use(session({ secret: ['rotated-${PASSWORD}', 'old-${PASSWORD}'] }));\n`;
    const source: SourceFile = { path: 'odd.js', language: 'javascript', text };
    const extracted = await extractFacts(source);
    const cache = await FactsCache.open(cacheDir, '/project');
    cache.set('odd.js', cacheKey(source, extractorVersion()), extracted, text);
    await cache.save();
    expect(secretsAtRest(cacheDir, [GITHUB, `rotated-${PASSWORD}`, `old-${PASSWORD}`])).toEqual([]);
  });

  it('caches a file whose secret is an object key: the key is cut out and put back like any value', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const text = `const session = require('express-session');\napp.use(session({ secret: '${SESSION_SECRET}', '${GITHUB}': true, ['${AWS}']: { a: 1 } }));\n`;
    const source: SourceFile = { path: 'keys.js', language: 'javascript', text };
    const extracted = await extractFacts(source);
    // The facts hold the secret as an object key: otherwise this test would prove nothing about keys.
    expect(JSON.stringify(extracted)).toContain(`"${GITHUB}":`);
    const cache = await FactsCache.open(cacheDir, '/project');
    cache.set(source.path, cacheKey(source, extractorVersion()), extracted, text);
    expect(cache.notCachedCount).toEqual({});
    await cache.save();
    expect(secretsAtRest(cacheDir, [GITHUB, AWS, SESSION_SECRET])).toEqual([]);
    const reader = await FactsCache.open(cacheDir, '/project');
    expect(reader.get(source.path, cacheKey(source, extractorVersion()), text)).toEqual(JSON.parse(JSON.stringify(extracted)));
  });
});

describe('facts cache integrity', () => {
  it('ignores an entry edited into another valid shape: the finding it held is still reported', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanJson(project, cacheDir);
    expect(cold).toContain('"ruleId": "SOC2-005"');
    const file = pack(cacheDir);
    const packed = readPack(file);
    const entry = packed.entries['src/hash.js']!;
    expect(entry.content.facts.cryptoUses?.length).toBeGreaterThan(0);
    entry.content.facts.cryptoUses = [];
    writePack(file, packed);
    expect(await scanJson(project, cacheDir)).toBe(cold);
  });

  it('ignores an entry whose secret-holding binding was dropped or whose reference was moved', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const source: SourceFile = { path: 'src/app.js', language: 'javascript', text: PROJECT['src/app.js']! };
    const key = cacheKey(source, extractorVersion());
    const writer = await FactsCache.open(cacheDir, '/project');
    writer.set(source.path, key, await extractFacts(source), source.text);
    await writer.save();
    const file = pack(cacheDir);
    const original = readFileSync(file, 'utf8');
    type Edit = (e: ReturnType<typeof readPack>['entries'][string]) => void;
    const edits: Edit[] = [
      (e) => (e.content.facts.bindings = e.content.facts.bindings.filter((b) => b.name !== 'password')),
      (e) => (e.meta.values[0]!.o += 1),
      // Two patches swapped onto each other's mask: the values would go back into the wrong strings.
      (e) => e.meta.patches.splice(0, 4, e.meta.patches[2]!, e.meta.patches[1]!, e.meta.patches[0]!, e.meta.patches[3]!),
      (e) => (e.meta.key = '0'.repeat(64)),
    ];
    // Written back unedited through the same helper, the entry verifies: the edits alone make the misses below.
    writePack(file, readPack(file));
    expect((await FactsCache.open(cacheDir, '/project')).get(source.path, key, source.text)).toBeDefined();
    for (const edit of edits) {
      const packed = readPack(file);
      expect(packed.entries[source.path]!.meta.patches.length).toBeGreaterThanOrEqual(4);
      edit(packed.entries[source.path]!);
      writePack(file, packed);
      const reader = await FactsCache.open(cacheDir, '/project');
      expect(reader.get(source.path, key, source.text)).toBeUndefined();
      writeFileSync(file, original);
    }
    expect((await FactsCache.open(cacheDir, '/project')).get(source.path, key, source.text)?.facts?.bindings.map((b) => b.name)).toContain('password');
  });

  it('ignores packs of the first format and of earlier versions, and deletes them', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanJson(project, cacheDir);
    const current = pack(cacheDir);
    const original = readFileSync(current, 'utf8');
    const packed = readPack(current);
    expect(packed.header.version).toBe(PACK_VERSION);
    packed.entries['src/hash.js']!.content.facts.cryptoUses = [];
    // The edited pack under another version's header: not read at all, rewritten.
    writePack(current, { ...packed, header: { ...packed.header, version: PACK_VERSION - 1 } });
    expect(await scanJson(project, cacheDir)).toBe(cold);
    expect(readFileSync(current, 'utf8')).toBe(original);
    // Packs of an earlier version of the same root (version 2 was one JSON document) and of the first format (no
    // version, no MAC): never read, and deleted when the current pack is written.
    const name = /facts-v\d+-([0-9a-f]{24})\.pack$/.exec(current)![1]!;
    const stale = [`facts-v${PACK_VERSION - 1}-${name}.json`, 'facts-0123456789abcdef01234567.json'];
    const old = { format: 'complianceagent-facts-cache', version: PACK_VERSION - 1, entries: { 'src/hash.js': packed.entries['src/hash.js']!.content } };
    for (const f of stale) writeFileSync(join(cacheDir, f), JSON.stringify(old));
    writePack(current, packed);
    expect(await scanJson(project, cacheDir)).toBe(cold);
    expect(readdirSync(cacheDir).filter((f) => stale.includes(f))).toEqual([]);
  });

  it('replaces a key that others could read, so entries signed with it are extracted again', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    const cold = await scanJson(project, cacheDir);
    const keyFile = join(cacheDir, 'hmac-key');
    const oldKey = readFileSync(keyFile, 'utf8');
    chmodSync(keyFile, 0o644);
    expect(await scanJson(project, cacheDir)).toBe(cold);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).not.toBe(oldKey);
  });
});

describe('facts cache permissions', () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

  it('creates the folder 0700 and every file 0600 even with umask 0', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'ca-cache-')), 'complianceagent');
    await scanJson(project, cacheDir);
    expect(mode(cacheDir)).toBe('700');
    const files = filesUnder(cacheDir);
    expect(files.length).toBe(2);
    expect(files.map((f) => `${f.slice(cacheDir.length + 1).replace(/[0-9a-f]{24}/, 'X')} ${mode(f)}`).sort()).toEqual([
      `facts-v${PACK_VERSION}-X.pack 600`,
      'hmac-key 600',
    ]);
  });

  it('tightens a cache folder left 0755 by an older version, and replaces its 0644 pack', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'ca-cache-')), 'complianceagent');
    mkdirSync(cacheDir, { mode: 0o755 });
    writeFileSync(join(cacheDir, 'facts-0123456789abcdef01234567.json'), JSON.stringify({ format: 'complianceagent-facts-cache', entries: {} }), {
      mode: 0o644,
    });
    await scanJson(project, cacheDir);
    expect(mode(cacheDir)).toBe('700');
    expect(filesUnder(cacheDir).map(mode)).toEqual(['600', '600']);
    // A warm scan that writes nothing still leaves a pack readable by others private.
    chmodSync(pack(cacheDir), 0o644);
    await scanJson(project, cacheDir);
    expect(mode(pack(cacheDir))).toBe('600');
  });

  it('leaves the mode of a --cache-dir folder that holds other things, but still writes its files 0600', async () => {
    const project = makeProject({ 'src/hash.js': PROJECT['src/hash.js']! });
    const cacheDir = mkdtempSync(join(tmpdir(), 'ca-cache-'));
    chmodSync(cacheDir, 0o755);
    writeFileSync(join(cacheDir, 'notes.txt'), 'mine\n', { mode: 0o644 });
    await scanJson(project, cacheDir);
    expect(mode(cacheDir)).toBe('755');
    expect(mode(pack(cacheDir))).toBe('600');
    expect(mode(join(cacheDir, 'hmac-key'))).toBe('600');
    expect(mode(join(cacheDir, 'notes.txt'))).toBe('644');
  });
});
