import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { GITHUB_TOKEN, STRIPE_KEY, describeFindings, makeProject, type JsonReport } from './project.js';

const FILES = {
  'src/keys.js': [
    `const a = '${GITHUB_TOKEN}'; // complianceagent-ignore SOC2-002 -- revoked demo token kept for the tutorial`,
    '// complianceagent-ignore SOC2-002',
    `const b = '${GITHUB_TOKEN}';`,
    `const stripe = '${STRIPE_KEY}';`,
    '// complianceagent-ignore SOC2-002 -- nothing to suppress here',
    'const d = 1;',
    '',
  ].join('\n'),
  'tests/fixtures.py': ['# complianceagent-ignore-file SOC2-002 -- fake credentials for the test suite', '', `password = "Sup3r-s3cret-pa55word!"`, ''].join(
    '\n',
  ),
};

async function scanJson(dir: string, ...flags: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runCli(['scan', dir, '-f', 'json', '--no-cache', ...flags]);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe('inline suppressions', () => {
  it('keep suppressed findings as documented exceptions and report rejected and unused directives', async () => {
    const dir = makeProject(FILES);
    const { code, report } = await scanJson(dir);
    expect(describeFindings(report)).toEqual([
      'src/keys.js:1 SOC2-002 [inSource: revoked demo token kept for the tutorial]',
      'src/keys.js:3 SOC2-002',
      'src/keys.js:4 SOC2-002',
      'tests/fixtures.py:3 SOC2-002 [inSource: fake credentials for the test suite]',
    ]);
    expect(report.errors.map((e) => `${e.path}:${e.line} ${e.kind} ${e.message}`)).toEqual([
      "src/keys.js:2 suppression complianceagent-ignore ignored: gives no reason: add ' -- ' and why this is accepted",
      'src/keys.js:5 suppression unused complianceagent-ignore for SOC2-002 (no SOC2-002 finding on line 6); remove it',
    ]);
    expect(report.summary).toMatchObject({ total: 2, suppressed: 2, verdict: '2 issues detected by automated checks. 2 suppressed as documented exceptions.' });
    expect(code).toBe(1);
  });

  it('never fail the build on their own', async () => {
    const dir = makeProject({ 'a.js': `// complianceagent-ignore SOC2-002 -- sandbox key, no access to production\nconst k = '${STRIPE_KEY}';\n` });
    const { code, report } = await scanJson(dir);
    expect(describeFindings(report)).toEqual(['a.js:2 SOC2-002 [inSource: sandbox key, no access to production]']);
    expect(code).toBe(0);
  });

  it('are refused with --no-inline-suppressions: the findings count again and the directives are not reported', async () => {
    const dir = makeProject(FILES);
    const { code, report } = await scanJson(dir, '--no-inline-suppressions');
    expect(describeFindings(report)).toEqual(['src/keys.js:1 SOC2-002', 'src/keys.js:3 SOC2-002', 'src/keys.js:4 SOC2-002', 'tests/fixtures.py:3 SOC2-002']);
    expect(report.errors).toEqual([]);
    expect(code).toBe(1);
  });

  it('are marked in full SARIF and left out of the github profile', async () => {
    const dir = makeProject(FILES);
    const full = JSON.parse((await runCli(['scan', dir, '-f', 'sarif', '--no-cache'])).stdout) as {
      runs: Array<{ results: Array<{ suppressions?: unknown[] }> }>;
    };
    expect(full.runs[0]!.results.map((r) => r.suppressions ?? null)).toEqual([
      [{ kind: 'inSource', justification: 'revoked demo token kept for the tutorial' }],
      null,
      null,
      [{ kind: 'inSource', justification: 'fake credentials for the test suite' }],
    ]);
    const github = JSON.parse((await runCli(['scan', dir, '-f', 'sarif', '--sarif-profile', 'github', '--no-cache'])).stdout) as typeof full;
    expect(github.runs[0]!.results).toHaveLength(2);
  });
});

describe('ignore file', () => {
  it('`ignore add` records a documented exception that the next scan applies until it expires', async () => {
    const dir = makeProject({ 'src/config.js': `const stripe = '${STRIPE_KEY}';\n`, '.git/HEAD': 'ref: refs/heads/main\n' });
    const first = await scanJson(dir);
    const fp = first.report.findings[0]!.fingerprint;

    const add = await runCli(
      [
        'ignore',
        'add',
        fp,
        '--reason',
        'test-mode key, rotated quarterly',
        '--author',
        'Ana <ana@example.com>',
        '--expires',
        '2999-12-31',
        '--rule',
        'SOC2-002',
      ],
      { cwd: join(dir, 'src') },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(readFileSync(join(dir, '.complianceagent-ignore.yml'), 'utf8')).toContain(
      [
        `  - fingerprint: ${fp}`,
        '    rule: SOC2-002',
        '    reason: test-mode key, rotated quarterly',
        '    author: Ana <ana@example.com>',
        '    expires: 2999-12-31',
      ].join('\n'),
    );
    const second = await scanJson(dir);
    expect(second.report.findings.map((f) => f.suppression)).toEqual([
      { kind: 'external', justification: 'test-mode key, rotated quarterly', author: 'Ana <ana@example.com>', expires: '2999-12-31' },
    ]);
    expect(second.code).toBe(0);

    const text = readFileSync(join(dir, '.complianceagent-ignore.yml'), 'utf8');
    writeFileSync(join(dir, '.complianceagent-ignore.yml'), text.replace('2999-12-31', '2020-01-31'));
    const expired = await scanJson(dir);
    expect(describeFindings(expired.report)).toEqual(['src/config.js:1 SOC2-002']);
    expect(expired.report.errors.map((e) => e.message)).toEqual([`the ignore entry for ${fp} (SOC2-002) expired on 2020-01-31; the finding is reported again`]);
    expect(expired.code).toBe(1);
  });

  it.each([
    [['ca1:nothex', '--reason', 'r', '--author', 'a'], /'ca1:nothex' is not a finding fingerprint/],
    [[`ca1:${'a'.repeat(32)}`, '--author', 'a'], /--reason is required/],
    [[`ca1:${'a'.repeat(32)}`, '--reason', 'r'], /--author is required/],
    [[`ca1:${'a'.repeat(32)}`, '--reason', 'r', '--author', 'a', '--expires', '2025-02-30'], /--expires must be a date YYYY-MM-DD/],
  ])('`ignore add %j` is a usage error', async (args, message) => {
    const dir = makeProject({});
    const r = await runCli(['ignore', 'add', ...args], { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('an entry without a reason stops the scan with a message naming it', async () => {
    const dir = makeProject({ 'a.js': 'x\n', '.complianceagent-ignore.yml': `ignores:\n  - fingerprint: ca1:${'b'.repeat(32)}\n    author: bo\n` });
    const r = await runCli(['scan', dir, '--no-cache']);
    expect(r.stderr).toContain('.complianceagent-ignore.yml: ignores[0]: a reason is required');
    expect(r.code).toBe(2);
  });
});
