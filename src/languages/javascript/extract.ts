import type { Node } from '@babel/types';
import { emptyFacts, type FileFacts, type Language, type Range, type StringBinding } from '../../model/facts.js';
import { secretArgumentFor } from '../../model/secret-arguments.js';
import { parseJavaScript } from './parse.js';
import { countLines } from '../../util/lines.js';

/** Literals shorter than this cannot hold a credential worth reporting. */
const MIN_STRING_LENGTH = 8;

export interface JsExtraction {
  facts: FileFacts;
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
}

const SKIP_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range', 'errors', 'tokens', 'comments']);

function rangeOf(node: Node): Range {
  const loc = node.loc!;
  return {
    start: { line: loc.start.line, column: loc.start.column + 1 },
    end: { line: loc.end.line, column: loc.end.column + 1 },
  };
}

/** The value of a literal that is a plain string at parse time (no interpolation). */
function staticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression') {
    return staticString(node.expression);
  }
  return null;
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression') {
    n = n.expression;
  }
  return n;
}

/** `a.b['c'].d` → ['a','b','c','d']; `this.x` → ['this','x']; null when a segment is not static. */
function memberParts(node: Node): string[] | null {
  const n = unwrap(node);
  if (n.type === 'Identifier') return [n.name];
  if (n.type === 'ThisExpression') return ['this'];
  if (n.type === 'Super') return ['super'];
  if (n.type === 'MetaProperty') return [n.meta.name, n.property.name];
  if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
    const object = memberParts(n.object);
    if (!object) return null;
    if (!n.computed && n.property.type === 'Identifier') return [...object, n.property.name];
    if (n.property.type === 'PrivateName') return [...object, n.property.id.name];
    const key = staticString(n.property);
    return key === null ? null : [...object, key];
  }
  if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
    const callee = memberParts(n.callee);
    return callee ? [...callee.slice(0, -1), `${callee[callee.length - 1]}()`] : null;
  }
  return null;
}

