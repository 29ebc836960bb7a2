import type { Node } from '@babel/types';

/**
 * One walk per file. `NodeIndex.build` walks a file's Babel tree once (the base extraction rides on that walk)
 * and keeps every node in document order with its parent and the end of its subtree. The feature extractors
 * then ask the index for the node types they handle (`visit`), and subtree walks (`walkAst` in ast.ts) replay
 * the index instead of reading every node's keys again. Order and ancestors are exactly those of a recursive
 * pre-order walk over the same keys, so an extractor sees what it saw when it walked the tree itself.
 */

/** Node keys that hold no child nodes (positions, comments, parser extras). */
export const SKIP_KEYS = new Set([
  'loc',
  'start',
  'end',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'range',
  'errors',
  'tokens',
  'comments',
]);

/** Called per node with its ancestors (outermost first); `false` skips the node's subtree. */
export type AstVisitor = (node: Node, ancestors: readonly Node[]) => void | false;

/** Babel's function node types (see `isFunction` in ast.ts). */
export const FUNCTION_TYPES = [
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
  'TSDeclareFunction',
  'TSDeclareMethod',
] as const;

/** The recursive pre-order walk, for trees that have no index. */
export function walkRecursive(root: Node, visit: AstVisitor): void {
  const ancestors: Node[] = [];
  const go = (node: Node): void => {
    if (visit(node, ancestors) === false) return;
    ancestors.push(node);
    for (const key of Object.keys(node)) {
      if (SKIP_KEYS.has(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as Node).type === 'string') go(c as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        go(child as Node);
      }
    }
    ancestors.pop();
  };
  go(root);
}

export class NodeIndex {
  /** Every node in document (pre-)order. */
  private readonly nodes: Node[] = [];
  /** Position of each node's parent (-1 for the root). */
  private readonly parents: number[] = [];
  /** Position just after each node's subtree. */
  private readonly ends: number[] = [];
  /** Positions by node type, ascending. */
  private readonly byType = new Map<string, number[]>();
  /**
   * A node's (first) position, filled one node type at a time on the first question about a node of that type:
   * extractors ask about functions, bodies and statements, so most nodes (identifiers, member expressions) never
   * enter it, and a file pays for a map of its few hundred interesting nodes, not of its hundred thousand.
   */
  private readonly positions = new Map<Node, number>();
  /** The node types whose positions are in `positions`. */
  private readonly positioned = new Set<string>();

  private constructor() {}

  /** Indexes `root` in one walk; `enter` sees every node with its ancestors during that walk. */
  static build(root: Node, enter?: (node: Node, ancestors: readonly Node[]) => void): NodeIndex {
    const index = new NodeIndex();
    const { nodes, parents, ends, byType } = index;
    const ancestors: Node[] = [];
    const go = (node: Node, parent: number): void => {
      const pos = nodes.length;
      nodes.push(node);
      parents.push(parent);
      ends.push(pos + 1);
      const list = byType.get(node.type);
      if (list) list.push(pos);
      else byType.set(node.type, [pos]);
      if (enter) enter(node, ancestors);
      ancestors.push(node);
      const keys = Object.keys(node);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const child = (node as unknown as Record<string, unknown>)[key];
        // Most keys hold a scalar (type, start, name, computed …): tested before the key's name is looked up.
        if (child === null || typeof child !== 'object' || SKIP_KEYS.has(key)) continue;
        if (Array.isArray(child)) {
          for (let i = 0; i < child.length; i++) {
            const c = child[i] as Node | null;
            if (c && typeof c.type === 'string') go(c, pos);
          }
        } else if (typeof (child as Node).type === 'string') {
          go(child as Node, pos);
        }
      }
      ancestors.pop();
      ends[pos] = nodes.length;
    };
    go(root, -1);
    return index;
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The (first) position of `node`, or undefined when it is not indexed. */
  private positionOf(node: Node): number | undefined {
    // A caller's undefined is not indexed (the walk then fails where it did before the index was lazy).
    const type = (node as Node | undefined)?.type;
    if (type === undefined) return undefined;
    if (!this.positioned.has(type)) {
      this.positioned.add(type);
      const { positions, nodes } = this;
      for (const p of this.byType.get(type) ?? []) if (!positions.has(nodes[p]!)) positions.set(nodes[p]!, p);
    }
    return this.positions.get(node);
  }

