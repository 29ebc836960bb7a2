import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeEvidenceRepo } from '../evidence/fixture-repo.js';
import { toPdf } from '../../src/report/pdf.js';
import type { ReportModel } from '../../src/report/report-model.js';
import { summarize } from '../../src/report/summary.js';
import { assessControls } from '../../src/controls/control-evidence.js';

const STANDARD_FONTS = `${join(import.meta.dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts')}/`;

/** The text of each page, items joined by spaces. */
async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}

const SECRETS = ['Xk9#mQ2vLp7!rT4w', 'sandbox-Pa55word-2024'];
const hasPdftoppm = spawnSync('pdftoppm', ['-v']).error === undefined;

let app: string;
let out: string;
let pdf: Buffer;
let pages: string[];
beforeAll(async () => {
  app = makeEvidenceRepo();
  out = mkdtempSync(join(tmpdir(), 'ca-pdf-'));
  const r = await runCli(['report', 'generate', '--framework', 'soc2', '--output', join(out, 'soc2-report.pdf'), app]);
  expect(r.stderr).toContain('SOC 2 evidence report written to');
  expect(r.code).toBe(0);
  pdf = readFileSync(join(out, 'soc2-report.pdf'));
  pages = await pageTexts(pdf);
}, 60_000);

describe('report generate', () => {
  it('has a cover with project, commit, branch, date, tool and rule set', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: app, encoding: 'utf8' }).trim();
    const cover = pages[0]!;
    for (const expected of ['SOC 2 evidence report', head, 'main', '2025-01-15 (commit date)', 'complianceagent 0.1.0', 'SOC2-002', 'do not replace one']) {
      expect(cover).toContain(expected);
    }
  });

  it('lists every section in the contents with the page it starts on', () => {
    const toc = pages[1]!;
    const sections = [
      'Executive summary',
      'Controls',
      'CC6.1 Logical access security',
      'C1.2 Confidential data protection',
      'Documented exceptions',
      'Endpoint inventory',
      'Scan coverage',
      'Methodology',
    ];
    for (const title of sections) {
      const m = new RegExp(`${title.replace(/\./g, '\\.')} [. ]*(\\d+)`).exec(toc);
      expect(m, `contents entry for ${title}`).not.toBeNull();
      const page = Number(m![1]);
      expect(pages[page - 1], `${title} on page ${page}`).toContain(title);
    }
  });

  it('numbers every page after the cover', () => {
    for (const [i, text] of pages.slice(1).entries()) expect(text).toContain(`Page ${i + 2} of ${pages.length}`);
  });

  it('shows findings with file:line, a redacted excerpt and the fix, and never a secret value', () => {
    const all = pages.join('\n');
    expect(all).toContain('SOC2-002 Hard-coded credential or secret - src/mailer.js:2');
    expect(all).toContain("const SMTP_PASSWORD = '********';");
    expect(all).toContain('How to fix SOC2-002 (Hard-coded credential or secret): Remove the value from the code');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/\bcompliant\b/i);
  });

  it('has the coverage, endpoint inventory, methodology and disclaimer', () => {
    const all = pages.join('\n');
    expect(all).toMatch(/Scan coverage \d+ files and [\d,]+ lines were analysed/);
    expect(all).toContain('package-lock.json');
    expect(all).toContain('Positive evidence');
    expect(all).toContain('bcrypt imported in 1 file');
    expect(all).toContain('Automated checks support an audit and do not replace one');
  });

  it('is byte-identical for the same commit, and dated by SOURCE_DATE_EPOCH when set', async () => {
    const again = join(out, 'again.pdf');
    await runCli(['report', 'generate', '-o', again, app]);
    expect(readFileSync(again).equals(pdf)).toBe(true);
    const dated = join(out, 'dated.pdf');
    await runCli(['report', 'generate', '-o', dated, app], { env: { SOURCE_DATE_EPOCH: '1735689600' } });
    const text = await pageTexts(readFileSync(dated));
    expect(text[0]).toContain('2025-01-01 (SOURCE_DATE_EPOCH)');
    expect(readFileSync(dated).toString('latin1')).toContain('(D:20250101000000Z)');
  });

  it('rejects a malformed --date', async () => {
    const r = await runCli(['report', 'generate', '-o', join(out, 'x.pdf'), '--date', '2024-02-30', app]);
    expect(r.stderr).toContain("--date must be a calendar date YYYY-MM-DD (got '2024-02-30')");
    expect(r.code).toBe(2);
  });

  it.skipIf(!hasPdftoppm)('renders every page', () => {
    const r = spawnSync('pdftoppm', ['-r', '20', '-png', join(out, 'soc2-report.pdf'), join(out, 'page')]);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('tables in the PDF', () => {
  it('break across pages with the header repeated', async () => {
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const endpoints = Array.from({ length: 150 }, (_, i) => ({
      framework: 'express' as const,
      methods: ['GET'],
      path: `/api/items/${String(i).padStart(3, '0')}`,
      file: 'src/routes/items.js',
      range: { ...range, start: { line: i + 1, column: 1 } },
      guards: [{ kind: 'authentication' as const, name: 'requireAuth', scope: 'router' as const, path: 'src/auth.js', line: 3 }],
      optOuts: [],
    }));
    const repo = { inGitRepository: false, lockfiles: [], pinnedRequirements: [], dependencyUpdates: [], ci: [] };
    const result = {
      tool: { name: 'complianceagent', version: '0.1.0' },
      root: '/x',
      repoPrefix: '',
      rulesRun: [],
      findings: [],
      errors: [],
      coverage: { filesByLanguage: { javascript: 1 }, linesScanned: 10, skipped: [] },
    };
    const model: ReportModel = {
      project: 'big-api',
      scanned: '.',
      date: '2024-06-30T00:00:00.000Z',
      dateSource: 'option',
      tool: result.tool,
      framework: 'SOC 2',
      summary: summarize(result),
      topRisks: [],
      controls: assessControls({ findings: [], availableRules: [], rulesRun: [], model: { files: [], endpoints, apps: [] }, repo, threshold: 'low' }),
      exceptions: [],
      endpoints,
      coverage: result.coverage,
      errors: [],
      rules: [],
      threshold: 'low',
      repo,
    };
    const text = await pageTexts(await toPdf(model));
    const inventory = text.map((t, i) => [i, t] as const).filter(([, t]) => t.includes('/api/items/'));
    expect(inventory.length).toBeGreaterThan(2);
    for (const [i, t] of inventory)
      expect(t, `page ${i + 1} repeats the header`).toContain('Method Path Authentication Authorisation Rate limit Public because Declared at');
    expect(text.join(' ')).toContain('/api/items/149');
    expect(text.join(' ')).toContain('requireAuth (src/auth.js) covers 150 of 150 endpoints');
  });
});
