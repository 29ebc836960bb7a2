import { describe, expect, it } from 'vitest';
import rule from '../../../rules/SOC2-005-unencrypted-sensitive-data.js';
import { detectLanguage } from '../../../src/discovery/languages.js';
import { analyze } from '../../../src/engine/analyze.js';
import { extractFacts } from '../../../src/engine/extract.js';

/**
 * Prisma positives for SOC2-005. They live here rather than under fixtures/rules/ because the fixture
 * annotations for this file type are `#` comments, which a Prisma schema cannot contain.
 */
const SCHEMA = `model Customer {
  id          Int      @id
  ssn         String
  taxId       String   /// @encrypted
  dateOfBirth DateTime
  ssnVerified Boolean  @default(false)
  cardLast4   String?
  iban        String?
}
`;

describe('SOC2-005 on schema.prisma', () => {
  it('is discovered as a config file', () => {
    expect(detectLanguage('prisma/schema.prisma')).toBe('config');
  });

  it('reports unencrypted sensitive fields and accepts encrypted, boolean and partial ones', async () => {
    const { facts, errors } = await extractFacts({ path: 'prisma/schema.prisma', language: 'config', text: SCHEMA });
    expect(errors).toEqual([]);
    const { findings } = analyze({ files: [{ facts: facts!, text: SCHEMA }], rules: [rule] });
    expect(findings.map((f) => `${f.location.startLine} ${f.severity} ${f.message}`)).toEqual([
      '3 high Prisma model `Customer` stores social security number in `ssn` without encryption. Encrypt the field (or store only a token or the last digits).',
      '5 low Prisma model `Customer` stores date of birth in `dateOfBirth` without encryption. Encrypt the field (or store only a token or the last digits).',
      '8 high Prisma model `Customer` stores bank account number in `iban` without encryption. Encrypt the field (or store only a token or the last digits).',
    ]);
  });
});
