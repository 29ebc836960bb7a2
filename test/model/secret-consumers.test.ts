/**
 * Issue 15: the table of secret-consuming calls proves itself with its samples, and SOC2-002 states the quality of
 * a weak or placeholder value it flags there instead of dropping it.
 */
import { describe, expect, it } from 'vitest';
import { SECRET_ARGUMENT_SAMPLES, secretArgumentFor } from '../../src/model/secret-arguments.js';
import { classifySecretName } from '../../src/model/secret-names.js';
import { extractFacts } from '../../src/engine/extract.js';
import { analyze } from '../../src/engine/analyze.js';
import { RULES } from '../../rules/index.js';
import type { Language } from '../../src/model/facts.js';

describe('SECRET_ARGUMENTS', () => {
  it.each(SECRET_ARGUMENT_SAMPLES.match.map(([call, index, language]) => ({ call, index, language })))(
    '$call takes a secret at argument $index ($language)',
    ({ call, index, language }) => {
      expect(secretArgumentFor(call.split('.'), language).map((a) => a.index)).toContain(index);
    },
  );
  it.each(SECRET_ARGUMENT_SAMPLES.noMatch.map(([call, index, language]) => ({ call, index, language })))(
    '$call does not take a secret at argument $index ($language)',
    ({ call, index, language }) => {
      expect(secretArgumentFor(call.split('.'), language).map((a) => a.index)).not.toContain(index);
    },
  );
});

describe('names', () => {
  it('reads SECRET_COOKIE_KEY and adminKey as secrets, and cookie_name or primary_key as none', () => {
    expect(classifySecretName('SECRET_COOKIE_KEY')).toBe('secret');
    expect(classifySecretName('adminKey')).toBe('secret');
    expect(classifySecretName('cookie_name')).toBeNull();
    expect(classifySecretName('primary_key')).toBeNull();
  });
});

async function soc2002(path: string, language: Language, text: string) {
  const { facts } = await extractFacts({ path, language, text });
  const { findings } = analyze({ files: [{ facts: facts!, text }], rules: RULES });
  return findings.filter((f) => f.ruleId === 'SOC2-002').map((f) => `${f.location.startLine} ${f.confidence} ${f.message.split('. ')[0]}`);
}

describe('weak and placeholder values where a secret is consumed', () => {
  it('says which, with low confidence for a placeholder, and drops an environment read', async () => {
    const text = [
      "const jwt = require('jsonwebtoken');",
      "const t = jwt.sign({ id: 1 }, 'shhhhh');",
      "app.use(session({ secret: 'your-secret-key-here' }));",
      'app.use(session({ secret: process.env.SESSION_SECRET }));',
      "if (password === 'admin') ok();",
      '',
    ].join('\n');
    expect(await soc2002('src/app.js', 'javascript', text)).toEqual([
      '2 medium Hard-coded secret in `jwt.sign()` (a weak, guessable value)',
      '3 low Hard-coded secret in `secret` (a placeholder the app uses as-is)',
      '5 medium Input is compared with a hard-coded password (`password`) (a weak, guessable value): a built-in credential',
    ]);
  });

  it('flags Flask and Django secret keys in code, not a template line of an example config', async () => {
    expect(await soc2002('app.py', 'python', "app.secret_key = 'your-secret-key-here'\n")).toEqual([
      '1 low Hard-coded secret in `app.secret_key` (a placeholder the app uses as-is)',
    ]);
    expect(await soc2002('.env.example', 'config', 'SECRET_KEY=<generate-a-secret-key>\n')).toEqual([]);
  });
});

describe('data files and masking', () => {
  it('masks only the value, never the name that contains it', async () => {
    const text = 'Zq8X9Lm2_TOKEN=Zq8X9Lm2\n';
    const { facts } = await extractFacts({ path: '.env', language: 'config', text });
    const { findings } = analyze({ files: [{ facts: facts!, text }], rules: RULES });
    const f = findings.find((x) => x.ruleId === 'SOC2-002')!;
    expect(f.snippet).toContain('Zq8X9Lm2_TOKEN=********');
    expect(f.message).toContain('Zq8X9Lm2_TOKEN');
  });

  it('reads a JSON name map as data: only a credential-looking value fires', async () => {
    const text = '{ "ANGRYTOKEN": "Angryb", "SERVICE_TOKEN": "q8Vt3Lr9Xm2Kp7Wz" }\n';
    expect((await soc2002('data/coins.json', 'config', text)).map((l) => l.split(' in ')[1])).toEqual(['`SERVICE_TOKEN`']);
  });
});
