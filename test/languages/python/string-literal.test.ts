import { describe, expect, it } from 'vitest';
import { decodeLiteral } from '../../../src/languages/python/string-literal.js';

describe('decodeLiteral', () => {
  const cases: Array<[source: string, value: string | null]> = [
    [`'plain'`, 'plain'],
    [`"double"`, 'double'],
    [`'''triple 'quoted' '''`, "triple 'quoted' "],
    [`"""a\r\nb"""`, 'a\nb'],
    [`'\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\"'`, '\x07\b\f\n\r\t\v\\\'"'],
    [`'\\101\\0\\x41\\u00e9\\U0001F600'`, 'A\0Aé😀'],
    [`'\\N{EM DASH}\\q'`, '\\N{EM DASH}\\q'],
    [`'line\\\ncontinued'`, 'linecontinued'],
    [`r'\\d+\\''`, "\\d+\\'"],
    [`R"C:\\new"`, 'C:\\new'],
    [`b'\\x00\\xff\\u0041'`, '\x00\xff\\u0041'],
    [`rb'\\x00'`, '\\x00'],
    [`U'unicode'`, 'unicode'],
    [`f'{{braces}}'`, '{braces}'],
    [`f'has {value}'`, null],
    [`rf'\\{x}'`, null],
    [`f'\\{{x}}'`, '\\{x}'],
    [`t'{x}'`, null],
    [`''`, ''],
    [`''''''`, ''],
    [`b""`, ''],
    [`'unterminated`, 'unterminated'],
    [`not a literal`, null],
  ];
  for (const [source, value] of cases) {
    it(`${source} → ${JSON.stringify(value)}`, () => {
      expect(decodeLiteral(source)).toBe(value);
    });
  }
});
