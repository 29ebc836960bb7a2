import type { Node, Tree } from 'web-tree-sitter';
import {
  emptyFacts,
  type BindingKind,
  type FileFacts,
  type Range,
  type StringBinding,
  type StringLiteral,
} from '../../model/facts.js';
import { secretArgumentFor } from '../../model/secret-arguments.js';
import { countLines } from '../../util/lines.js';
import { ENV_DEFAULT_KEYWORD, isEnvMapping, isEnvReadCall } from './env-reads.js';
import { parsePython, type PythonSyntaxError } from './parse.js';
import { PY_FEATURES } from './features.js';
import { runFeatures, type ExtractorFault } from '../plugin.js';
import { extractPythonImports } from './imports.js';
import { byPosition, codeChildren, compact, nodeRange, toRange, unwrapParens } from './ast.js';
import { decodeBody, decodeLiteral, splitLiteral, type StringPrefix } from './string-literal.js';

/** Literals shorter than this cannot hold a credential worth reporting. */
const MIN_STRING_LENGTH = 8;

export interface PythonExtraction {
  facts: FileFacts;
  syntaxErrors: PythonSyntaxError[];
  faults: ExtractorFault[];
}

type Scope = 'module' | 'class' | 'function';

/** Node types the extractor reads; everything else is only passed through. */
const VISITED_TYPES = [
  'module',
  'class_definition',
  'function_definition',
  'lambda',
  'string',
  'concatenated_string',
  'assignment',
  'named_expression',
  'call',
  'dictionary',
  'comparison_operator',
  'boolean_operator',
  'default_parameter',
  'typed_default_parameter',
];

interface Literal {
  value: string;
  node: Node;
}

/** Expression types that may be (or wrap) a string literal or a dict literal. */
const LITERAL_OR_DICT = new Set(['string', 'concatenated_string', 'parenthesized_expression', 'dictionary']);

class PythonExtractor {
  readonly bindings: StringBinding[] = [];
  readonly strings: StringLiteral[] = [];
  /** Start indices of docstrings (excluded from `strings`). */
  private readonly docstrings = new Set<number>();
  /** Start indices of the parts of concatenated strings (read as one literal). */
  private readonly concatenatedParts = new Set<number>();
  /** Start indices of dictionaries already read with their enclosing path. */
  private readonly handledDicts = new Set<number>();

  constructor(private readonly source: string) {}

  private text(node: Node): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  /**
   * One pass: tree-sitter collects the node types that can bind or hold a string in a single native
   * depth-first walk (`descendantsOfType`, pre-order), and this loop reads them in that order. Walking every
   * node from JS instead costs a WASM round trip per node and halves throughput.
   */
  walk(tree: Tree): void {
    const scopes: Array<{ end: number; scope: Scope }> = [];
    for (const node of tree.rootNode.descendantsOfType(VISITED_TYPES)) {
      if (!node) continue;
      const start = node.startIndex;
      while (scopes.length > 0 && scopes[scopes.length - 1]!.end <= start) scopes.pop();
      const scope = scopes.length > 0 ? scopes[scopes.length - 1]!.scope : 'module';
      switch (node.type) {
        case 'string':
          if (!this.concatenatedParts.has(start) && !this.docstrings.has(start)) this.stringLiteral(node);
          break;
        case 'concatenated_string':
          if (!this.docstrings.has(start)) this.concatenatedString(node);
          break;
        case 'assignment':
          this.assignment(node, scope);
          break;
        case 'call':
          this.call(node);
          break;
        case 'dictionary':
          if (!this.handledDicts.has(start)) this.dictionary(node, [], undefined);
          break;
        case 'comparison_operator':
          this.comparison(node);
          break;
        case 'boolean_operator':
          this.orFallback(node);
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          this.parameterDefault(node);
          break;
        case 'named_expression':
          this.namedExpression(node);
          break;
        case 'module':
          this.markDocstring(node);
          break;
        case 'class_definition':
          this.markDocstring(node.childForFieldName('body'));
          scopes.push({ end: node.endIndex, scope: 'class' });
          break;
        case 'function_definition':
          this.markDocstring(node.childForFieldName('body'));
          scopes.push({ end: node.endIndex, scope: 'function' });
          break;
        case 'lambda':
          // The `lambda` keyword token has the same type name.
          if (node.isNamed) scopes.push({ end: node.endIndex, scope: 'function' });
          break;
      }
    }
  }

