import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { STRIPE_KEY, GITHUB_TOKEN, describeFindings, makeProject, type JsonReport } from './project.js';

describe('--baseline-write / --baseline', () => {
  it('reports only findings that are new: moved code stays matched, a second copy is new', async () => {
    const dir = makeProject({
      'src/pay.js': `const stripe = '${STRIPE_KEY}';\n`,
      'src/gh.js': `const token = '${GITHUB_TOKEN}';\n`,
    });
    const baseline = join(dir, 'complianceagent-baseline.json');
    const write = await runCli(['scan', dir, '--no-cache', '--baseline-write', baseline, '-f', 'json']);
    expect(write.stderr).toBe('baseline with 2 findings written to ' + baseline + '\n');
    const text = readFileSync(baseline, 'utf8');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect((JSON.parse(text) as { findings: Array<{ path: string }> }).findings.map((e) => e.path)).toEqual(['src/gh.js', 'src/pay.js']);

    const clean = await runCli(['scan', dir, '--no-cache', '--baseline', baseline, '-f', 'json']);
    const cleanReport = JSON.parse(clean.stdout) as JsonReport;
    expect(describeFindings(cleanReport)).toEqual([]);
    expect(cleanReport.summary.verdict).toBe('No issues detected by automated checks. 2 known findings in the baseline not shown.');
    expect(clean.stderr).toContain(`baseline ${baseline}: 2 known findings not reported`);
    expect(clean.code).toBe(0);

    // Lines inserted above move the finding; a second copy of the same line is a new finding.
    writeFileSync(join(dir, 'src/pay.js'), `// billing\n\nconst stripe = '${STRIPE_KEY}';\nconst stripe = '${STRIPE_KEY}';\n`);
    const next = await runCli(['scan', dir, '--no-cache', '--baseline', baseline, '-f', 'json']);
    expect(describeFindings(JSON.parse(next.stdout) as JsonReport)).toEqual(['src/pay.js:4 SOC2-002']);
    expect(next.code).toBe(1);

    // Fixing a baselined finding leaves a stale entry, which is reported so the file can be rewritten.
    writeFileSync(join(dir, 'src/gh.js'), 'const token = process.env.GITHUB_TOKEN;\n');
    const fixed = await runCli(['scan', dir, '--no-cache', '--baseline', baseline, '-f', 'json']);
    expect(fixed.stderr).toContain('1 entries no longer found (rewrite it with --baseline-write)');
  });

  it('rewriting an unchanged tree gives a byte-identical file', async () => {
    const dir = makeProject({ 'b.js': `const stripe = '${STRIPE_KEY}';\n`, 'a.js': `const t = '${GITHUB_TOKEN}';\n` });
    await runCli(['scan', dir, '--no-cache', '--baseline-write', join(dir, 'one.json')]);
    await runCli(['scan', dir, '--no-cache', '--baseline-write', join(dir, 'two.json')]);
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(readFileSync(join(dir, 'one.json'), 'utf8'));
  });

  it.each([
    [['--baseline', 'missing.json'], /cannot read baseline missing.json: ENOENT/],
    [['--baseline-write', 'b.json', '--changed-since', 'HEAD'], /--baseline-write and --changed-since do not go together/],
  ])('%j is a usage error', async (flags, message) => {
    const dir = makeProject({ 'a.js': 'x\n' });
    const r = await runCli(['scan', '.', '--no-cache', ...flags], { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});
