import { describe, expect, it } from 'vitest';
import { auditTriggerTable, keepsStringFact } from '../../src/model/string-facts.js';
import { CONNECTION_STRING_SAMPLES, SECRET_PATTERNS, findConnectionStringPassword, findProviderSecrets } from '../../src/model/secrets.js';
import { extractFacts } from '../../src/engine/extract.js';

const TRIGGER_SQL = 'CREATE OR REPLACE TRIGGER orders_audit AFTER UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION log_change()';

/** Literals no reader of string facts acts on: messages, MIME types, URLs without credentials, SQL without an audit trigger. */
const DROPPED = [
  'Something went wrong, please try again',
  'application/json; charset=utf-8',
  'https://docs.example.org/guide/install',
  'SELECT id, email FROM users WHERE id = $1',
  'CREATE TRIGGER set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()',
  'ModelAdminConfigurationsX.helper.some_long_function_name_here',
  'postgres://app@db:5432/app',
];

describe('string facts kept (model/string-facts.ts)', () => {
  it.each(SECRET_PATTERNS.map((p) => ({ id: p.id, p })))('$id: every must-match sample with a provider hit is kept', ({ p }) => {
    for (const sample of p.samples.match) if (findProviderSecrets(sample).length > 0) expect(keepsStringFact(sample), sample.slice(0, 80)).toBe(true);
  });

  it.each(CONNECTION_STRING_SAMPLES.match)('keeps %s (a %s password)', (text) => {
    expect(keepsStringFact(text)).toBe(true);
  });

  it('keeps an audit trigger and names its table', () => {
    expect(auditTriggerTable(TRIGGER_SQL)).toBe('orders');
    expect(keepsStringFact(TRIGGER_SQL)).toBe(true);
  });

  it.each(DROPPED)('drops %s', (text) => {
    expect(keepsStringFact(text)).toBe(false);
  });

  it('keeps exactly the literals a reader acts on, over every sample of the secret tables', () => {
    const samples = [...SECRET_PATTERNS.flatMap((p) => [...p.samples.match, ...p.samples.noMatch]), ...CONNECTION_STRING_SAMPLES.noMatch, ...DROPPED];
    for (const s of samples) {
      const acted = findProviderSecrets(s).length > 0 || findConnectionStringPassword(s) !== null || auditTriggerTable(s) !== null;
      expect(keepsStringFact(s), s.slice(0, 80)).toBe(acted);
    }
  });

  it('the engine keeps only those literals in a file’s facts', async () => {
    const text = [
      `const message = 'Something went wrong, please try again';`,
      `const db = ${JSON.stringify(CONNECTION_STRING_SAMPLES.match[0]![0])};`,
      `const sql = ${JSON.stringify(TRIGGER_SQL)};`,
    ].join('\n');
    const { facts } = await extractFacts({ path: 'src/app.js', language: 'javascript', text });
    expect(facts?.strings.map((s) => s.range.start.line)).toEqual([2, 3]);
  });
});
