import { describe, expect, it } from 'vitest';
import { parsePrismaModels } from '../../../src/languages/prisma/parse.js';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  USER
  ADMIN
}

/// A customer of the shop.
model Customer {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  ssn       String   /// @encrypted
  /// @encrypted
  taxId     String?
  // a plain comment is not a field
  cards     Card[]
  createdAt DateTime @default(now())

  @@index([email])
}

model Card {
  id         Int    @id
  cardNumber String @db.VarChar(19)
}
`;

const brief = (text: string) =>
  parsePrismaModels(text).map((m) => ({
    model: m.name,
    line: m.range.start.line,
    fields: m.fields.map((f) => `${f.name}:${f.type}${f.encrypted ? ':encrypted' : ''}@${f.range.start.line}`),
  }));

describe('parsePrismaModels', () => {
  it('reads models, field types, lines and /// @encrypted, skipping other blocks', () => {
    expect(brief(SCHEMA)).toEqual([
      {
        model: 'Customer',
        line: 12,
        fields: ['id:Int@13', 'email:String@14', 'ssn:String:encrypted@15', 'taxId:String?:encrypted@17', 'cards:Card[]@19', 'createdAt:DateTime@20'],
      },
      { model: 'Card', line: 25, fields: ['id:Int@26', 'cardNumber:String@27'] },
    ]);
  });

  it('does not carry a doc-comment marker past the field it documents', () => {
    const text = 'model A {\n  /// @encrypted\n  ssn String\n  dob DateTime\n}\n';
    expect(brief(text)).toEqual([{ model: 'A', line: 1, fields: ['ssn:String:encrypted@3', 'dob:DateTime@4'] }]);
  });

  it('tolerates an unterminated model and CRLF line ends', () => {
    expect(brief('model A {\r\n  ssn String\r\n')).toEqual([]);
    expect(brief('model A {\r\n  ssn String\r\n}\r\n')).toEqual([{ model: 'A', line: 1, fields: ['ssn:String@2'] }]);
  });
});
