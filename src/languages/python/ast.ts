import type { PyNode as Node, Point } from './syntax.js';
import type { OptionValue, Range } from '../../model/facts.js';
import { decodeLiteral } from './string-literal.js';

/**
 * Small, shared readers of tree-sitter Python nodes. Every Python feature extractor uses these instead of
 * writing its own. Columns are UTF-16 code units (see syntax.ts), which is what facts use.
 */

export function toRange(start: Point, end: Point): Range {
  return {
    start: { line: start.row + 1, column: start.column + 1 },
    end: { line: end.row + 1, column: end.column + 1 },
  };
}

export function nodeRange(node: Node): Range {
  return toRange(node.startPosition, node.endPosition);
}

export function byPosition(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

/** Named children without comments (tree-sitter attaches comments wherever they occur). */
export function codeChildren(node: Node): readonly Node[] {
  return node.codeChildren;
}

export function unwrapParens(node: Node | null): Node | null {
  let n = node;
  while (n && n.type === 'parenthesized_expression') {
    const inner = codeChildren(n);
    n = inner.length === 1 ? inner[0]! : null;
  }
  return n;
}

/** Keeps a multi-line expression's text on one line for use as a path or callee name. */
export function compact(text: string): string {
  return text.replace(/\s*\n\s*/g, '');
}

/** The callee of a call as dotted text (`app.config.update`, `hashlib.md5`, `AES.new`), or null for computed callees. */
export function calleeText(call: Node): string | null {
  const fn = call.childForFieldName('function');
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute' && fn.type !== 'call')) return null;
  return compact(fn.text);
}

const CALL_ARGUMENTS = Symbol('callArguments');
const DOTTED_PARTS = Symbol('dottedParts');

/**
 * Positional arguments and keyword arguments (by name) of a call. Read once per call node and shared by every
 * extractor that asks (several do): do not change what it returns.
 */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  return call.memo(CALL_ARGUMENTS, readCallArguments);
}

function readCallArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const list = call.childForFieldName('arguments');
  for (const arg of list ? codeChildren(list) : []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else if (list?.type === 'argument_list') {
      positional.push(arg);
    }
  }
  return { positional, keywords };
}

/**
 * A statically read value: str/bytes, int/float (and products like `60 * 60 * 24`), True/False/None, lists
 * and tuples of them; anything else is `{ expr }` with its source text.
 */
