import { describe, expect, it } from 'vitest';
import { getPythonParser, parsePython } from '../../../src/languages/python/parse.js';

describe('parsePython', () => {
  it('initialises one parser per process', async () => {
    const [a, b] = await Promise.all([getPythonParser(), getPythonParser()]);
    expect(a).toBe(b);
  });

  it('returns a tree and no errors for valid code', async () => {
    const { tree, syntaxErrors } = await parsePython('def f(x):\n    return x\n');
    try {
      expect(tree.rootNode.type).toBe('module');
      expect(syntaxErrors).toEqual([]);
    } finally {
      tree.delete();
    }
  });

  it('lists ERROR and MISSING nodes in source order with 1-based UTF-16 positions', async () => {
    const { tree, syntaxErrors } = await parsePython('s = "é"\nf(a, b\nx = 1 +\nif y == :\n    pass\n');
    tree.delete();
    expect(syntaxErrors.length).toBeGreaterThan(0);
    expect(syntaxErrors[0]).toEqual({ message: expect.any(String), line: 2, column: expect.any(Number) });
    const keys = syntaxErrors.map((e) => e.line * 1000 + e.column);
    expect(keys).toEqual([...keys].sort((p, q) => p - q));
  });
});
