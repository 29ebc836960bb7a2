/**
 * Issue 12 item 3 (outputs): the second secret on a line, files with lone-CR (and U+2028) line breaks, and
 * tokens inside route paths must be masked in every output: scan formats, `endpoints`, the PDF and the export.
 * Every secret is generated here; none is committed.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticToken } from '../../src/model/secret-patterns.js';
import { runCli } from '../helpers/cli.js';
import { pdfText } from '../helpers/pdf.js';
import { gitAt } from '../evidence/fixture-repo.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Mixed-case letters and digits: plausible secrets by every filter, unlike anything else in the project.
const secret = (seed: number) => syntheticToken('Zq', 16, ALNUM, seed);
const STRIPE = syntheticToken('sk_live_', 30, ALNUM, 1);
const DOCKER_DB = secret(2);
const ENV_CR = [secret(3), secret(4), secret(5)];
const JS_CR = [secret(6), secret(7)];
const JS_LS = secret(8);
const PY_CR = secret(9);
const YAML_CR = secret(10);
const ROUTE_GHP = syntheticToken('ghp_', 36, ALNUM, 11);
const ROUTE_HEX = syntheticToken('', 40, '0123456789abcdef', 12);
const GUARD_JWT = secret(13);
const GUARD_BASIC = secret(14);
const ALL = [STRIPE, DOCKER_DB, ...ENV_CR, ...JS_CR, JS_LS, PY_CR, YAML_CR, ROUTE_GHP, ROUTE_HEX, GUARD_JWT, GUARD_BASIC];
/** What may show of each secret: a public prefix and at most 4 more characters. */
const fragments = (s: string) => [s, s.slice(-12), s.slice(4, 16)];

function leaks(text: string): string[] {
  const flat = text.replace(/\s+/g, '');
  return ALL.filter((s) => fragments(s).some((f) => text.includes(f) || flat.includes(f)));
}

let app: string;
beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'ca-redact-'));
  mkdirSync(join(app, 'src'));
  writeFileSync(join(app, 'Dockerfile'), `FROM node:20\nENV STRIPE_SECRET_KEY=${STRIPE} DB_PASSWORD=${DOCKER_DB}\nCMD ["node", "src/app.js"]\n`);
  writeFileSync(join(app, '.env'), `PORT=3000\rDB_PASSWORD=${ENV_CR[0]}\rLOG=info\rSMTP_PASSWORD=${ENV_CR[1]}\rREDIS_PASSWORD=${ENV_CR[2]}\r`);
  writeFileSync(
    join(app, 'src', 'settings.js'),
    `const dbPassword = "${JS_CR[0]}";\rconst retries = 3;\rconst apiToken = '${JS_CR[1]}';\r${'module.exports.x = 1;\r'.repeat(30)}`,
  );
  writeFileSync(join(app, 'src', 'separators.js'), `const a = 1;\u2028const b = 2;\u2029const sessionSecret = "${JS_LS}";\n`);
  writeFileSync(join(app, 'src', 'settings.py'), `DEBUG = False\rPORT = 8000\rDB_PASSWORD = "${PY_CR}"\r`);
  writeFileSync(join(app, 'config.yml'), `db:\r  host: localhost\r  password: ${YAML_CR}\r`);
  writeFileSync(
    join(app, 'src', 'app.js'),
    [
      "const express = require('express');",
      "const basicAuth = require('express-basic-auth');",
      "const { expressjwt: jwt } = require('express-jwt');",
      'const app = express();',
      `app.use('/admin', basicAuth({ users: { admin: '${GUARD_BASIC}' } }));`,
      `app.get('/admin/stats', jwt({ secret: '${GUARD_JWT}', algorithms: ['HS256'] }), (req, res) => res.send('ok'));`,
      `app.post('/hook/${ROUTE_GHP}', (req, res) => res.send('ok'));`,
      `app.post('/webhooks/${ROUTE_HEX}/events', (req, res) => res.send('ok'));`,
      "app.get('/health', (req, res) => res.send('ok'));",
      'app.listen(3000);',
      '',
    ].join('\n'),
  );
  gitAt(app, '2024-05-01T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(app, '2024-05-01T10:00:00Z', ['add', '-A']);
  gitAt(app, '2024-05-01T10:00:00Z', ['commit', '-q', '-m', 'Initial version']);
});

interface JsonReport {
  findings: Array<{ ruleId: string; location: { path: string; startLine: number }; snippet: string; message: string; properties?: Record<string, unknown> }>;
}

