/**
 * Issue 12 item 3: the engine masks, at the one point where findings and the project model leave it, every
 * secret a rule found - also when that rule runs only to learn secrets (`secretRules`: `endpoints`, or
 * SOC2-002 disabled).
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze } from '../../src/engine/analyze.js';
import { extractFacts } from '../../src/engine/extract.js';

const SECRET = 'keyboard-cat-bravo-tango';
const APP = [
  "const express = require('express');",
  "const { expressjwt: jwt } = require('express-jwt');",
  'const app = express();',
  `app.get('/admin', jwt({ secret: '${SECRET}', algorithms: ['HS256'] }), (req, res) => res.send('ok'));`,
  'app.listen(3000);',
  '',
].join('\n');

async function input() {
  const { facts } = await extractFacts({ path: 'app.js', language: 'javascript', text: APP });
  return [{ facts: facts!, text: APP }];
}

const secretRule = RULES.filter((r) => r.id === 'SOC2-002');

describe('analyze', () => {
  it('masks a secret SOC2-002 found in the guards of the model it returns, and leaves the rules the raw model', async () => {
    const out = analyze({ files: await input(), rules: RULES });
    expect(out.findings.some((f) => f.ruleId === 'SOC2-002')).toBe(true);
    expect(JSON.stringify(out.model.endpoints)).not.toContain(SECRET);
    expect(JSON.stringify(out.findings)).not.toContain(SECRET);
    expect(out.model.endpoints[0]!.guards.map((g) => g.name).join()).toContain("jwt({ secret: '********'");
  });

  it('learns secrets from secretRules without reporting their findings', async () => {
    const without = analyze({ files: await input(), rules: [] });
    expect(JSON.stringify(without.model.endpoints)).toContain(SECRET); // nothing named it: the case secretRules is for
    const out = analyze({ files: await input(), rules: [], secretRules: secretRule });
    expect(out.findings).toEqual([]);
    expect(JSON.stringify(out.model.endpoints)).not.toContain(SECRET);
  });
});
