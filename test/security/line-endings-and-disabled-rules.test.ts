/**
 * Issue 12 follow-ups: an inline suppression in a file with lone-CR line breaks applies to the line the
 * parser numbers, and a secret stays masked in the PDF and JSON when the configuration switches SOC2-002 off.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticToken } from '../../src/model/secret-patterns.js';
import { runCli } from '../helpers/cli.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('lone CR line breaks and inline suppressions', () => {
  it('suppresses the finding on the line after the directive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-cr-'));
    const secret = syntheticToken('Zq', 18, ALNUM, 41);
    writeFileSync(
      join(dir, 'settings.js'),
      `const a = 1;\r// complianceagent-ignore SOC2-002 -- a throw-away key for the demo\rconst password = "${secret}";\rmodule.exports = { a };\r`,
    );
    const r = await runCli(['scan', dir, '-f', 'json', '--no-cache', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ ruleId: string; location: { startLine: number }; suppression?: unknown }>;
      errors: Array<{ kind: string }>;
    };
    const found = report.findings.filter((f) => f.ruleId === 'SOC2-002');
    expect(found.map((f) => f.location.startLine)).toEqual([3]);
    expect(found[0]!.suppression).toBeDefined();
    expect(report.errors.filter((e) => e.kind === 'suppression')).toEqual([]);
  });
});

describe('SOC2-002 switched off in the configuration', () => {
  it('still masks its secrets in the findings of other rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-off-'));
    const secret = syntheticToken('Zq', 18, ALNUM, 42);
    writeFileSync(join(dir, '.complianceagent.yml'), 'rules:\n  SOC2-002: off\n');
    writeFileSync(
      join(dir, 'app.js'),
      [
        "const express = require('express');",
        "const session = require('express-session');",
        'const app = express();',
        `app.use(session({ secret: '${secret}', cookie: { secure: false } }));`,
        "app.get('/users', (req, res) => res.json([]));",
        'app.listen(3000);',
        '',
      ].join('\n'),
    );
    const json = await runCli(['scan', dir, '-f', 'json', '--no-cache', '--fail-on', 'none']);
    expect(json.stdout).toContain('SOC2-009');
    expect(json.stdout).not.toContain('SOC2-002');
    expect(json.stdout).not.toContain(secret);
    const pdf = join(dir, 'report.pdf');
    const r = await runCli(['report', 'generate', dir, '-o', pdf, '--date', '2024-06-01']);
    expect(r.code).toBeLessThan(2);
    expect(readFileSync(pdf).toString('latin1')).not.toContain(secret);
  });
});