export function readPyValue(node: Node | null): OptionValue {
  const n = unwrapParens(node);
  if (!n) return { expr: '' };
  switch (n.type) {
    case 'string':
    case 'concatenated_string': {
      const value = n.type === 'string' ? decodeLiteral(n.text) : null;
      return value ?? { expr: n.text.slice(0, 200) };
    }
    case 'integer':
    case 'float': {
      const v = Number(n.text.replace(/_/g, ''));
      return Number.isFinite(v) ? v : { expr: n.text };
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'unary_operator': {
      const v = readPyValue(n.childForFieldName('argument'));
      return typeof v === 'number' && n.text.trim().startsWith('-') ? -v : { expr: n.text };
    }
    case 'binary_operator': {
      const a = readPyValue(n.childForFieldName('left'));
      const b = readPyValue(n.childForFieldName('right'));
      const op = n.childForFieldName('operator')?.text;
      if (op === '*' && typeof a === 'number' && typeof b === 'number') return a * b;
      return { expr: compact(n.text).slice(0, 200) };
    }
    case 'list':
    case 'tuple':
      return codeChildren(n).map((c) => readPyValue(c));
    default:
      return { expr: compact(n.text).slice(0, 200) };
  }
}

/** A dict literal's entries flattened to dotted keys (`{"verify_signature": False}` under `options` → `options.verify_signature`). */
export function flattenDict(node: Node | null, prefix = '', out: Record<string, OptionValue> = {}): Record<string, OptionValue> {
  const n = unwrapParens(node);
  if (!n || n.type !== 'dictionary') return out;
  for (const pair of codeChildren(n)) {
    if (pair.type !== 'pair') continue;
    const keyNode = pair.childForFieldName('key');
    const key = keyNode?.type === 'string' ? decodeLiteral(keyNode.text) : null;
    if (key === null) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const value = unwrapParens(pair.childForFieldName('value'));
    if (value?.type === 'dictionary') flattenDict(value, path, out);
    else out[path] = readPyValue(value);
  }
  return out;
}

/** The innermost function definition that contains `node` (null at module or class level). */
export function enclosingFunction(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return null;
}

/** The innermost class definition that contains `node`. */
export function enclosingClass(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return null;
}

/** Decorator texts of a function or class (`@csrf_exempt`, `@require_http_methods(["GET"])`), without the `@`. */
export function decoratorsOf(definition: Node): string[] {
  const parent = definition.parent;
  if (!parent || parent.type !== 'decorated_definition') return [];
  return codeChildren(parent)
    .filter((c) => c.type === 'decorator')
    .map((c) => compact(c.text.replace(/^@\s*/, '')));
}

/**
 * `a.b['c'].d` → ['a','b','c','d']; `f().x` → ['f()','x']; null when a segment is not static (a subscript with a
 * non-literal key). The subscript key is the literal's text without escapes decoded.
 */
export function dottedParts(node: Node | null): string[] | null {
  if (!node) return null;
  // Several extractors ask about the same callee: read once per node, a fresh copy for each caller.
  return node.memo(DOTTED_PARTS, readDottedParts)?.slice() ?? null;
}

function readDottedParts(node: Node): string[] | null {
  // One pass down the chain (`a.b.c` is read from `c` down to `a`), then the parts in source order: a fresh array.
  const steps: Array<string | null> = [];
  let n = unwrapParens(node);
  for (;;) {
    if (!n) return null;
    switch (n.type) {
      case 'identifier': {
        const parts = [n.text];
        for (let i = steps.length - 1; i >= 0; i--) {
          const step = steps[i]!;
          if (step === null) parts[parts.length - 1] = `${parts[parts.length - 1]}()`;
          else parts.push(step);
        }
        return parts;
      }
      case 'attribute': {
        const attribute = n.childForFieldName('attribute');
        if (!attribute) return null;
        steps.push(attribute.text);
        n = unwrapParens(n.childForFieldName('object'));
        break;
      }
      case 'subscript': {
        const keys = n.childrenForFieldName('subscript');
        if (keys.length !== 1 || keys[0]?.type !== 'string') return null;
        steps.push(keys[0].namedChildren.find((c) => c?.type === 'string_content')?.text ?? '');
        n = unwrapParens(n.childForFieldName('value'));
        break;
      }
      case 'call':
        // null marks a call: `()` on the callee's last part.
        steps.push(null);
        n = unwrapParens(n.childForFieldName('function'));
        break;
      default:
        return null;
    }
  }
}

/** `True`, through parentheses. */
export function isTrue(node: Node | undefined | null): boolean {
  return unwrapParens(node ?? null)?.type === 'true';
}

export interface Parameter {
  name: string;
  node: Node;
  annotation: string | null;
  default: Node | null;
}

/** The parameters of a function definition, with annotation text and default value. */
export function parameterNames(fn: Node): Parameter[] {
  const params = fn.childForFieldName('parameters');
  const out: Parameter[] = [];
  for (const p of params ? codeChildren(params) : []) {
    if (p.type === 'identifier') out.push({ name: p.text, node: p, annotation: null, default: null });
    else if (p.type === 'typed_parameter') {
      const id = codeChildren(p).find((c) => c.type === 'identifier');
      if (id) out.push({ name: id.text, node: id, annotation: compact(p.childForFieldName('type')?.text ?? ''), default: null });
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const id = p.childForFieldName('name');
      if (id)
        out.push({
          name: id.text,
          node: id,
          annotation: p.childForFieldName('type') ? compact(p.childForFieldName('type')!.text) : null,
          default: p.childForFieldName('value'),
        });
    }
  }
  return out;
}
