import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { RULE_CONTROLS, isControlId } from '../src/model/control-catalog.js';
import { detectLanguage } from '../src/discovery/languages.js';

/** Meta tests over every rule (typescript-eslint's idea): docs, naming, mapping and fixtures stay in step. */
const ROOT = join(import.meta.dirname, '..');
const DOC_HEADINGS = ['## Why it matters for SOC 2', '## What it flags', '## What it accepts', '## How to fix', '## Known limitations', '## References'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

it('rule ids are unique and sorted', () => {
  const ids = RULES.map((r) => r.id);
  expect(ids).toEqual([...new Set(ids)].sort());
});

describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  const base = join(ROOT, 'rules', `${id}-${rule.slug}`);

  it('is named SOC2-00N-<slug>.ts after its id and slug', () => {
    expect(id).toMatch(/^SOC2-0(0[1-9]|1[0-5])$/);
    expect(existsSync(`${base}.ts`), `${base}.ts`).toBe(true);
  });

  it('matches the rule → control mapping of CONTROLS.md', () => {
    const mapped = RULE_CONTROLS[id];
    expect({ slug: rule.slug, controls: rule.controls, cwe: rule.cwe, severity: rule.severity }).toEqual({
      slug: mapped.slug,
      controls: mapped.controls,
      cwe: mapped.cwe,
      severity: mapped.severity,
    });
    for (const c of rule.controls) expect(isControlId(c), c).toBe(true);
  });

  it('has docs with the fixed headings, in order', () => {
    const doc = readFileSync(`${base}.md`, 'utf8');
    expect(doc.split('\n')[0]).toBe(`# ${id} ${rule.title}`);
    const found = DOC_HEADINGS.map((h) => doc.indexOf(`\n${h}\n`));
    expect(
      DOC_HEADINGS.filter((_, i) => found[i] === -1),
      'missing headings',
    ).toEqual([]);
    expect([...found].sort((a, b) => a - b)).toEqual(found);
  });

  it('has messages without unfilled wording', () => {
    for (const [messageId, text] of Object.entries(rule.messages)) {
      expect(text.trim().length, messageId).toBeGreaterThan(10);
      expect(text, messageId).not.toMatch(/TODO|FIXME/);
    }
  });

  it('has annotated fixtures for every language it supports', () => {
    const dir = join(ROOT, 'fixtures', 'rules', id);
    const files = existsSync(dir) ? filesUnder(dir) : [];
    const languages = new Set(files.map((f) => detectLanguage(f)).filter(Boolean));
    const annotated = files.filter((f) => /\b(ruleid|ok):\s*SOC2-/.test(readFileSync(f, 'utf8')));
    const covered = new Set(rule.languages.filter((l) => languages.has(l)));
    expect(
      rule.languages.filter((l) => !covered.has(l)),
      'languages without fixtures',
    ).toEqual([]);
    expect(annotated.length).toBeGreaterThan(0);
  });
});
