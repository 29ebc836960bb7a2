import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze } from '../../src/engine/analyze.js';
import { extractFacts } from '../../src/engine/extract.js';
import type { FileFacts } from '../../src/model/facts.js';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'SOC2-001', 'flask-two-apps');

describe('a route declared once and served by two apps', () => {
  it('yields one SOC2-001 finding, not one per app (the fixture test cannot count duplicates)', async () => {
    const files: Array<{ facts: FileFacts; text: string }> = [];
    for (const name of readdirSync(ROOT).sort()) {
      const text = readFileSync(join(ROOT, name), 'utf8');
      const extracted = await extractFacts({ path: name, language: 'python', text });
      if (extracted.facts) files.push({ facts: extracted.facts, text });
    }
    const { findings } = analyze({ files, rules: RULES });
    const soc2001 = findings.filter((f) => f.ruleId === 'SOC2-001');
    expect(soc2001.map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual(['mod_posts.py:8', 'mod_posts.py:24']);
  });
});
