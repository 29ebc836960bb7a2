import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { assessControls } from '../../src/controls/control-evidence.js';
import type { ChangeReviewFigures, RepoSignals } from '../../src/model/repo-signals.js';
import { toPdf } from '../../src/report/pdf.js';
import type { ReportModel } from '../../src/report/report-model.js';
import { summarize } from '../../src/report/summary.js';
import type { Finding } from '../../src/types.js';

const STANDARD_FONTS = `${join(import.meta.dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts')}/`;

async function text(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n').replace(/\s+/g, ' ');
}

function secret(path: string, severity: Finding['severity']): Finding {
  return {
    ruleId: 'SOC2-002',
    ruleName: 'HardcodedSecret',
    title: 'Hard-coded credential or secret',
    severity,
    confidence: 'high',
    controls: ['CC6.1', 'CC6.6'],
    cwe: ['CWE-798'],
    message: `Hard-coded password in ${path}.`,
    location: { path, startLine: 3, startColumn: 1, endLine: 3, endColumn: 10 },
    snippet: "const x = '****';",
    fingerprint: `ca1:${path}`,
  };
}

const figures: ChangeReviewFigures = {
  period: { start: '2024-01-01', end: '2024-12-31' },
  branch: 'main',
  head: 'a'.repeat(40),
  shallow: false,
  changes: 427,
  pullRequests: 17,
  directPushes: 410,
  branchMerges: 0,
  committedByHostingService: 0,
  reviewed: 17,
  approved: 0,
  authors: 1,
  exceptions: Array.from({ length: 410 }, (_, i) => ({
    hash: String(i).padStart(40, 'b'),
    date: '2024-05-01T10:00:00Z',
    author: 'Ada',
    kind: 'direct-push' as const,
    subject: i === 0 ? 'Quick fix on main' : `Change ${i}`,
    reason: 'pushed directly to the branch without review evidence',
  })),
};

async function render(findings: Finding[], threshold: 'low' | 'medium' = 'low'): Promise<string> {
  const repo: RepoSignals = { inGitRepository: true, lockfiles: [], pinnedRequirements: [], dependencyUpdates: [], ci: [], changeReview: figures };
  const result = {
    tool: { name: 'complianceagent', version: '0.1.0' },
    root: '/x',
    repoPrefix: '',
    rulesRun: ['SOC2-002'],
    findings,
    errors: [],
    coverage: { filesByLanguage: { javascript: 3 }, linesScanned: 30, skipped: [] },
  };
  const model: ReportModel = {
    project: 'app',
    scanned: '.',
    date: '2025-01-01T00:00:00.000Z',
    dateSource: 'option',
    tool: result.tool,
    framework: 'SOC 2',
    summary: summarize(result),
    topRisks: findings,
    controls: assessControls({
      findings,
      availableRules: ['SOC2-002'],
      rulesRun: ['SOC2-002'],
      model: { files: [], endpoints: [], apps: [] },
      repo,
      threshold,
    }),
    exceptions: [],
    endpoints: [],
    coverage: result.coverage,
    errors: [],
    rules: [],
    threshold,
    repo,
  };
  return text(await toPdf(model));
}

describe('the PDF report', () => {
  it('prints each finding once, under its primary control, and points there from the others', async () => {
    const t = await render([secret('src/db.js', 'critical'), secret('test/fixtures/users.js', 'high')]);
    expect(t.split('Hard-coded password in src/db.js.').length - 1).toBe(2); // the top risks table and CC6.1, not CC6.6
    expect(t).toContain('2 open findings of SOC2-002 also count here; they are printed under CC6.1.');
  });

  it('lists a finding below the threshold once too, under its primary control', async () => {
    const t = await render([secret('src/db.js', 'high'), secret('src/mail.js', 'low')], 'medium');
    expect(t.split('Hard-coded password in src/mail.js.').length - 1).toBe(2); // the top risks table and CC6.1, not again under CC6.6
    expect(t).toContain('1 finding of SOC2-002 below the threshold also maps here; it is listed under CC6.1.');
  });

  it('states the period and the change figures on the cover and in CC8.1, with the direct pushes', async () => {
    const t = await render([]);
    expect(t).toContain('Period 2024-01-01 to 2024-12-31 (main, first-parent history)');
    expect(t).toContain('427 changes: 17 merged pull requests, 410 direct pushes, 0 merges of other branches; 17 with review evidence');
    expect(t).toContain('410 of 427 changes pushed directly without review evidence');
    expect(t).toContain('Quick fix on main');
    expect(t).toContain('Changes without review evidence (410; the newest 15, all are in change-log.json)');
    expect(t).not.toContain('Change 15 ');
    expect(t).toContain('No documented exceptions: no finding was suppressed with a justification.');
  });

  it('leaves code that never runs out of the top risks', async () => {
    const t = await render([secret('test/fixtures/users.js', 'critical'), secret('src/db.js', 'high')]);
    expect(t).toContain('Code that never runs in production (tests, examples, fixtures, data: 1 findings) is left out of the top risks');
  });
});
