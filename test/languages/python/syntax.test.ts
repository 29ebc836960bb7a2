import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { getPythonParser, parsePythonSyntax, pythonCursorAccess } from '../../../src/languages/python/parse.js';
import { readSyntaxTree, type PyNode } from '../../../src/languages/python/syntax.js';
import { PUNCTUATION, SKIPPED_NAMED_TOKENS, SKIPPED_TOKENS } from '../../../src/languages/python/skipped-tokens.js';
import { callArguments, dottedParts } from '../../../src/languages/python/ast.js';

/**
 * The plain-JS copy of a tree (syntax.ts) must answer every question the extractors ask exactly as
 * web-tree-sitter's Node does: a difference would silently change findings. The one designed difference: tokens no
 * extractor reads (punctuation, `=`, statement keywords, a string's quotes and escapes) get no node: `children` and
 * named children list the others; fields and text are unaffected.
 */
const FIELDS = [
  'left',
  'right',
  'body',
  'name',
  'value',
  'function',
  'arguments',
  'object',
  'attribute',
  'subscript',
  'key',
  'parameters',
  'type',
  'condition',
  'consequence',
  'alias',
  'definition',
  'superclasses',
  'module_name',
  'operator',
  'argument',
];
const TYPE_SETS = [
  ['module', 'string', 'concatenated_string', 'assignment', 'call', 'dictionary', 'lambda', 'default_parameter'],
  ['function_definition'],
  ['identifier', 'subscript', 'call'],
  ['ERROR'],
  ['await', 'type'],
];

type Pair = [PyNode, Node];

/** Whether readSyntaxTree leaves the node out: a skipped token, unless error recovery inserted it (MISSING, zero width). */
function skipped(c: Node): boolean {
  return (c.isNamed ? SKIPPED_NAMED_TOKENS : SKIPPED_TOKENS).has(c.type) && c.endIndex > c.startIndex;
}

/** The children readSyntaxTree keeps. */
function kept(children: ReadonlyArray<Node | null>): Node[] {
  return children.filter((c): c is Node => c !== null && !skipped(c));
}

/** The next named sibling readSyntaxTree keeps. */
function nextKeptNamedSibling(n: Node): Node | null {
  let s = n.nextNamedSibling;
  while (s && skipped(s)) s = s.nextNamedSibling;
  return s;
}

function describeNode(n: PyNode | Node | null | undefined): string {
  return n ? `${n.type}@${n.startIndex}-${n.endIndex}` : 'null';
}

function compareTrees(mine: PyNode, theirs: Node): string[] {
  const problems: string[] = [];
  const stack: Pair[] = [[mine, theirs]];
  const same = (a: PyNode | null | undefined, b: Node | null | undefined, what: string): void => {
    if (describeNode(a) !== describeNode(b)) problems.push(`${what}: ${describeNode(a)} vs ${describeNode(b)}`);
  };
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const at = describeNode(b);
    same(a, b, 'node');
    for (const key of ['isNamed', 'hasError', 'isMissing', 'isError', 'text'] as const) {
      if (a[key] !== b[key]) problems.push(`${at} ${key}: ${String(a[key])} vs ${String(b[key])}`);
    }
    const children = kept(b.children);
    const namedChildren = kept(b.namedChildren);
    if (a.namedChildCount !== namedChildren.length) problems.push(`${at} namedChildCount: ${a.namedChildCount} vs ${namedChildren.length} kept`);
    if (a.childCount !== children.length) problems.push(`${at} childCount: ${a.childCount} vs ${children.length} kept`);
    const list = (nodes: ReadonlyArray<PyNode | Node | null>): string => nodes.map(describeNode).join(' ');
    const differ = (x: string, y: string, what: string): void => {
      if (x !== y) problems.push(`${at} ${what}: ${x} vs ${y}`);
    };
    differ(JSON.stringify([a.startPosition, a.endPosition]), JSON.stringify([b.startPosition, b.endPosition]), 'positions');
    same(a.parent, b.parent, `${at} parent`);
    same(a.firstNamedChild, namedChildren[0] ?? null, `${at} firstNamedChild`);
    same(a.nextNamedSibling, nextKeptNamedSibling(b), `${at} nextNamedSibling`);
    for (const field of FIELDS) {
      same(a.childForFieldName(field), b.childForFieldName(field), `${at} ${field}`);
      differ(list(a.childrenForFieldName(field)), list(b.childrenForFieldName(field)), `${field}[]`);
    }
    // Descendants by type from every node with children: cheap here, a native walk there.
    if (b.childCount > 0) for (const types of TYPE_SETS) differ(list(a.descendantsOfType(types)), list(b.descendantsOfType(types)), types.join());
    differ(list(a.namedChildren), list(namedChildren), 'namedChildren');
    differ(list(a.children), list(children), 'children');
    children.forEach((c, i) => {
      stack.push([a.children[i]!, c]);
    });
  }
  return problems;
}

/** Both walks (direct cursor calls and web-tree-sitter's TreeCursor) against the Node API. */
async function check(text: string): Promise<string[]> {
  const tree = (await getPythonParser()).parse(text)!;
  try {
    const access = pythonCursorAccess();
    const direct = access ? compareTrees(readSyntaxTree(tree, text, access), tree.rootNode).map((p) => `direct: ${p}`) : ['no direct cursor access'];
    return [...direct, ...compareTrees(readSyntaxTree(tree, text, null), tree.rootNode).map((p) => `TreeCursor: ${p}`)];
  } finally {
    tree.delete();
  }
}

