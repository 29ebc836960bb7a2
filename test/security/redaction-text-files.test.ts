/**
 * Issue 15: secrets in files no language plugin parses (`.txt`, an extension-less key file, `.go`, `.php`, Terraform,
 * a `.gitignore`d but tracked `.env.example`) are found, and masked in every output like every other finding: the
 * name on the line stays readable, the value does not. The provider-pattern pass over text stays linear on hostile
 * input. Every secret is generated here; none is committed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_PATTERNS, syntheticToken } from '../../src/model/secret-patterns.js';
import { findTextSecrets } from '../../src/model/secret-text.js';
import { runCli } from '../helpers/cli.js';
import { gitAt } from '../evidence/fixture-repo.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = `${ALNUM}+/`;

const AKIA = syntheticToken('AKIA', 16, UPPER, 501);
const PEM_BODY = [1, 2, 3, 4].map((i) => syntheticToken('', 64, B64, 510 + i)).join('\n');
const GHP = syntheticToken('ghp_', 36, ALNUM, 502);
const DB_PW = syntheticToken('Zq', 14, ALNUM, 503);
const HF = syntheticToken('hf_', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 504);
const GOCSPX = syntheticToken('GOCSPX-', 28, ALNUM, 505);
const ALL = [AKIA, PEM_BODY.slice(0, 64), GHP, DB_PW, HF, GOCSPX];
/** What may show of each secret: a public prefix and at most 4 more characters. */
const fragments = (s: string) => [s, s.slice(-12), s.slice(7, 19)];

function leaks(text: string): string[] {
  const flat = text.replace(/\s+/g, '');
  return ALL.filter((s) => fragments(s).some((f) => text.includes(f) || flat.includes(f)));
}

let app: string;
beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'ca-redact-text-'));
  mkdirSync(join(app, 'deploy'));
  writeFileSync(join(app, '.gitignore'), '.env.example\n');
  writeFileSync(join(app, 'notes.txt'), `staging account\naws_access_key_id = ${AKIA}\n`);
  writeFileSync(join(app, 'deploy', 'id_rsa'), `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`);
  writeFileSync(join(app, 'main.go'), `package main\n\nconst token = "${GHP}"\nvar dsn = "postgres://app:${DB_PW}@db.internal/app"\n`);
  writeFileSync(join(app, 'infer.php'), `<?php\n$client = new HfClient("${HF}");\n`);
  writeFileSync(join(app, '.env.example'), `GOOGLE_CLIENT_ID=1234.apps.googleusercontent.com\nGOOGLE_CLIENT_SECRET=${GOCSPX}\n`);
  gitAt(app, '2024-05-01T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(app, '2024-05-01T10:00:00Z', ['add', '-A']);
  gitAt(app, '2024-05-01T10:00:00Z', ['add', '--force', '.env.example']);
  gitAt(app, '2024-05-01T10:00:00Z', ['commit', '-q', '-m', 'Initial version']);
});

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; location: { path: string; startLine: number }; snippet: string; message: string }>;
}

describe('secrets in every tracked text file', () => {
  it('finds each one, names the provider, and keeps the name on the line readable', async () => {
    const r = await runCli(['scan', app, '--fail-on', 'none', '--format', 'json']);
    expect(r.code).toBe(0);
    const findings = (JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'SOC2-002');
    expect(findings.map((f) => `${f.location.path}:${f.location.startLine} ${f.severity}`).sort()).toEqual([
      '.env.example:2 high', // a provider key keeps its severity even in an example file
      'deploy/id_rsa:1 critical',
      'infer.php:2 high',
      'main.go:3 high',
      'main.go:4 critical',
      'notes.txt:2 critical',
    ]);
    const snippet = (path: string) => findings.find((f) => f.location.path === path)!.snippet;
    expect(snippet('notes.txt')).toContain('aws_access_key_id = ********');
    expect(snippet('main.go')).toContain('const token = "********"');
    expect(snippet('infer.php')).toContain('new HfClient("********")');
  });

  it.each([['terminal'], ['json'], ['sarif'], ['junit'], ['gitlab']])('scan --format %s leaks none of them', async (format) => {
    const r = await runCli(['scan', app, '--fail-on', 'none', '--format', format], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(200);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});

describe('the text pass in linear time', () => {
  const BUDGET_MS = 2_000;
  const SIZE = 100_000;
  const pump = (prefix: string, unit: string) => prefix + unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE) + '!';
  const units = [
    ...new Set(
      SECRET_PATTERNS.flatMap((p) => [...p.samples.match, ...p.keywords].flatMap((s) => [s.slice(0, 4), s.slice(0, 12), s])).filter((s) => s.length > 0),
    ),
  ];
  const shapes = [
    ...units.map((u) => pump('', u)),
    pump('postgres://a:', 'b:'),
    pump('x ', 'password=a;'),
    pump('', 'mysql://a:b@'),
    pump('', '\n'),
    pump('', 'a\n'),
  ];

  it(`runs each of ${shapes.length} hostile inputs of ${SIZE} characters within ${BUDGET_MS} ms`, () => {
    const slow: string[] = [];
    for (const text of shapes) {
      const started = performance.now();
      findTextSecrets(text);
      const ms = performance.now() - started;
      if (ms > BUDGET_MS) slow.push(`${JSON.stringify(text.slice(0, 24))}…: ${Math.round(ms)} ms`);
    }
    expect(slow).toEqual([]);
  }, 600_000);
});