  private bind(kind: BindingKind, name: string, path: string, literal: Literal, context?: string): void {
    const binding: StringBinding = { kind, name, path, value: literal.value, range: nodeRange(literal.node) };
    if (context !== undefined) binding.context = context;
    this.bindings.push(binding);
  }

  private pushString(value: string | null, range: () => Range): void {
    if (value !== null && value.length >= MIN_STRING_LENGTH) this.strings.push({ value, range: range() });
  }

  /** A docstring is a string expression statement first in a module/class/function body (comments aside). */
  private markDocstring(body: Node | null): void {
    let first = body?.firstNamedChild ?? null;
    while (first && first.type === 'comment') first = first.nextNamedSibling;
    if (!first || first.type !== 'expression_statement' || first.namedChildCount !== 1) return;
    const expression = first.firstNamedChild;
    if (!expression || (expression.type !== 'string' && expression.type !== 'concatenated_string')) return;
    // The first part's prefix decides; f-strings and bytes are ordinary expressions, never docstrings.
    const flags = splitLiteral(this.text(expression));
    if (flags && !flags.formatted && !flags.bytes) this.docstrings.add(expression.startIndex);
  }

  /** A `string` not inside a concatenation (strings inside its interpolations are visited on their own). */
  private stringLiteral(node: Node): void {
    const split = splitLiteral(this.text(node));
    if (!split) return;
    const value = decodeBody(split.body, split);
    if (value !== null) this.pushString(value, () => nodeRange(node));
    else this.formattedParts(node, split);
  }

  /** The literal text between an f-string's interpolations. */
  private formattedParts(node: Node, flags: StringPrefix): void {
    for (const child of node.namedChildren) {
      if (child?.type !== 'string_content') continue;
      this.pushString(decodeBody(this.text(child), flags), () => nodeRange(child));
    }
  }

  /** `'a' 'b'` is one value; with an interpolated f-string part, each part counts alone. */
  private concatenatedString(node: Node): void {
    const parts = node.namedChildren.filter((c): c is Node => c?.type === 'string');
    for (const part of parts) this.concatenatedParts.add(part.startIndex);
    const values = parts.map((part) => decodeLiteral(this.text(part)));
    if (values.every((v) => v !== null)) {
      this.pushString(values.join(''), () => nodeRange(node));
      return;
    }
    parts.forEach((part, i) => {
      const value = values[i] ?? null;
      if (value !== null) this.pushString(value, () => nodeRange(part));
      else this.formattedParts(part, splitLiteral(this.text(part))!);
    });
  }

  /** The static value of a string expression (through parentheses), or null. */
  private literalOf(node: Node | null | undefined): Literal | null {
    const n = unwrapParens(node ?? null);
    if (!n) return null;
    if (n.type === 'string') {
      const value = decodeLiteral(this.text(n));
      return value === null ? null : { value, node: n };
    }
    if (n.type === 'concatenated_string') {
      let value = '';
      for (const part of n.namedChildren) {
        if (part?.type !== 'string') continue;
        const v = decodeLiteral(this.text(part));
        if (v === null) return null;
        value += v;
      }
      return { value, node: n };
    }
    return null;
  }

  /** `a.b['c'].d` → ['a','b','c','d']; `f().x` → ['f()','x']; null when a segment is not static. */
  private memberParts(node: Node | null): string[] | null {
    const n = unwrapParens(node);
    if (!n) return null;
    switch (n.type) {
      case 'identifier':
        return [this.text(n)];
      case 'attribute': {
        const object = this.memberParts(n.childForFieldName('object'));
        const attribute = n.childForFieldName('attribute');
        return object && attribute ? [...object, this.text(attribute)] : null;
      }
      case 'subscript': {
        const key = this.subscriptKey(n);
        const object = key === null ? null : this.memberParts(n.childForFieldName('value'));
        return object && key !== null ? [...object, key] : null;
      }
      case 'call': {
        const callee = this.memberParts(n.childForFieldName('function'));
        return callee ? [...callee.slice(0, -1), `${callee[callee.length - 1]}()`] : null;
      }
      default:
        return null;
    }
  }