  /** Where `node`'s subtree lies in document order: positions [start, end), or null when it is not indexed. */
  span(node: Node): [number, number] | null {
    const start = this.positionOf(node);
    return start === undefined ? null : [start, this.ends[start]!];
  }

  /** Every node of the given types in the file, with its position (ascending per type). */
  each(types: readonly string[], fn: (node: Node, position: number) => void): void {
    for (const type of new Set(types)) for (const p of this.byType.get(type) ?? []) fn(this.nodes[p]!, p);
  }

  /** The parent of the node at `position` (from `each`), or null for the root. */
  parent(position: number): Node | null {
    const p = this.parents[position] ?? -1;
    return p < 0 ? null : this.nodes[p]!;
  }

  /** Whether `node` is in this index (a walk from it can be replayed). */
  has(node: Node): boolean {
    return this.positionOf(node) !== undefined;
  }

  /**
   * `walkAst` over the index: every node of `root`'s subtree in pre-order with its ancestors below `root`
   * (`root` first, with none). Returns false, doing nothing, when `root` is not indexed.
   */
  walk(root: Node, visit: AstVisitor): boolean {
    const start = this.positionOf(root);
    if (start === undefined) return false;
    const { nodes, ends } = this;
    const stop = ends[start]!;
    const stack: Node[] = [];
    const stackEnds: number[] = [];
    for (let i = start; i < stop; ) {
      while (stackEnds.length > 0 && stackEnds[stackEnds.length - 1]! <= i) {
        stack.pop();
        stackEnds.pop();
      }
      const node = nodes[i]!;
      if (visit(node, stack) === false) {
        i = ends[i]!;
        continue;
      }
      stack.push(node);
      stackEnds.push(ends[i]!);
      i++;
    }
    return true;
  }

  /**
   * The nodes of the given types under `root` (inclusive), in document order, each with its ancestors below
   * `root` — what a `walkAst(root, …)` whose visitor ignores other types would see. `false` skips the subtree.
   */
  visit(root: Node, types: readonly string[], visit: AstVisitor): void {
    const start = this.positionOf(root);
    if (start === undefined) {
      const wanted = new Set(types);
      walkRecursive(root, (node, ancestors) => (wanted.has(node.type) ? visit(node, ancestors) : undefined));
      return;
    }
    const { nodes, parents, ends } = this;
    const stop = ends[start]!;
    const lists: number[][] = [];
    const cursors: number[] = [];
    for (const type of new Set(types)) {
      const list = this.byType.get(type);
      if (!list) continue;
      lists.push(list);
      cursors.push(lowerBound(list, start));
    }
    const stack: Node[] = [];
    const stackPos: number[] = [];
    const chain: number[] = [];
    let skipUntil = start;
    for (;;) {
      // The next position among the types' lists (document order).
      let best = -1;
      let bestList = -1;
      for (let k = 0; k < lists.length; k++) {
        const p = lists[k]![cursors[k]!];
        if (p !== undefined && p < stop && (best === -1 || p < best)) {
          best = p;
          bestList = k;
        }
      }
      if (best === -1) return;
      cursors[bestList]!++;
      if (best < skipUntil) continue;
      while (stackPos.length > 0 && ends[stackPos[stackPos.length - 1]!]! <= best) {
        stack.pop();
        stackPos.pop();
      }
      // Ancestors not on the stack yet: from the parent up to the stack's top (or to `root`).
      const top = stackPos.length > 0 ? stackPos[stackPos.length - 1]! : start - 1;
      chain.length = 0;
      for (let p = best === start ? -1 : parents[best]!; p > top; p = parents[p]!) chain.push(p);
      for (let c = chain.length - 1; c >= 0; c--) {
        stack.push(nodes[chain[c]!]!);
        stackPos.push(chain[c]!);
      }
      if (visit(nodes[best]!, stack) === false) skipUntil = ends[best]!;
    }
  }
}

/** The first index of a sorted list whose value is at least `value`. */
export function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let active: NodeIndex | null = null;

/** Runs `fn` with `index` as the file's index: `walkAst` replays it for any node it holds. */
export function withNodeIndex<T>(index: NodeIndex, fn: () => T): T {
  const previous = active;
  active = index;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The index of the file being extracted, if any. */
export function activeNodeIndex(): NodeIndex | null {
  return active;
}
