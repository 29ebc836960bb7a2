import type { Node } from '@babel/types';
import type { OptionValue, Range } from '../../model/facts.js';
import { activeNodeIndex, walkRecursive, type AstVisitor } from './visit.js';

/**
 * Small, shared readers of Babel nodes. Every JS/TS feature extractor uses these instead of writing its own, so
 * a name is read the same way everywhere (`a.b['c']` → ['a','b','c']).
 */

export { SKIP_KEYS } from './visit.js';

/**
 * Calls `visit` for every node below `root` (pre-order) with its ancestors, outermost first; `false` skips a
 * node's subtree. While a file is extracted (`withNodeIndex`), the walk replays that file's node index instead
 * of reading the tree again.
 */
export function walkAst(root: Node, visit: AstVisitor): void {
  if (activeNodeIndex()?.walk(root, visit)) return;
  walkRecursive(root, visit);
}

/**
 * `walkAst` for a visitor that looks only at nodes of the given types (it returns undefined for every other node,
 * whose subtree is then walked): the file's node index hands over just those nodes, in the same order, with the
 * same ancestors, and `false` skips a subtree as in walkAst.
 */
export function visitTypes(root: Node, types: readonly string[], visit: AstVisitor): void {
  const index = activeNodeIndex();
  if (index) {
    index.visit(root, types, visit);
    return;
  }
  const wanted = new Set(types);
  walkRecursive(root, (node, ancestors) => (wanted.has(node.type) ? visit(node, ancestors) : undefined));
}

export function rangeOf(node: Node): Range {
  const loc = node.loc!;
  return {
    start: { line: loc.start.line, column: loc.start.column + 1 },
    end: { line: loc.end.line, column: loc.end.column + 1 },
  };
}

/** The value of a literal that is a plain string at parse time (no interpolation). */
export function staticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression') {
    return staticString(node.expression);
  }
  return null;
}

export function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression') {
    n = n.expression;
  }
  return n;
}

/** What a member or call step adds on the way down from a name (`memberParts`): a key, or `()` on the last part. */
const CALL_STEP = Symbol('call');

/**
 * `a.b['c'].d` → ['a','b','c','d']; `this.x` → ['this','x']; null when a segment is not static. A fresh array
 * every time (callers may change it), built in one pass down the chain (a chain of n steps was n copies).
 */
export function memberParts(node: Node): string[] | null {
  const steps: Array<string | typeof CALL_STEP> = [];
  let n = unwrap(node);
  let parts: string[];
  for (;;) {
    if (n.type === 'Identifier') parts = [n.name];
    else if (n.type === 'ThisExpression') parts = ['this'];
    else if (n.type === 'Super') parts = ['super'];
    else if (n.type === 'MetaProperty') parts = [n.meta.name, n.property.name];
    else if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      let key: string | null;
      if (!n.computed && n.property.type === 'Identifier') key = n.property.name;
      else if (n.property.type === 'PrivateName') key = n.property.id.name;
      else key = staticString(n.property);
      if (key === null) return null;
      steps.push(key);
      n = unwrap(n.object);
      continue;
    } else if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      steps.push(CALL_STEP);
      n = unwrap(n.callee as Node);
      continue;
    } else return null;
    break;
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step === CALL_STEP) parts[parts.length - 1] = `${parts[parts.length - 1]}()`;
    else parts.push(step);
  }
  return parts;
}

export function propertyKey(node: Node & { key: Node; computed?: boolean }): string | null {
  const key = node.key;
  if (key.type === 'Identifier' && !node.computed) return key.name;
  if (key.type === 'PrivateName') return key.id.name;
  return staticString(key);
}

/**
 * The name a function goes by: its own (`function f`), its method key, or what its parent binds it to (`const f =`,
 * `exports.f =`, `{ f: … }`, a class property); undefined for an anonymous callback.
 */