  /** `x['key']` → 'key'; null for a non-literal, tuple or slice subscript. */
  private subscriptKey(node: Node): string | null {
    const subscripts = node.childrenForFieldName('subscript');
    return subscripts.length === 1 ? (this.literalOf(subscripts[0])?.value ?? null) : null;
  }

  /**
   * Name and dotted path of an assignment target or compared operand: `self.password` → password /
   * self.password, `app.config['SECRET_KEY']` → SECRET_KEY / app.config.SECRET_KEY. When the object is not
   * static (`items[0].password`) the path keeps its source text.
   */
  private target(node: Node | null): { name: string; path: string } | null {
    const n = unwrapParens(node);
    if (!n) return null;
    if (n.type === 'identifier') {
      const name = this.text(n);
      return { name, path: name };
    }
    let name: string | null = null;
    let object: Node | null = null;
    if (n.type === 'attribute') {
      const attribute = n.childForFieldName('attribute');
      name = attribute ? this.text(attribute) : null;
      object = n.childForFieldName('object');
    } else if (n.type === 'subscript') {
      name = this.subscriptKey(n);
      object = n.childForFieldName('value');
    }
    if (name === null || !object) return null;
    const parts = this.memberParts(object);
    return { name, path: `${parts ? parts.join('.') : compact(this.text(object))}.${name}` };
  }

  private callee(fn: Node): { parts: string[] | null; text: string } {
    const parts = this.memberParts(fn);
    return { parts, text: parts ? parts.join('.') : compact(this.text(fn)) };
  }

