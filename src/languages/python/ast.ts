import type { Node, Point } from 'web-tree-sitter';
import type { Range } from '../../model/facts.js';

/**
 * Small, shared readers of tree-sitter Python nodes. Every Python feature extractor uses these instead of
 * writing its own. web-tree-sitter reports columns in UTF-16 code units for JS strings, which is what facts use.
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
export function codeChildren(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) if (child && child.type !== 'comment') out.push(child);
  return out;
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