describe('no secret in any output', () => {
  it.each([['terminal'], ['json'], ['sarif'], ['junit'], ['gitlab']])('scan --format %s', async (format) => {
    const r = await runCli(['scan', app, '--fail-on', 'none', '--format', format], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(500);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('scan --format sarif --sarif-profile github and --group-by rule', async () => {
    for (const flags of [
      ['--format', 'sarif', '--sarif-profile', 'github'],
      ['--group-by', 'rule'],
    ]) {
      const r = await runCli(['scan', app, '--fail-on', 'none', ...flags], { env: { NO_COLOR: '1' } });
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    }
  });

  it('endpoints JSON shows guards with their secrets masked and their names readable', async () => {
    const r = await runCli(['endpoints', app, '--format', 'json']);
    expect(r.stderr).toBe('');
    const names = (JSON.parse(r.stdout) as { endpoints: Array<{ path: string; guards: Record<string, Array<{ name: string }>> }> }).endpoints
      .filter((e) => e.path === '/admin/stats')
      .flatMap((e) =>
        Object.values(e.guards)
          .flat()
          .map((g) => g.name),
      );
    expect(names.some((n) => n.startsWith("jwt({ secret: '********', algorithms"))).toBe(true); // a secret SOC2-002 knows
    expect(names.some((n) => n.startsWith("basicAuth({ users: { admin: '********'"))).toBe(true); // a literal no rule names
  });

  it('endpoints as table, JSON and CSV show the route with its token masked', async () => {
    for (const format of ['table', 'json', 'csv']) {
      const r = await runCli(['endpoints', app, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('/hook/ghp_********');
      expect(r.stdout).toContain('/webhooks/********/events');
      expect(r.stdout).toContain('/health');
      expect(r.stdout).toContain('/admin/stats');
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    }
  });

  it('report generate: the PDF text', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ca-redact-pdf-')), 'report.pdf');
    const r = await runCli(['report', 'generate', '-o', out, app]);
    expect(r.code).toBe(0);
    const text = await pdfText(readFileSync(out));
    expect(text).toContain('/hook/ghp_********');
    expect(text).toContain('DB_PASSWORD=********');
    expect(leaks(text)).toEqual([]);
  }, 60_000);

  it('evidence export: every file, the PDF read as text', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ca-redact-export-')), 'evidence');
    const r = await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', out, app]);
    expect(r.code).toBe(0);
    const names = readdirSync(out);
    expect(names).toContain('endpoints.json');
    for (const name of names) {
      const data = readFileSync(join(out, name));
      const text = name.endsWith('.pdf') ? await pdfText(data) : data.toString('utf8');
      expect(leaks(text), name).toEqual([]);
    }
    expect(readFileSync(join(out, 'endpoints.json'), 'utf8')).toContain('/hook/ghp_********');
  }, 60_000);
});

describe('where the findings point', () => {
  let report: JsonReport;
  beforeAll(async () => {
    report = JSON.parse((await runCli(['scan', app, '--fail-on', 'none', '--format', 'json'])).stdout) as JsonReport;
  });
  const at = (path: string) =>
    report.findings.filter((f) => f.location.path === path && f.ruleId === 'SOC2-002').map((f) => `${f.location.startLine}: ${f.snippet}`);

  it('masks both secrets of a Dockerfile ENV line in both findings', () => {
    expect(at('Dockerfile')).toEqual(['2: ENV STRIPE_SECRET_KEY=******** DB_PASSWORD=********', '2: ENV STRIPE_SECRET_KEY=******** DB_PASSWORD=********']);
  });

  it('counts a lone CR as a line break in .env, JavaScript, Python and YAML', () => {
    expect(at('.env')).toEqual(['2: DB_PASSWORD=********', '4: SMTP_PASSWORD=********', '5: REDIS_PASSWORD=********']);
    expect(at('src/settings.js')).toEqual(['1: const dbPassword = "********";', "3: const apiToken = '********';"]);
    expect(at('src/settings.py')).toEqual(['3: DB_PASSWORD = "********"']);
    expect(at('config.yml')).toEqual(['3:   password: ********']);
  });

  it('counts U+2028 and U+2029 as line breaks in JavaScript, as Babel does', () => {
    expect(at('src/separators.js')).toEqual(['3: const sessionSecret = "********";']);
  });

  it('masks the route token in messages and SARIF properties', async () => {
    const routes = report.findings.filter((f) => f.properties?.['route'] !== undefined).map((f) => String(f.properties!['route']));
    expect(routes).toContain('/hook/ghp_********');
    expect(routes).toContain('/webhooks/********/events');
    expect(report.findings.some((f) => f.message.includes('/hook/ghp_********'))).toBe(true);
    const sarif = (await runCli(['scan', app, '--fail-on', 'none', '--format', 'sarif'])).stdout;
    expect(sarif).toContain('"route": "/hook/ghp_********"');
  });
});