function propertyKey(node: Node & { key: Node; computed?: boolean }): string | null {
  const key = node.key;
  if (key.type === 'Identifier' && !node.computed) return key.name;
  if (key.type === 'PrivateName') return key.id.name;
  return staticString(key);
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`, `Bun.env.X` → 'X'. */
function envVariableRead(node: Node): string | null {
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

function isFunction(node: Node): boolean {
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

class Extractor {
  readonly bindings: StringBinding[] = [];
  readonly strings: FileFacts['strings'] = [];
  private readonly ancestors: Node[] = [];

  walk(node: Node): void {
    this.visit(node);
    this.ancestors.push(node);
    for (const key of Object.keys(node)) {
      if (SKIP_KEYS.has(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as Node).type === 'string') this.walk(c as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        this.walk(child as Node);
      }
    }
    this.ancestors.pop();
  }

  private parent(depth = 0): Node | undefined {
    return this.ancestors[this.ancestors.length - 1 - depth];
  }

  private bind(kind: StringBinding['kind'], name: string, path: string, valueNode: Node, value: string, context?: string): void {
    const binding: StringBinding = { kind, name, path, value, range: rangeOf(valueNode) };
    if (context !== undefined) binding.context = context;
    this.bindings.push(binding);
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'StringLiteral':
        if (node.value.length >= MIN_STRING_LENGTH) this.strings.push({ value: node.value, range: rangeOf(node) });
        return;
      case 'TemplateElement': {
        const cooked = node.value.cooked ?? node.value.raw;
        if (cooked.length >= MIN_STRING_LENGTH) this.strings.push({ value: cooked, range: rangeOf(node) });
        return;
      }
      case 'VariableDeclarator': {
        const value = staticString(node.init);
        if (value !== null && node.id.type === 'Identifier') this.bind('variable', node.id.name, node.id.name, node.init!, value);
        return;
      }
      case 'AssignmentExpression': {
        if (node.operator !== '=' && node.operator !== '||=' && node.operator !== '??=') return;
        const value = staticString(node.right);
        if (value === null) return;
        if (node.left.type === 'Identifier') {
          this.bind('variable', node.left.name, node.left.name, node.right, value);
          return;
        }
        const parts = memberParts(node.left);
        if (parts) this.bind('assignment', parts[parts.length - 1]!, parts.join('.'), node.right, value);
        return;
      }
      case 'ObjectProperty': {
        const valueNode = node.value as Node;
        const value = staticString(valueNode);
        const name = propertyKey(node);
        if (value === null || name === null) return;
        const { path, context } = this.objectPathAndCall(name);
        this.bind('property', name, path, valueNode, value, context);
        return;
      }
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty': {
        const value = staticString(node.value as Node | null);
        const name = propertyKey(node as Node & { key: Node; computed?: boolean });
        if (value !== null && name !== null) this.bind('class-field', name, name, node.value as Node, value);
        return;
      }
      case 'AssignmentPattern': {
        const value = staticString(node.right);
        if (value === null || node.left.type !== 'Identifier') return;
        const kind = this.inParameters(node) ? 'parameter-default' : 'variable';
        this.bind(kind, node.left.name, node.left.name, node.right, value);
        return;
      }
      case 'BinaryExpression': {
        if (!['==', '===', '!=', '!=='].includes(node.operator)) return;
        const pairs: Array<[Node, Node]> = [
          [node.left as Node, node.right],
          [node.right, node.left as Node],
        ];
        for (const [literal, other] of pairs) {
          const value = staticString(literal);
          const parts = value === null ? null : memberParts(other);
          if (value !== null && parts) {
            this.bind('comparison', parts[parts.length - 1]!, parts.join('.'), literal, value);
            return;
          }
        }
        return;
      }
      case 'LogicalExpression': {
        if (node.operator !== '||' && node.operator !== '??') return;
        const env = envVariableRead(node.left);
        const value = staticString(node.right);
        if (env !== null && value !== null) this.bind('env-fallback', env, env, node.right, value, env);
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const parts = memberParts(node.callee as Node);
        if (!parts) return;
        for (const entry of secretArgumentFor(parts, 'javascript')) {
          const arg = node.arguments[entry.index] as Node | undefined;
          const value = staticString(arg);
          if (arg && value !== null) this.bind('argument', entry.name, entry.name, arg, value, parts.join('.'));
        }
        return;
      }
      default:
        return;
    }
  }

  /** True when the node being visited sits in a function's parameter list (not its body). */
  private inParameters(node: Node): boolean {
    const chain = [...this.ancestors, node];
    for (let i = chain.length - 1; i > 0; i--) {
      const parent = chain[i - 1]!;
      const child = chain[i]!;
      if (isFunction(parent)) return (parent as unknown as { params: Node[] }).params.includes(child);
    }
    return false;
  }

  /** Dotted path of enclosing object keys (`db.password`) and the callee when the object is a call argument. */
  private objectPathAndCall(name: string): { path: string; context?: string } {
    const keys = [name];
    let context: string | undefined;
    // ancestors: … ObjectProperty, ObjectExpression, [ObjectProperty (the property itself is not pushed yet)]
    for (let i = this.ancestors.length - 1; i >= 0; i--) {
      const node = this.ancestors[i]!;
      if (node.type === 'ObjectExpression') continue;
      if (node.type === 'ObjectProperty') {
        const key = propertyKey(node);
        if (key === null) break;
        keys.unshift(key);
        continue;
      }
      if (node.type === 'CallExpression' || node.type === 'NewExpression') {
        const parts = memberParts(node.callee as Node);
        if (parts) context = parts.join('.');
      } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
        keys.unshift(node.id.name);
      } else if (node.type === 'AssignmentExpression') {
        const parts = memberParts(node.left);
        if (parts) keys.unshift(parts[parts.length - 1]!);
      }
      break;
    }
    return context === undefined ? { path: keys.join('.') } : { path: keys.join('.'), context };
  }
}

export function extractJavaScript(path: string, language: Language, text: string): JsExtraction {
  const { ast, errors } = parseJavaScript(path, text);
  const extractor = new Extractor();
  extractor.walk(ast.program);
  const facts = emptyFacts(path, language, countLines(text));
  facts.bindings = extractor.bindings;
  facts.strings = extractor.strings;
  return { facts, syntaxErrors: errors };
}

