/**
 * The tokens readSyntaxTree (syntax.ts) makes no node of: no extractor reads them, and they are 38 % of the nodes of
 * the standard library's trees (7.47 M nodes; punctuation 25.6 %, the others 12.6 %). An extractor that starts reading
 * one of them must take it out of these tables (test/languages/python/syntax.test.ts compares the tree with
 * web-tree-sitter's, less exactly these tokens).
 */

/**
 * Punctuation tokens: a quarter of a Python tree's nodes, read by no extractor (they reach for fields, named children
 * and text), so readSyntaxTree makes no node of them. Operators (`==`, `not in`, `*`, `+`) stay: comparisons and
 * binary operators read them.
 */
export const PUNCTUATION: ReadonlySet<string> = new Set(['(', ')', ',', '.', ':', '[', ']', '{', '}']);

/**
 * Anonymous tokens left out like punctuation: PUNCTUATION, `=`, and keywords that only open a statement or clause
 * whose node is named (`def` in function_definition, `return` in return_statement …). Keywords an extractor reads
 * as an operator or an expression stay: `in`, `not`, `is`, `and`, `or`, `await`, `lambda`, `async`, `yield`,
 * `print`, `exec`, `if`/`else` (conditional expressions).
 */
export const SKIPPED_TOKENS: ReadonlySet<string> = new Set([
  ...PUNCTUATION,
  '=',
  'def',
  'class',
  'return',
  'import',
  'from',
  'elif',
  'for',
  'while',
  'with',
  'try',
  'except',
  'finally',
  'pass',
  'raise',
  'as',
  'global',
  'nonlocal',
  'del',
  'assert',
  'break',
  'continue',
  '->',
  ';',
]);

/**
 * Named leaf tokens no extractor reads: a string's quotes with their prefix (`string_start`, `string_end`; the
 * extractors read a literal's text) and the escapes inside its content: 8 % of a Python tree's nodes.
 */
export const SKIPPED_NAMED_TOKENS: ReadonlySet<string> = new Set(['string_start', 'string_end', 'escape_sequence']);
