import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Report {
  findings: Array<{ ruleId: string; severity: string; location: { path: string; startLine: number }; message: string; suppression?: unknown }>;
  errors: Array<{ path: string; kind: string }>;
  coverage: { skipped: Array<{ path: string; reason: string; detail?: string }> };
}

/** `complianceagent scan .` in a clone: what a newcomer sees first (issue 12, item 10). */
async function scanSelf(): Promise<Report> {
  const r = await runCli(['scan', ROOT, '-f', 'json', '--no-cache', '--fail-on', 'none']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const MEDIUM_OR_ABOVE = new Set(['critical', 'high', 'medium']);
const line = (f: Report['findings'][number]) => `${f.location.path}:${f.location.startLine} ${f.ruleId} ${f.severity} ${f.message}`;

describe('scanning the project itself', () => {
  let report: Report;
  beforeAll(async () => {
    report = await scanSelf();
  }, 60_000);

  it('leaves out the test suite and the fixtures through the project .complianceagentignore, and has no scan errors', async () => {
    expect(report.coverage.skipped).toContainEqual(
      expect.objectContaining({ path: 'test/', reason: 'ignored', detail: expect.stringContaining('.complianceagentignore') }),
    );
    expect(report.coverage.skipped).toContainEqual(
      expect.objectContaining({ path: 'fixtures/', reason: 'ignored', detail: expect.stringContaining('.complianceagentignore') }),
    );
    expect(report.findings.filter((f) => /^(test|fixtures)\//.test(f.location.path))).toEqual([]);
    expect(report.errors.map((e) => `${e.path} ${e.kind}`)).toEqual([]);
    // What is left is the scanner's own code, which stays visible.
    expect(report.findings.map(line).filter((l) => !/^(src|rules|bin|bench)\//.test(l))).toEqual([]);
  });

  it('reports nothing at medium or above', async () => {
    // Documented exceptions (suppressed, with a reason) are reported as such and do not count, as in the summary.
    expect(report.findings.filter((f) => !f.suppression && MEDIUM_OR_ABOVE.has(f.severity)).map(line)).toEqual([]);
  });
});
