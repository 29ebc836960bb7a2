/**
 * Issue 15: low hard-coded-secret findings in test and example files are one line per file in the terminal unless
 * --verbose; a provider key in a test (kept at its severity) and findings elsewhere are always listed.
 */
import { describe, expect, it } from 'vitest';
import { toTerminal } from '../../src/report/terminal.js';
import type { Finding, ScanResult } from '../../src/types.js';

function finding(path: string, line: number, severity: Finding['severity'], message: string): Finding {
  return {
    ruleId: 'SOC2-002',
    title: 'Hard-coded credential or secret',
    severity,
    confidence: 'low',
    message,
    location: { path, startLine: line, startColumn: 5, endLine: line, endColumn: 20 },
    snippet: `password = '********'`,
    controls: ['CC6.1'],
    cwe: ['CWE-798'],
    fingerprint: `${path}:${line}`,
  } as Finding;
}

const findings = [
  finding('src/app.py', 3, 'high', 'Hard-coded password in `DB_PASSWORD`.'),
  finding('tests/test_login.py', 4, 'low', 'Hard-coded password in `password`.'),
  finding('tests/test_login.py', 9, 'low', 'Hard-coded password in `admin_password`.'),
  finding('tests/test_login.py', 12, 'low', 'Hard-coded password in `other_password`.'),
  finding('tests/test_login.py', 20, 'high', 'Hard-coded GitHub token.'),
  finding('tests/test_one.py', 2, 'low', 'Hard-coded password in `only_one`.'),
];

const result = {
  findings,
  errors: [],
  rulesRun: ['SOC2-002'],
  coverage: { filesByLanguage: { python: 3 }, linesScanned: 100, skipped: [] },
} as unknown as ScanResult;

describe('test-file secrets in the terminal', () => {
  it('summarises a test file with several low secrets in one line, keeping its provider key and everything else', () => {
    const out = toTerminal(result, { color: false });
    expect(out).toContain('3 low hard-coded secrets in this test or example file, first at line 4 (--verbose lists them)');
    expect(out).not.toContain('admin_password');
    expect(out).toContain('Hard-coded GitHub token.');
    expect(out).toContain('Hard-coded password in `DB_PASSWORD`.');
    expect(out).toContain('only_one'); // one alone is listed as usual
    expect(out).toContain('6 findings'); // the counts keep every finding
  });

  it('lists every one with --verbose, and in the compact form summarises per file too', () => {
    const verbose = toTerminal(result, { color: false, verbose: true });
    expect(verbose).toContain('admin_password');
    expect(verbose).not.toContain('--verbose lists them');
    const compact = toTerminal(result, { color: false, compact: true });
    expect(compact.split('\n').filter((l) => l.startsWith('tests/test_login.py'))).toEqual([
      'tests/test_login.py:4:5: low SOC2-002 3 low hard-coded secrets in this test or example file, first at line 4 (--verbose lists them)',
      'tests/test_login.py:20:5: high SOC2-002 Hard-coded GitHub token.',
    ]);
  });
});