  private assignment(node: Node, scope: Scope): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    // `a = b = '…'`: the inner assignment binds b when the walk reaches it; this one binds a.
    while (right && right.type === 'assignment') right = right.childForFieldName('right');
    if (!left || !right) return;
    const literal = this.literalOf(right);
    const target = left.type === 'identifier' || left.type === 'attribute' || left.type === 'subscript' ? this.target(left) : null;
    if (!target) return;
    if (literal) {
      const kind = left.type !== 'identifier' ? 'assignment' : scope === 'class' ? 'class-field' : 'variable';
      this.bind(kind, target.name, target.path, literal);
      return;
    }
    const dict = unwrapParens(right);
    if (dict?.type === 'dictionary' && !this.handledDicts.has(dict.startIndex)) this.dictionary(dict, [target.name], undefined);
  }

  private namedExpression(node: Node): void {
    const name = node.childForFieldName('name');
    const literal = this.literalOf(node.childForFieldName('value'));
    if (name?.type === 'identifier' && literal) this.bind('variable', this.text(name), this.text(name), literal);
  }

  private parameterDefault(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (nameNode?.type !== 'identifier') return;
    const name = this.text(nameNode);
    const value = node.childForFieldName('value');
    const literal = this.literalOf(value);
    if (literal) {
      this.bind('parameter-default', name, name, literal);
      return;
    }
    const dict = unwrapParens(value);
    if (dict?.type === 'dictionary') this.dictionary(dict, [name], undefined);
  }

  /** Dict literal entries with string keys, `path` = enclosing keys (and the variable or keyword it is bound to). */
  private dictionary(node: Node, prefix: string[], context: string | undefined): void {
    this.handledDicts.add(node.startIndex);
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = this.literalOf(pair.childForFieldName('key'))?.value ?? null;
      const valueNode = pair.childForFieldName('value');
      const literal = key === null ? null : this.literalOf(valueNode);
      if (key !== null && literal) {
        this.bind('property', key, [...prefix, key].join('.'), literal, context);
        continue;
      }
      const inner = unwrapParens(valueNode);
      if (inner?.type !== 'dictionary') continue;
      if (key === null) this.dictionary(inner, [], undefined);
      else this.dictionary(inner, [...prefix, key], context);
    }
  }

  private call(node: Node): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn || args?.type !== 'argument_list') return;
    const positional: Node[] = [];
    const keywords: Array<{ name: string; value: Node | null }> = [];
    // Most calls pass no literal or dict at all; skip them before resolving the callee.
    let candidate = false;
    let afterSplat = false;
    for (const arg of args.namedChildren) {
      if (!arg) continue;
      const type = arg.type;
      if (type === 'keyword_argument') {
        const name = arg.childForFieldName('name');
        const value = arg.childForFieldName('value');
        if (name) keywords.push({ name: this.text(name), value });
        candidate ||= value !== null && LITERAL_OR_DICT.has(value.type);
      } else if (type === 'list_splat' || type === 'dictionary_splat') {
        // Positions after `*args` are unknown.
        afterSplat ||= type === 'list_splat';
      } else if (type !== 'comment' && !afterSplat) {
        positional.push(arg);
        candidate ||= LITERAL_OR_DICT.has(type);
      }
    }
    if (!candidate) return;
    const callee = this.callee(fn);
    const envRead = callee.parts !== null && isEnvReadCall(callee.parts);
    if (envRead) {
      const variable = this.literalOf(positional[0]);
      const fallback =
        this.literalOf(positional[1]) ?? this.literalOf(keywords.find((k) => k.name === ENV_DEFAULT_KEYWORD)?.value);
      if (variable && fallback) this.bind('env-fallback', variable.value, variable.value, fallback, variable.value);
    }
    if (callee.parts) {
      for (const entry of secretArgumentFor(callee.parts, 'python')) {
        const literal = this.literalOf(positional[entry.index]);
        if (literal) this.bind('argument', entry.name, entry.name, literal, callee.text);
      }
    }
    for (const { name, value } of keywords) {
      if (envRead && name === ENV_DEFAULT_KEYWORD) continue;
      const literal = this.literalOf(value);
      if (literal) {
        this.bind('keyword-argument', name, name, literal, callee.text);
        continue;
      }
      const dict = unwrapParens(value);
      if (dict?.type === 'dictionary') this.dictionary(dict, [name], callee.text);
    }
    for (const arg of positional) {
      const dict = unwrapParens(arg);
      if (dict?.type === 'dictionary') this.dictionary(dict, [], callee.text);
    }
  }

  /** `password == '…'`, `'…' != user.password`; chained comparisons pair each operator's neighbours. */
  private comparison(node: Node): void {
    const operands: Node[] = [];
    const operators: string[] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) operators.push(child.type);
      else if (child.type !== 'comment') operands.push(child);
    }
    operators.forEach((operator, i) => {
      if (operator !== '==' && operator !== '!=' && operator !== '<>') return;
      const a = operands[i];
      const b = operands[i + 1];
      for (const [literalNode, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const literal = this.literalOf(literalNode);
        const target = literal && other ? this.target(other) : null;
        if (literal && target) {
          this.bind('comparison', target.name, target.path, literal);
          return;
        }
      }
    });
  }

  /** `os.getenv('X') or '…'`, `os.environ['X'] or '…'`. */
  private orFallback(node: Node): void {
    if (node.childForFieldName('operator')?.type !== 'or') return;
    const literal = this.literalOf(node.childForFieldName('right'));
    if (!literal) return;
    const variable = this.envVariableRead(node.childForFieldName('left'));
    if (variable !== null) this.bind('env-fallback', variable, variable, literal, variable);
  }

  private envVariableRead(node: Node | null): string | null {
    const n = unwrapParens(node);
    if (n?.type === 'call') {
      const parts = this.memberParts(n.childForFieldName('function'));
      const args = n.childForFieldName('arguments');
      if (!parts || !isEnvReadCall(parts) || args?.type !== 'argument_list') return null;
      const first = codeChildren(args)[0];
      return first?.type === 'keyword_argument' ? null : (this.literalOf(first)?.value ?? null);
    }
    if (n?.type === 'subscript') {
      const parts = this.memberParts(n.childForFieldName('value'));
      return parts && isEnvMapping(parts) ? this.subscriptKey(n) : null;
    }
    return null;
  }
}

/**
 * Facts of one Python file. A file with syntax errors still yields what tree-sitter recovered; the errors
 * are returned for the caller to report.
 */
export async function extractPython(path: string, text: string): Promise<PythonExtraction> {
  const { tree, syntaxErrors } = await parsePython(text);
  try {
    const extractor = new PythonExtractor(text);
    extractor.walk(tree);
    const facts = emptyFacts(path, 'python', countLines(text));
    facts.bindings = extractor.bindings.sort(byPosition);
    facts.strings = extractor.strings.sort(byPosition);
    facts.imports = extractPythonImports(tree);
    const faults: ExtractorFault[] = [];
    runFeatures(PY_FEATURES, { tree, path, text, facts }, faults);
    return { facts, syntaxErrors, faults };
  } finally {
    tree.delete();
  }
}
