import type { PyNode as Node } from './syntax.js';
import { emptyFacts, type FileFacts, type Range, type StringLiteral } from '../../model/facts.js';
import { countLines } from '../../util/lines.js';
import { parsePythonSyntax, type PythonSyntaxError } from './parse.js';
import { PY_FEATURES, PY_TEST_FEATURES } from './features.js';
import { looksLikeTestPath } from '../../model/test-paths.js';
import { runFeatures, type ExtractorFault } from '../plugin.js';
import { extractPythonImports } from './imports.js';
import { byPosition, nodeRange } from './ast.js';
import { StringBindingReader, type Scope } from './bindings.js';
import { decodeBody, decodeLiteral, splitLiteral, type StringPrefix } from './string-literal.js';

/** Literals shorter than this cannot hold a credential worth reporting. */
const MIN_STRING_LENGTH = 8;

export interface PythonExtraction {
  facts: FileFacts;
  syntaxErrors: PythonSyntaxError[];
  faults: ExtractorFault[];
}

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

class PythonExtractor {
  readonly strings: StringLiteral[] = [];
  readonly reader: StringBindingReader;
  /** Start indices of docstrings (excluded from `strings`). */
  private readonly docstrings = new Set<number>();
  /** Start indices of the parts of concatenated strings (read as one literal). */
  private readonly concatenatedParts = new Set<number>();
  /** Start indices of dictionaries already read with their enclosing path (the reader's). */
  private readonly handledDicts: Set<number>;

  constructor(private readonly source: string) {
    this.reader = new StringBindingReader(source);
    this.handledDicts = this.reader.handledDicts;
  }

  private text(node: Node): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  /**
   * One pass over the node types that can bind or hold a string, in pre-order (`descendantsOfType`, answered
   * from the tree's per-type index).
   */
  walk(root: Node): void {
    const scopes: Array<{ end: number; scope: Scope }> = [];
    for (const node of root.descendantsOfType(VISITED_TYPES)) {
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
          this.reader.assignment(node, scope);
          break;
        case 'call':
          this.reader.call(node);
          break;
        case 'dictionary':
          if (!this.handledDicts.has(start)) this.reader.dictionary(node, [], undefined);
          break;
        case 'comparison_operator':
          this.reader.comparison(node);
          break;
        case 'boolean_operator':
          this.reader.orFallback(node);
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          this.reader.parameterDefault(node);
          break;
        case 'named_expression':
          this.reader.namedExpression(node);
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
}

/**
 * Facts of one Python file. A file with syntax errors still yields what tree-sitter recovered; the errors
 * are returned for the caller to report.
 */
export async function extractPython(path: string, text: string): Promise<PythonExtraction> {
  const { root, syntaxErrors } = await parsePythonSyntax(text);
  const extractor = new PythonExtractor(text);
  extractor.walk(root);
  const facts = emptyFacts(path, 'python', countLines(text));
  facts.bindings = extractor.reader.bindings.sort(byPosition);
  facts.strings = extractor.strings.sort(byPosition);
  facts.imports = extractPythonImports(root);
  const faults: ExtractorFault[] = [];
  runFeatures(looksLikeTestPath(path) ? PY_TEST_FEATURES : PY_FEATURES, { root, path, text, facts }, faults);
  return { facts, syntaxErrors, faults };
}
