import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestOrExamplePath } from '../../src/report/summary.js';
import { runCli } from '../helpers/cli.js';

const STRIPE = "const stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\n";
const JWT_FALLBACK = "const JWT_SECRET = process.env.JWT_SECRET || 'fallback-Secret-9x';\n"; // medium

function repo(files: Record<string, string>, config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-failon-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (config !== undefined) writeFileSync(join(dir, '.complianceagent.yml'), config);
  return dir;
}

async function scan(dir: string, ...flags: string[]) {
  return runCli(['scan', dir, '--no-cache', ...flags]);
}

describe('the default --fail-on is high', () => {
  it('passes a repository whose only finding is medium, and says why', async () => {
    const r = await scan(repo({ 'src/auth.js': JWT_FALLBACK }));
    expect(r.stdout).toContain('1 issue detected by automated checks.');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Passes (exit 0): nothing at or above high (--fail-on high).');
    expect((await scan(repo({ 'src/auth.js': JWT_FALLBACK }), '--fail-on', 'medium')).code).toBe(1);
  });

  it('fails on a critical finding in application code', async () => {
    const r = await scan(repo({ 'src/db.js': STRIPE }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Fails (exit 1): 1 finding at or above high (--fail-on high).');
  });
});

describe('findings in test and example files do not fail the build by default', () => {
  const files = { 'test/payments.test.js': STRIPE, 'examples/demo.js': STRIPE, 'src/__tests__/db.spec.js': STRIPE, 'src/auth.js': JWT_FALLBACK };

  it('reports them but exits 0, and names the flag that counts them', async () => {
    const r = await scan(repo(files), '-f', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; location: { path: string } }> };
    expect(
      report.findings
        .filter((f) => f.severity === 'critical')
        .map((f) => f.location.path)
        .sort(),
    ).toEqual(['examples/demo.js', 'src/__tests__/db.spec.js', 'test/payments.test.js']);
    const text = await scan(repo(files));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('3 findings at or above high in test or example files not counted (--fail-on-test-findings counts them)');
    expect(text.stdout).toContain('test/example file');
  });

  it('counts them with --fail-on-test-findings or failOnTestFindings: true, and --no-fail-on-test-findings wins over the file', async () => {
    expect((await scan(repo(files), '--fail-on-test-findings')).code).toBe(1);
    expect((await scan(repo(files, 'failOnTestFindings: true\n'))).code).toBe(1);
    expect((await scan(repo(files, 'failOnTestFindings: true\n'), '--no-fail-on-test-findings')).code).toBe(0);
    expect((await scan(repo(files, 'failOnTestFindings: false\n'), '--fail-on-test-findings')).code).toBe(1);
  });

  it('a finding in application code still fails next to test findings', async () => {
    expect((await scan(repo({ ...files, 'src/db.js': STRIPE }))).code).toBe(1);
  });

  it('knows test and example paths', () => {
    for (const p of [
      'test/a.js',
      'tests/unit/db.py',
      'src/auth.test.ts',
      'fixtures/keys.json',
      'examples/app.js',
      'docs/snippet.py',
      'demo/server.js',
      'pkg/test_settings.py',
      'samples/x.js',
    ]) {
      expect(isTestOrExamplePath(p), p).toBe(true);
    }
    for (const p of ['src/auth.ts', 'src/latest.ts', 'src/contest/app.py', 'app/attest.py', 'src/examples.ts', 'lib/docsite.js']) {
      expect(isTestOrExamplePath(p), p).toBe(false);
    }
  });
});
