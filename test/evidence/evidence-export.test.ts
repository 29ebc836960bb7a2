import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { gitAt, makeEvidenceRepo } from './fixture-repo.js';
import type { ChangeLog } from '../../src/evidence/change-log.js';

let app: string;
let out: string;
let first: { code: number; stderr: string };
beforeAll(async () => {
  app = makeEvidenceRepo();
  out = mkdtempSync(join(tmpdir(), 'ca-export-'));
  first = await runCli(['evidence', 'export', '--framework', 'soc2', '--period', '2024-01-01:2024-12-31', '--output', join(out, 'evidence'), '--zip', app]);
}, 60_000);

const EXPECTED_FILES = [
  'MANIFEST.sha256',
  'README.md',
  'ai-agents.json',
  'change-log.csv',
  'change-log.json',
  'configuration.json',
  'control-matrix.csv',
  'control-matrix.json',
  'endpoints.csv',
  'endpoints.json',
  'exceptions.csv',
  'exceptions.json',
  'scan-results.json',
  'scan-results.sarif',
  'secrets-history.json',
  'soc2-report.pdf',
];

describe('evidence export', () => {
  it('writes every evidence file and a manifest that sha256sum -c verifies', () => {
    expect(first.stderr).toContain('Verify with:');
    expect(first.code).toBe(0);
    expect(readdirSync(join(out, 'evidence')).sort()).toEqual(EXPECTED_FILES);
    const check = spawnSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: join(out, 'evidence'), encoding: 'utf8' });
    expect(check.stdout.trim().split('\n')).toEqual(EXPECTED_FILES.filter((f) => f !== 'MANIFEST.sha256').map((f) => `${f}: OK`));
    expect(check.status).toBe(0);
  });

  it('fails verification when a file changes afterwards', () => {
    const copy = mkdtempSync(join(tmpdir(), 'ca-tamper-'));
    execFileSync('cp', ['-r', join(out, 'evidence'), copy]);
    writeFileSync(join(copy, 'evidence', 'control-matrix.csv'), 'control,status\nCC6.1,Implemented\n');
    const check = spawnSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: join(copy, 'evidence'), encoding: 'utf8' });
    expect(check.stdout).toContain('control-matrix.csv: FAILED');
    expect(check.status).toBe(1);
  });

  it('logs the changes to main of the period (first-parent) with authors, files, kind and security-relevant changes', () => {
    const log = JSON.parse(readFileSync(join(out, 'evidence', 'change-log.json'), 'utf8')) as ChangeLog;
    expect(log.period).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    // The commit made on the harden-auth branch is part of its merge, not a change of its own.
    expect(log.commits.map((c) => `${c.committerDate.slice(0, 10)} ${c.change.kind} ${c.subject} [${c.files.join(' ')}]`)).toEqual([
      '2024-03-03 branch-merge Merge branch harden-auth [src/middleware/auth.js]',
      '2024-03-02 direct-push Add a README [README.md]',
    ]);
    expect(log.summary).toMatchObject({
      commits: 2,
      merges: 1,
      securityRelevantCommits: 1,
      authors: [{ name: 'Ada Reviewer', emails: ['ada@example.com'], commits: 2 }],
    });
    expect(log.summary.changeReview).toMatchObject({ changes: 2, directPushes: 1, branchMerges: 1, reviewed: 0 });
    expect(log.summary.securityRelevantFiles).toEqual([
      // From the scan's facts (the file imports passport), not from the word "auth" in its path.
      { path: 'src/middleware/auth.js', reasons: ['uses passport (authentication library)'], commits: 1 },
    ]);
    expect(log.head).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: app, encoding: 'utf8' }).trim());
  });

  it('writes the control matrix, the configuration and rule versions', () => {
    const csv = readFileSync(join(out, 'evidence', 'control-matrix.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('control,title,family,status,evidence_count,open_findings,below_threshold,exceptions,evidence,findings,reasons,rules');
    expect(csv.filter((l) => l.startsWith('CC7.1,'))[0]).toMatch(/^CC7\.1,Vulnerability management,Operations: vulnerability management,Implemented,3,0,/);
    const config = JSON.parse(readFileSync(join(out, 'evidence', 'configuration.json'), 'utf8'));
    expect(config).toMatchObject({
      tool: { name: 'complianceagent' },
      framework: 'soc2',
      period: { start: '2024-01-01', end: '2024-12-31' },
      branch: 'main',
      severityThreshold: 'medium',
    });
    expect(config.configuration).toHaveProperty('failOnTestFindings');
    expect(config.rules.map((r: { id: string; version: string; ran: boolean }) => `${r.id} ${r.version} ${r.ran}`)).toContain('SOC2-002 0.1.0 true');
    const results = readFileSync(join(out, 'evidence', 'scan-results.json'), 'utf8') + readFileSync(join(out, 'evidence', 'scan-results.sarif'), 'utf8');
    for (const secret of ['Xk9#mQ2vLp7!rT4w', 'sandbox-Pa55word-2024']) expect(results).not.toContain(secret);
    expect(results).not.toContain(app);
  });

  it('is deterministic for the same commit and period, zip included', async () => {
    const again = join(mkdtempSync(join(tmpdir(), 'ca-again-')), 'evidence');
    const r = await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', again, '--zip', app]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(again, 'MANIFEST.sha256'), 'utf8')).toBe(readFileSync(join(out, 'evidence', 'MANIFEST.sha256'), 'utf8'));
    expect(readFileSync(`${again}.zip`).equals(readFileSync(join(out, 'evidence.zip')))).toBe(true);
    const listing = spawnSync('unzip', ['-Z1', join(out, 'evidence.zip')], { encoding: 'utf8' });
    if (listing.error === undefined) {
      expect(listing.stdout.trim().split('\n').sort()).toEqual(EXPECTED_FILES.map((f) => `evidence/${f}`).sort());
      expect(spawnSync('unzip', ['-tq', join(out, 'evidence.zip')]).status).toBe(0);
    }
  });

  it('overwrites an earlier export but refuses a folder with other files', async () => {
    expect((await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', join(out, 'evidence'), app])).code).toBe(0);
    const busy = mkdtempSync(join(tmpdir(), 'ca-busy-'));
    writeFileSync(join(busy, 'notes.txt'), 'mine\n');
    const r = await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', busy, app]);
    expect(r.stderr).toContain('already holds other files (notes.txt)');
    expect(r.code).toBe(2);
  });

  it.each([
    ['2024-01-01', "malformed --period '2024-01-01'"],
    ['2024-13-01:2024-12-31', "'2024-13-01' is not a calendar date YYYY-MM-DD"],
    ['2024-12-31:2024-01-01', 'the start 2024-12-31 is after the end 2024-01-01'],
    ['last-year:2024-12-31', "'last-year' is not a calendar date"],
  ])('rejects the period %s with a clear message and exit code 2', async (period, message) => {
    const r = await runCli(['evidence', 'export', '--period', period, '-o', join(out, 'bad'), app]);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('hint: write the period as START:END');
    expect(r.code).toBe(2);
  });

  it('needs --period', async () => {
    const r = await runCli(['evidence', 'export', '-o', join(out, 'bad'), app]);
    expect(r.stderr).toContain("required option '--period <start:end>' not specified");
    expect(r.code).toBe(2);
  });

  it('fails clearly outside a git repository', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'ca-nogit-'));
    writeFileSync(join(plain, 'index.js'), 'module.exports = 1;\n');
    const r = await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', join(out, 'nogit'), plain]);
    expect(r.stderr).toContain(`complianceagent: not a git repository: ${plain}`);
    expect(r.code).toBe(2);
  });

  it('fails clearly in a repository without commits', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ca-empty-'));
    gitAt(empty, '2024-01-01T00:00:00Z', ['init', '-q']);
    const r = await runCli(['evidence', 'export', '--period', '2024-01-01:2024-12-31', '-o', join(out, 'empty'), empty]);
    expect(r.stderr).toContain('has no commits yet');
    expect(r.code).toBe(2);
  });
});