const SAMPLES: Record<string, string> = {
  'definitions, strings and fields': [
    'import os, a.b as c',
    'from .x import (y as z, w)',
    '',
    '@app.route("/u/<int:id>", methods=["POST"])',
    'async def view(request, id: int = 3, *args, key="k", **kw) -> str:',
    '    """doc"""',
    '    # comment',
    '    x = y = request.args.get("q") or os.environ["X"]',
    "    s = f\"{x!r:>{w}}é😀\" 'tail' b'\\x00'",
    '    if x not in ALLOWED and x is not None: return await g(lambda: 1)',
    '    d = {"a": {"b": [1, 2.5, -3]}, **other}',
    '    return s, 400',
    '',
    'class A(B, metaclass=M):',
    '    field: int = 1',
    '    def m(self): return self.field[1:2]',
  ].join('\n'),
  'syntax errors and missing nodes': 's = "é"\nf(a, b\nx = 1 +\nif y == :\n    pass\n)))(((\n\x00\tdef\n',
  'an empty file': '',
  'a lone colon': ':',
  'CRLF line ends': 'a = 1\r\nb = "x"\r\n',
};

describe('readSyntaxTree', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`reads ${name} as web-tree-sitter does`, async () => {
      expect(await check(text)).toEqual([]);
    });
  }

  it('makes no node of skipped tokens, except one error recovery inserted', async () => {
    const text = 'x = f(a, b[1:2], {"k": v})\ndef f(:\n  pass\nclass C:\n    def m(self) -> str:\n        return "a\\n" if x in y else g(x=1)\n';
    const { root } = await parsePythonSyntax(text);
    const all: PyNode[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      all.push(n);
      stack.push(...n.children);
    }
    const left = all.filter((n) => (n.isNamed ? SKIPPED_NAMED_TOKENS : SKIPPED_TOKENS).has(n.type));
    expect(left.map((n) => [n.type, n.isMissing])).toEqual([[')', true]]);
    expect(all.some((n) => n.type === 'slice' && n.namedChildren.length === 2)).toBe(true);
    // What extractors read stays: the string's content, the comparison and conditional keywords, the fields.
    const string = all.find((n) => n.type === 'string' && n.text === '"a\\n"')!;
    expect(string.namedChildren.map((c) => c.type)).toEqual(['string_content']);
    expect(all.filter((n) => !n.isNamed).map((n) => n.type)).toEqual(expect.arrayContaining(['if', 'in', 'else']));
    expect(all.find((n) => n.type === 'keyword_argument')?.childForFieldName('value')?.text).toBe('1');
    expect(PUNCTUATION.has(',')).toBe(true);
  });

  it('reads the Python fixtures as web-tree-sitter does', async () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'rules', 'SOC2-004');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.py'))
      .sort();
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(await check(readFileSync(join(dir, f), 'utf8')), f).toEqual([]);
  });

  it('allOfTypes lists what a walk down the code children (named, not comments) visits, in that order', async () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'rules');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.py'))
      .sort();
    const types = ['function_definition', 'except_clause', 'call', 'assignment', 'ERROR', 'identifier'];
    for (const f of files) {
      const { root } = await parsePythonSyntax(readFileSync(join(dir, f), 'utf8'));
      const walked: PyNode[] = [];
      const walk = (n: PyNode): void => {
        if (types.includes(n.type)) walked.push(n);
        for (const c of n.codeChildren) walk(c);
      };
      walk(root);
      expect(root.allOfTypes(types), f).toEqual(walked);
    }
  });

  it('holds no reference to the deleted tree and indexes nodes by type in document order', async () => {
    const { root, syntaxErrors } = await parsePythonSyntax('def f():\n    g(1)\n    h(g(2))\n');
    expect(syntaxErrors).toEqual([]);
    const calls = root.descendantsOfType('call');
    expect(calls.map((c) => c.text)).toEqual(['g(1)', 'h(g(2))', 'g(2)']);
    expect(calls[1]!.descendantsOfType(['call', 'integer']).map((c) => c.text)).toEqual(['h(g(2))', 'g(2)', '2']);
    expect(calls[2]!.parent?.parent?.equals(calls[1])).toBe(true);
  });

  it("reads a call's arguments once per node and gives each caller its own dotted parts", async () => {
    const { root } = await parsePythonSyntax('a.b(x, y=1)\nf().g["k"].h(2)\n');
    const [first, second] = root.descendantsOfType('call');
    const args = callArguments(first!);
    expect(args.positional.map((n) => n.text)).toEqual(['x']);
    expect([...args.keywords.keys()]).toEqual(['y']);
    expect(callArguments(first!)).toBe(args);
    const fn = second!.childForFieldName('function');
    const parts = dottedParts(fn);
    expect(parts).toEqual(['f()', 'g', 'k', 'h']);
    parts!.push('changed');
    expect(dottedParts(fn)).toEqual(['f()', 'g', 'k', 'h']);
    expect(dottedParts(second!)).toEqual(['f()', 'g', 'k', 'h()']);
  });
});
