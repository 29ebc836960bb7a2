import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from '@babel/types';
import { describe, expect, it } from 'vitest';
import { walkAst } from '../../../src/languages/javascript/ast.js';
import { parseJavaScript } from '../../../src/languages/javascript/parse.js';
import { FUNCTION_TYPES, NodeIndex, walkRecursive, withNodeIndex, type AstVisitor } from '../../../src/languages/javascript/visit.js';

const SOURCE = `import express from 'express';
const app = express();
/** doc */
app.get('/users/:id', async (req, res) => {
  const { id = 1, ...rest } = req.params;
  if (!/^\\d+$/.test(id)) return res.status(400).end();
  const rows = await db.query(\`select * from users where id = \${id}\`);
  res.json(rows.map((r) => ({ ...r, id })));
});
class Service {
  constructor(private readonly repo: Repo) {}
  @Get(':id') find(@Param('id') id: string): Promise<User> { return this.repo.findOne({ where: { id } }); }
}
export default function handler(a = 'secret-value', b?: number) { return a ? <div>{b}</div> : null; }
`;

/** The (type, start, ancestor types) sequence a visitor sees. */
function trace(run: (visit: AstVisitor) => void, skip: (n: Node) => boolean = () => false): string[] {
  const out: string[] = [];
  run((node, ancestors) => {
    out.push(`${node.type}@${node.start} < ${ancestors.map((a) => `${a.type}@${a.start}`).join(' ')}`);
    return skip(node) ? false : undefined;
  });
  return out;
}

describe('the node index (one walk per file)', () => {
  const { ast } = parseJavaScript('src/app.tsx', SOURCE);
  const index = NodeIndex.build(ast);
  const functions = new Set<string>(FUNCTION_TYPES);
  const subtrees: Node[] = [];
  walkRecursive(ast, (n) => void (functions.has(n.type) || n.type === 'ClassDeclaration' ? subtrees.push(n) : undefined));

  it('replays a walk from the file or any subtree exactly as the recursive walk, skips included', () => {
    expect(subtrees.length).toBeGreaterThan(4);
    for (const root of [ast, ast.program, ...subtrees]) {
      expect(trace((v) => index.walk(root, v))).toEqual(trace((v) => walkRecursive(root, v)));
      const skipFunctions = (n: Node) => functions.has(n.type) && n !== root;
      expect(trace((v) => index.walk(root, v), skipFunctions)).toEqual(trace((v) => walkRecursive(root, v), skipFunctions));
    }
  });

  it('gives the nodes of some types in document order with the ancestors a full walk would give them', () => {
    const types = ['CallExpression', 'Identifier', ...FUNCTION_TYPES];
    for (const root of [ast.program, ...subtrees]) {
      const filtered = (v: AstVisitor): void => walkRecursive(root, (n, a) => (types.includes(n.type) ? v(n, a) : undefined));
      expect(trace((v) => index.visit(root, types, v))).toEqual(trace(filtered));
      const skipArrows = (n: Node) => n.type === 'ArrowFunctionExpression';
      expect(trace((v) => index.visit(root, types, v), skipArrows)).toEqual(trace(filtered, skipArrows));
    }
  });

  it('knows each node once, and where its subtree lies', () => {
    let count = 0;
    walkRecursive(ast, () => void count++);
    expect(index.size).toBe(count);
    const [start, end] = index.span(ast.program)!;
    expect(start).toBe(1);
    expect(end).toBe(count);
    expect(index.span({ type: 'Identifier', name: 'elsewhere' } as Node)).toBeNull();
  });

  it('makes walkAst replay the index while a file is extracted, and walk nodes it does not hold', () => {
    const seen: Node[] = [];
    const detached = parseJavaScript('b.js', 'f(x)').ast.program;
    withNodeIndex(index, () => {
      walkAst(ast.program, (n) => void seen.push(n));
      walkAst(detached, (n) => void seen.push(n));
    });
    expect(seen.length).toBe(index.size - 1 + 5);
  });

  it('walks real fixtures the same way', () => {
    const dir = 'fixtures/rules/SOC2-004';
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(?:[jt]sx?)$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const parsed = parseJavaScript(f, readFileSync(join(dir, f), 'utf8')).ast;
      const idx = NodeIndex.build(parsed);
      expect(trace((v) => idx.walk(parsed, v))).toEqual(trace((v) => walkRecursive(parsed, v)));
    }
  });
});
