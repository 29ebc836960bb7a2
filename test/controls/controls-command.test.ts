import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeEvidenceRepo } from '../evidence/fixture-repo.js';

interface ControlsJson {
  summary: Record<string, number | string>;
  disclaimer: string;
  controls: Array<{
    id: string;
    status: string;
    reasons: string[];
    evidence: Array<{ kind: string; summary: string }>;
    openFindings: Array<{ path: string; line: number }>;
  }>;
}

let app: string;
beforeAll(() => {
  app = makeEvidenceRepo();
});

describe('controls test', () => {
  it('gives every control a status with its evidence and reasons', async () => {
    const r = await runCli(['controls', 'test', '--framework', 'soc2', app, '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as ControlsJson;
    expect(report.controls.map((c) => c.id)).toEqual([
      'CC6.1',
      'CC6.2',
      'CC6.3',
      'CC6.6',
      'CC6.7',
      'CC7.1',
      'CC7.2',
      'CC8.1',
      'A1.1',
      'A1.2',
      'PI1.1',
      'PI1.3',
      'C1.1',
      'C1.2',
    ]);
    const byId = Object.fromEntries(report.controls.map((c) => [c.id, c]));
    // Only statuses that later rules cannot change are pinned here; the status logic itself is unit-tested.
    expect(Object.fromEntries(['CC6.1', 'CC6.6', 'CC7.1', 'CC8.1', 'A1.2', 'C1.1'].map((id) => [id, byId[id]!.status]))).toEqual({
      'CC6.1': 'partial', // passport in use, a hard-coded SMTP password
      'CC6.6': 'partial', // bcrypt and passlib, the same password
      'CC7.1': 'implemented', // Dependabot, lockfile, CodeQL
      'CC8.1': 'not-assessed', // git, npm test in CI, CODEOWNERS, but no period read: no review evidence
      'A1.2': 'not-assessed',
      'C1.1': 'not-assessed',
    });
    expect(byId['CC6.1']!.openFindings.map((f) => `${f.path}:${f.line}`)).toContain('src/mailer.js:2');
    expect(byId['CC6.6']!.evidence.map((e) => e.summary)).toEqual(['bcrypt imported in 1 file', 'passlib imported in 1 file']);
    expect(byId['CC7.1']!.evidence.map((e) => e.summary)).toEqual([
      'Dependabot configuration (github-actions, npm)',
      'package-lock.json',
      'GitHub Actions on pull_request, push: CodeQL (uses: github/codeql-action/init@v3)',
    ]);
    expect(byId['CC8.1']!.evidence.map((e) => e.summary)).toEqual([
      'changes are tracked in git (see the change log of `evidence export`)',
      'GitHub Actions: npm/yarn/pnpm test',
      'CODEOWNERS assigns reviewers to changes',
    ]);
    expect(byId['A1.1']!.evidence.map((e) => e.summary)).toContain('express-rate-limit imported in 1 file');
    expect(report.disclaimer).toContain('do not replace one');
    expect(r.stdout).not.toMatch(/\bcompliant\b/i);
  });

  it('prints a table and follows --fail-on', async () => {
    const table = await runCli(['controls', 'test', app, '--fail-on', 'none']);
    expect(table.stdout).toMatch(/^CONTROL +STATUS +EVIDENCE +OPEN FINDINGS +TITLE$/m);
    expect(table.stdout).toMatch(/^CC6\.6 +Partially implemented +2 +\d+ +Encryption and key management$/m);
    expect(table.code).toBe(0);
    expect((await runCli(['controls', 'test', app, '--fail-on', 'partial'])).code).toBe(1);
  });

  it('exits 0 when no control is a Gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-nogap-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github', 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n',
    );
    writeFileSync(join(dir, 'package-lock.json'), '{}\n');
    const r = await runCli(['controls', 'test', dir]);
    expect(r.stdout).toMatch(/^CC7\.1 +Implemented /m);
    expect(r.stdout).toContain('1 implemented, 0 partially implemented, 0 gaps, 13 not assessed (of 14 controls).');
    expect(r.code).toBe(0);
    expect((await runCli(['controls', 'test', dir, '--fail-on', 'not-assessed'])).code).toBe(1);
  });

  it('exits 1 when a control is a Gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-gap-'));
    writeFileSync(join(dir, 'db.js'), "const DB_PASSWORD = 'Xk9#mQ2vLp7!rT4w';\nmodule.exports = { DB_PASSWORD };\n");
    const r = await runCli(['controls', 'test', dir]);
    expect(r.stdout).toMatch(/^CC6\.1 +Gap /m);
    expect(r.code).toBe(1);
  });

  it.each([
    [['--fail-on', 'broken'], "--fail-on must be one of gap, partial, not-assessed, none (got 'broken')"],
    [['--framework', 'iso27001'], "unknown framework 'iso27001'"],
    [['--format', 'xml'], "--format must be one of table, json (got 'xml')"],
  ])('exits 2 for %j', async (args, message) => {
    const r = await runCli(['controls', 'test', app, ...args]);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
  });
});
