import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { gitAt } from './fixture-repo.js';

/**
 * The AI section (issue 19) and the secrets-in-history evidence (issue 15) in `evidence export` and its PDF, on a
 * repository with an OpenAI call from a Flask route, an MCP server with a refund tool, and a provider key that was
 * committed, then removed.
 */

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'rules');
const STANDARD_FONTS = `${join(import.meta.dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts')}/`;
const KEY = `sk_live_${'51Hq8ZcK2mX7pV3rT9wY4nB6'}`;

async function pdfText(file: string): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++)
    text += `${(await (await doc.getPage(i)).getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  await doc.destroy();
  return text.replace(/\s+/g, ' ');
}

function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'ca-sections-'));
  mkdirSync(join(repo, 'api'));
  cpSync(join(FIXTURES, 'SOC2-011', 'flask-openai', 'app.py'), join(repo, 'api', 'app.py'));
  cpSync(join(FIXTURES, 'SOC2-013', 'js-mcp', 'server.js'), join(repo, 'billing.js'));
  writeFileSync(join(repo, 'pay.js'), `module.exports = { key: '${KEY}' };\n`);
  gitAt(repo, '2024-01-10T10:00:00Z', ['init', '-q', '-b', 'main']);
  gitAt(repo, '2024-01-10T10:00:00Z', ['add', '-A']);
  gitAt(repo, '2024-01-10T10:00:00Z', ['commit', '-q', '-m', 'Billing and summaries']);
  writeFileSync(join(repo, 'pay.js'), 'module.exports = { key: process.env.STRIPE_KEY };\n');
  gitAt(repo, '2024-02-10T10:00:00Z', ['commit', '-q', '-am', 'Key from the environment']);
}, 60_000);

describe('evidence export: AI section and secrets in history', () => {
  let withHistory: string;
  let without: string;
  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'ca-sections-out-'));
    withHistory = join(base, 'with');
    without = join(base, 'without');
    const a = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '--history', '-o', withHistory]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(['evidence', 'export', repo, '--no-cache', '--period', '2024-01-01:2024-12-31', '-o', without]);
    expect(b.code, b.stderr).toBe(0);
  }, 120_000);

  it('writes the agents inventory and the SOC2-011..015 findings with their controls (ai-agents.json)', () => {
    const ai = JSON.parse(readFileSync(join(withHistory, 'ai-agents.json'), 'utf8'));
    expect(ai.summary).toMatch(/LLM call sites \(openai/i);
    expect(ai.inventory.some((r: { type: string; provider: string }) => r.type === 'call' && r.provider.toLowerCase() === 'openai')).toBe(true);
    const refund = ai.inventory.find((r: { type: string; name: string }) => r.type === 'tool' && r.name === 'refund');
    expect(refund.does.join(' ')).toMatch(/pay/);
    expect(ai.rules.map((r: { id: string }) => r.id)).toEqual(['SOC2-011', 'SOC2-012', 'SOC2-013', 'SOC2-014', 'SOC2-015']);
    const soc13 = ai.rules.find((r: { id: string }) => r.id === 'SOC2-013');
    expect(soc13.openFindings).toBeGreaterThan(0);
    expect(soc13.controls.length).toBeGreaterThan(0);
    expect(ai.findings.some((f: { ruleId: string; path: string }) => f.ruleId === 'SOC2-011' && f.path === 'api/app.py')).toBe(true);
  });

  it('summarises secrets in git history for CC6.1/CC6.6, masked; says "not examined" without --history', () => {
    const h = JSON.parse(readFileSync(join(withHistory, 'secrets-history.json'), 'utf8'));
    expect(h).toMatchObject({ examined: true, secrets: 1, files: 1, commits: 1, controls: ['CC6.1', 'CC6.6'] });
    expect(h.findings[0]).toMatchObject({ ruleId: 'SOC2-002', path: 'pay.js', authorDate: '2024-01-10T10:00:00+00:00' });
    expect(h.statement).toContain('Secrets in git history: examined');
    const none = JSON.parse(readFileSync(join(without, 'secrets-history.json'), 'utf8'));
    expect(none).toMatchObject({ examined: false, findings: [] });
    expect(none.statement).toContain('not examined');
    const matrix = JSON.parse(readFileSync(join(withHistory, 'control-matrix.json'), 'utf8'));
    expect(matrix.controls.find((c: { id: string }) => c.id === 'CC6.6').reasons.join(' ')).toContain('Secrets in git history: examined');
    expect(readFileSync(join(without, 'README.md'), 'utf8')).toContain('- Secrets in git history: not examined');
    expect(allText(withHistory)).not.toContain(KEY);
  });

  it('prints the AI section and the history line in the PDF', async () => {
    const text = await pdfText(join(withHistory, 'soc2-report.pdf'));
    expect(text).toContain('AI agents and LLM calls');
    expect(text).toMatch(/SOC2-013 .*open finding/);
    expect(text).toContain('Git history examined');
    expect(await pdfText(join(without, 'soc2-report.pdf'))).toContain('secrets in git history not examined');
  });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));