export function functionName(fn: Node, parent: Node | undefined): string | undefined {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return fn.id.name;
  if ((fn.type === 'ClassMethod' || fn.type === 'ObjectMethod') && fn.key.type === 'Identifier') return fn.key.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'AssignmentExpression') return memberParts(parent.left)?.pop();
  if (parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') return propertyKey(parent as Node & { key: Node }) ?? undefined;
  return undefined;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`, `Bun.env.X` → 'X'. */
export function envVariableRead(node: Node): string | null {
  const n = unwrap(node);
  if (n.type === 'CallExpression') {
    const callee = memberParts(n.callee);
    if (callee && callee.join('.') === 'Deno.env.get') return staticString(n.arguments[0] as Node);
    return null;
  }
  const parts = memberParts(n);
  if (!parts || parts.length !== 3) return null;
  const base = parts.slice(0, 2).join('.');
  return base === 'process.env' || base === 'import.meta.env' || base === 'Bun.env' ? parts[2]! : null;
}

export function isFunction(node: Node): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' ||
    node.type === 'ClassMethod' ||
    node.type === 'ClassPrivateMethod' ||
    node.type === 'TSDeclareFunction' ||
    node.type === 'TSDeclareMethod'
  );
}

/** `a.b.c(...)` → 'a.b.c'; null when the callee is not a static name. */
export function calleeName(node: Node): string | null {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression' && node.type !== 'NewExpression') return null;
  const parts = memberParts(node.callee);
  return parts ? parts.join('.') : null;
}

/**
 * A statically read value: string/number/boolean/null literals, arrays of them, `-1`, `a * b` of numbers;
 * anything else is `{ expr }` with its source text (so `secure: isProd` is known to be set, just not how).
 */
export function readValue(node: Node, text: string): OptionValue {
  const n = unwrap(node);
  const s = staticString(n);
  if (s !== null) return s;
  if (n.type === 'BooleanLiteral') return n.value;
  if (n.type === 'NumericLiteral') return n.value;
  if (n.type === 'NullLiteral') return null;
  if (n.type === 'UnaryExpression' && n.operator === '-' && n.argument.type === 'NumericLiteral') return -n.argument.value;
  if (n.type === 'UnaryExpression' && n.operator === '!' && n.argument.type === 'NumericLiteral') return !n.argument.value;
  if (n.type === 'BinaryExpression' && n.operator === '*') {
    const a = readValue(n.left as Node, text);
    const b = readValue(n.right, text);
    if (typeof a === 'number' && typeof b === 'number') return a * b;
  }
  if (n.type === 'ArrayExpression') return n.elements.map((e) => (e && e.type !== 'SpreadElement' ? readValue(e, text) : { expr: '...' }));
  return { expr: text.slice(n.start ?? 0, n.end ?? 0).slice(0, 200) };
}

/**
 * An object literal's properties flattened to dotted keys (`{ cookie: { secure: false } }` → `cookie.secure`).
 * `dynamic` is set when a spread or computed key hides part of it.
 */
export function flattenObject(
  node: Node | null | undefined,
  text: string,
  prefix = '',
  out: { options: Record<string, OptionValue>; dynamic: boolean } = { options: {}, dynamic: false },
): { options: Record<string, OptionValue>; dynamic: boolean } {
  const n = node ? unwrap(node) : null;
  if (!n || n.type !== 'ObjectExpression') {
    if (n) out.dynamic = true;
    return out;
  }
  for (const p of n.properties) {
    if (p.type === 'SpreadElement') {
      out.dynamic = true;
      continue;
    }
    const key = propertyKey(p as Node & { key: Node; computed?: boolean });
    if (key === null) {
      out.dynamic = true;
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (p.type === 'ObjectMethod') {
      out.options[path] = { expr: 'function' };
      continue;
    }
    const value = unwrap(p.value as Node);
    if (value.type === 'ObjectExpression') flattenObject(value, text, path, out);
    else out.options[path] = readValue(value, text);
  }
  return out;
}

/** Source text of a node. */
export function sourceOf(node: Node, text: string): string {
  return text.slice(node.start ?? 0, node.end ?? 0);
}
