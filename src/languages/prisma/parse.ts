import { splitLines } from '../../util/lines.js';
import type { DataModel, DataModelField } from '../../model/facts.js';

/**
 * A small reader of Prisma schema files (`schema.prisma`): `model` blocks with their fields, each field's
 * type, and whether prisma-field-encryption's `/// @encrypted` marks it (on the field's line or the doc-comment
 * line just above). Blocks other than `model` (datasource, generator, enum, type, view) are skipped.
 */

const BLOCK_START = /^\s*(model|enum|type|view|datasource|generator)\s+(\w+)\s*\{/;
const FIELD = /^\s*(\w+)\s+([\w.]+(?:\([^)]*\))?)(\[\])?(\?)?/;
const ENCRYPTED = /\/\/\/.*@encrypted\b/;

export function parsePrismaModels(text: string): DataModel[] {
  const models: DataModel[] = [];
  const lines = splitLines(text);
  let current: DataModel | null = null;
  let docEncrypted = false;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const start = BLOCK_START.exec(line);
    if (!current && start) {
      if (start[1] === 'model') {
        const column = line.indexOf(start[2]!) + 1;
        current = {
          orm: 'prisma',
          name: start[2]!,
          range: { start: { line: i + 1, column }, end: { line: i + 1, column: column + start[2]!.length } },
          fields: [],
        };
      } else {
        current = { orm: 'prisma', name: '', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, fields: [] };
      }
      return;
    }
    if (!current) return;
    const trimmed = line.trim();
    if (trimmed.startsWith('}')) {
      if (current.name !== '') models.push(current);
      current = null;
      docEncrypted = false;
      return;
    }
    if (trimmed.startsWith('///')) {
      docEncrypted ||= ENCRYPTED.test(trimmed);
      return;
    }
    if (trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('@@')) return;
    const m = FIELD.exec(line);
    if (m && current.name !== '') {
      const column = line.indexOf(m[1]!) + 1;
      const field: DataModelField = {
        name: m[1]!,
        type: m[2]! + (m[3] ?? '') + (m[4] ?? ''),
        encrypted: docEncrypted || ENCRYPTED.test(line),
        range: { start: { line: i + 1, column }, end: { line: i + 1, column: line.trimEnd().length + 1 } },
      };
      current.fields.push(field);
    }
    docEncrypted = false;
  });
  return models;
}
