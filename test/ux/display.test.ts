import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-display-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'test'));
  // A medium finding above a critical one in the same file. The app's one route answers more than a constant (an app
  // whose only routes answer constants is not reported by SOC2-006), so the app's SOC2-006 finding stays.
  writeFileSync(
    join(dir, 'src', 'mix.js'),
    "const JWT_SECRET = process.env.JWT_SECRET || 'fallback-Secret-9x';\nconst stripeKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\n",
  );
  writeFileSync(
    join(dir, 'src', 'app.js'),
    "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.json({ ok: true, uptime: process.uptime() }));\napp.listen(3000);\n",
  );
  writeFileSync(join(dir, 'test', 'db.test.js'), "const password = 'hunter2Secret99';\n"); // low
});

interface Report {
  findings: Array<{ severity: string; ruleId: string; location: { path: string; startLine: number } }>;
}

describe('terminal output for many findings', () => {
  it('lists the most severe findings of a file first', async () => {
    const r = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none']);
    const group = r.stdout.slice(r.stdout.indexOf('src/mix.js\n'), r.stdout.indexOf('\n\n', r.stdout.indexOf('src/mix.js\n')));
    const severities = group.split('\n').flatMap((l) => /^ {2}\d+:\d+\s+(critical|high|medium|low)\s/.exec(l)?.[1] ?? []);
    expect(severities).toEqual(['critical', 'medium']);
  });

  it('ends with a summary by rule and severity', async () => {
    const r = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none']);
    const byRule = r.stdout.slice(r.stdout.indexOf('  By rule:\n'));
    expect(byRule).toMatch(
      /^ {2}By rule:\n {4}SOC2-002 {2}Hard-coded credential or secret {2}1 critical, 1 medium, 1 low\n {4}SOC2-006 {2}Missing rate limiting +1 medium\n/,
    );
  });

  it('--min-severity hides lower findings from the terminal, counts them, and leaves JSON and SARIF whole', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ca-display-out-'));
    const r = await runCli([
      'scan',
      dir,
      '--no-cache',
      '--fail-on',
      'none',
      '--min-severity',
      'high',
      '--json-output',
      join(out, 'r.json'),
      '--sarif-output',
      join(out, 'r.sarif'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}2:19\s+critical\s+SOC2-002/);
    expect(r.stdout).not.toMatch(/^ {2}\d+:\d+\s+(medium|low)\s/m);
    expect(r.stdout).not.toContain('test/db.test.js');
    expect(r.stdout).toContain('3 findings below high not listed (--min-severity high); the counts above include them.');
    expect(r.stdout).toContain('4 findings: 1 critical, 0 high, 2 medium, 1 low');
    expect((JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as Report).findings).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8')).runs[0].results).toHaveLength(4);

    const json = await runCli(['scan', dir, '--no-cache', '--fail-on', 'none', '-f', 'json', '--min-severity', 'critical']);
    expect((JSON.parse(json.stdout) as Report).findings).toHaveLength(4);
    expect(json.stderr).toBe('note: --min-severity filters the terminal output only; the json report keeps every finding\n');
  });

  it('--compact prints one line per finding, in file order, then the verdict and the exit policy', async () => {
    const r = await runCli(['scan', dir, '--no-cache', '--compact']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const findingLines = lines.slice(0, lines.indexOf(''));
    expect(findingLines).toHaveLength(4);
    for (const l of findingLines) expect(l).toMatch(/^[^\s:]+:\d+:\d+: (critical|high|medium|low) SOC2-\d{3} \S.*$/);
    expect(findingLines.map((l) => l.split(' ')[0])).toEqual(['src/app.js:2:13:', 'src/mix.js:1:46:', 'src/mix.js:2:19:', 'test/db.test.js:1:18:']);
    expect(lines.slice(lines.indexOf('') + 1)).toEqual([
      '4 findings (1 critical, 0 high, 2 medium, 1 low), 0 scan errors. 4 issues detected by automated checks.',
      'Fails (exit 1): 1 finding at or above high (--fail-on high).',
    ]);
    const min = await runCli(['scan', dir, '--no-cache', '--compact', '--min-severity', 'medium']);
    expect(min.stdout).not.toContain('test/db.test.js');
    expect(min.stdout).toContain('1 finding below medium not listed');
  });

  it('refuses --compact with another format and an unknown --min-severity', async () => {
    const compact = await runCli(['scan', dir, '--no-cache', '--compact', '-f', 'json']);
    expect(compact.code).toBe(2);
    expect(compact.stderr).toContain('--compact is a form of the terminal output, not of --format json');
    const min = await runCli(['scan', dir, '--no-cache', '--min-severity', 'info']);
    expect(min.code).toBe(2);
    expect(min.stderr).toContain("--min-severity must be one of critical, high, medium, low (got 'info')");
  });
});
