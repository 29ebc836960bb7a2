import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'fixtures', 'projects', 'express-api');

/** A copy of the fixture app outside the repository, plus files that cannot be committed sensibly. */
let app: string;
beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'ca-cli-'));
  cpSync(FIXTURE, app, { recursive: true });
  writeFileSync(join(app, 'src', 'logo.js'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  writeFileSync(join(app, 'src', 'latin1.py'), Buffer.from('password = "caf\xe9-secret"\n', 'latin1'));
  mkdirSync(join(app, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(app, 'node_modules', 'dep', 'index.js'), "const token = 'ghp_kxwnQrS7RPeMOkIUpkDyr7OSJoRu1XXdo0cZ';\n");
});

/** What the fixture app should report: its README-level story, one line per finding. */
const APP_FINDINGS = [
  'scripts/deploy.py:3 SOC2-002 critical', // connection string with a password
  'src/app.js:5 SOC2-006 medium', // an express app with no rate limiting anywhere
  'src/app.js:7 SOC2-009 medium', // cookie session with POST routes and no CSRF protection
  'src/app.js:7 SOC2-009 medium', // session cookie without `secure`
  'src/app.js:7 SOC2-002 high', // session secret 'keyboard cat' (a later column)
  'src/app.js:9 SOC2-006 medium', // POST /login without a rate limiter
  'src/auth.js:3 SOC2-002 medium', // JWT secret with a literal fallback
  'src/auth.js:6 SOC2-003 medium', // token issued on login, nothing logged
  'src/db.js:6 SOC2-002 critical', // Stripe live key
];

interface JsonReport {
  summary: { total: number; verdict: string; bySeverity: Record<string, number> };
  findings: Array<{ ruleId: string; severity: string; location: { path: string; startLine: number }; fingerprint: string; snippet: string; message: string }>;
  errors: Array<{ path: string; kind: string; message: string }>;
  coverage: { skipped: Array<{ path: string; reason: string }>; filesByLanguage: Record<string, number> };
}

describe('scan', () => {
  it('reports findings, scan errors and skipped files in JSON, and exits 1', async () => {
    const r = await runCli(['scan', app, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.location.path}:${f.location.startLine} ${f.ruleId} ${f.severity}`)).toEqual(APP_FINDINGS);
    expect(report.errors.map((e) => `${e.path} ${e.kind}`)).toEqual(['src/broken.js parse', 'src/latin1.py read']);
    expect(report.coverage.skipped).toContainEqual(expect.objectContaining({ path: 'src/logo.js', reason: 'binary' }));
    expect(report.coverage.skipped).toContainEqual(expect.objectContaining({ path: 'node_modules/', reason: 'excluded' }));
    expect(report.summary.verdict).toBe(`${APP_FINDINGS.length} issues detected by automated checks.`);
    expect(r.stdout).not.toContain(app);
  });

  it('prints a terminal summary without colour when not a TTY or NO_COLOR is set', async () => {
    const r = await runCli(['scan', app], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toContain('src/db.js');
    expect(r.stdout).toContain('controls: CC6.1, CC6.6');
    expect(r.stdout).toContain(`${APP_FINDINGS.length} issues detected by automated checks.`);
    expect(r.stdout).toMatch(/Scanned \d+ files \(.*javascript.*\)/);
    expect(r.stdout).toContain('src/broken.js');
    const coloured = await runCli(['scan', app], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
  });

  it('follows --fail-on', async () => {
    expect((await runCli(['scan', app, '--fail-on', 'none', '-f', 'json'])).code).toBe(0);
    expect((await runCli(['scan', app, '--fail-on', 'critical', '-f', 'json'])).code).toBe(1);
    const clean = mkdtempSync(join(tmpdir(), 'ca-clean-'));
    writeFileSync(join(clean, 'index.js'), 'const key = process.env.API_KEY;\n');
    const r = await runCli(['scan', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No issues detected by automated checks.');
    expect(r.stdout).not.toMatch(/compliant/i);
  });

  it('writes several formats from one run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ca-out-'));
    const r = await runCli(['scan', app, '--sarif-output', join(out, 'r.sarif'), '--json-output', join(out, 'r.json'), '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Summary');
    const sarif = JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8'));
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].results).toHaveLength(APP_FINDINGS.length);
    expect(JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')).findings).toHaveLength(APP_FINDINGS.length);
  });

  it('gives the same fingerprints when lines are inserted above a finding', async () => {
    const before = JSON.parse((await runCli(['scan', app, '-f', 'json'])).stdout) as JsonReport;
    const moved = mkdtempSync(join(tmpdir(), 'ca-moved-'));
    cpSync(app, moved, { recursive: true });
    const db = join(moved, 'src', 'db.js');
    writeFileSync(db, `// a comment\n\n// another\n${readFileSync(db, 'utf8')}`);
    const after = JSON.parse((await runCli(['scan', moved, '-f', 'json'])).stdout) as JsonReport;
    expect(after.findings.find((f) => f.location.path === 'src/db.js')!.location.startLine).toBe(9);
    expect(after.findings.map((f) => f.fingerprint)).toEqual(before.findings.map((f) => f.fingerprint));
  });

  it('is deterministic: the same tree gives byte-identical JSON and SARIF', async () => {
    const a = await runCli(['scan', app, '-f', 'sarif']);
    const b = await runCli(['scan', app, '-f', 'sarif']);
    expect(a.stdout).toBe(b.stdout);
    expect((await runCli(['scan', app, '-f', 'json'])).stdout).toBe((await runCli(['scan', app, '-f', 'json'])).stdout);
  });
});

describe('usage and configuration errors exit 2 with one plain line and a hint', () => {
  it('unknown format', async () => {
    const r = await runCli(['scan', app, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--format must be one of terminal, json, sarif, junit, gitlab (got 'xml')");
  });
  it('unknown option', async () => {
    const r = await runCli(['scan', app, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
  it('missing path', async () => {
    const r = await runCli(['scan', join(app, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/path not found.*\nhint: /);
  });
  it('unknown config key, named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-cfg-'));
    writeFileSync(join(dir, '.complianceagent.yml'), 'failOn: high\nrules:\n  SOC2-002:\n    severity: low\n    colour: red\n');
    const r = await runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key 'colour' at 'rules.SOC2-002'");
  });
  it('config turns a rule off and changes severity and fail-on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-cfg-'));
    cpSync(app, dir, { recursive: true });
    writeFileSync(join(dir, '.complianceagent.yml'), 'failOn: high\nrules:\n  SOC2-002:\n    severity: medium\n');
    const r = await runCli(['scan', dir, '-f', 'json']);
    expect(r.code).toBe(0);
    expect(new Set((JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'SOC2-002').map((f) => f.severity))).toEqual(new Set(['medium']));
    writeFileSync(join(dir, '.complianceagent.yml'), 'rules:\n  SOC2-002: off\n');
    const off = await runCli(['scan', dir, '-f', 'json', '--fail-on', 'high']);
    expect(off.code).toBe(0);
    expect((JSON.parse(off.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'SOC2-002')).toEqual([]);
  });
});

describe('rules', () => {
  it('lists all fifteen rules with severity and controls, marking the ones not built yet', async () => {
    const r = await runCli(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SOC2-002\s+critical\s+CC6\.1, CC6\.6\s+Hard-coded credential or secret/);
    expect(r.stdout.trim().split('\n')).toHaveLength(16);
  });
  it('explains a rule from its docs', async () => {
    const r = await runCli(['rules', 'explain', 'soc2-002']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Why it matters for SOC 2');
    expect((await runCli(['rules', 'explain', 'SOC2-999'])).code).toBe(2);
  });
});

describe('the built binary', () => {
  it('runs through bin/complianceagent.js with the exit code of the scan', () => {
    const bin = join(ROOT, 'bin', 'complianceagent.js');
    const version = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const r = spawnSync(process.execPath, [bin, 'scan', app, '--format', 'json'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).findings).toHaveLength(APP_FINDINGS.length);
  });
});
