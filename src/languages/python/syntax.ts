import type { Language, Tree } from 'web-tree-sitter';
import type { CursorAccess, WalkCursor } from './cursor.js';

/**
 * A tree-sitter tree read out once into plain JS objects. Every read of a web-tree-sitter `Node` is a round trip
 * into WebAssembly (marshal the node, call, unmarshal a new `Node`); the Python extractors read each node many
 * times, so they read this copy instead. It is built by one TreeCursor walk (type id, field id, start index; the
 * end index of leaves only) right after parsing, and the WASM tree is deleted at once.
 *
 * It offers the part of web-tree-sitter's `Node` API the extractors use, with the same meaning:
 * - indices and columns are UTF-16 code units of the parsed string (web-tree-sitter's for a JS string), rows
 *   count `\n` only; positions are computed from indices on first use;
 * - `text` is the parsed string between the indices (the string given to the parser, not the file's text:
 *   parse.ts turns a lone CR into LF);
 * - `descendantsOfType` includes the node itself, returns nodes in pre-order, and, as tree-sitter's native walk
 *   does, leaves out a zero-width node at the very start of the file;
 * - `childForFieldName`/`childrenForFieldName` read the field the cursor reports for each child (a child inside a
 *   hidden node takes the hidden node's field; comments have none).
 */

export interface Point {
  row: number;
  column: number;
}

/** What the nodes of one tree share: the parsed text, its line starts and the nodes of each type. */
class SyntaxDocument {
  /** Every node by type name, in pre-order (the answer of `descendantsOfType` on the root, before range filtering). */
  readonly byType = new Map<string, PyNode[]>();
  private lineStarts: number[] | null = null;

  constructor(readonly text: string) {}

  point(index: number): Point {
    if (this.lineStarts === null) this.lineStarts = lineStartsOf(this.text);
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo]! };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const NO_CHILDREN: readonly PyNode[] = Object.freeze([]);

export class PyNode {
  /** Pre-order number of the node in its tree (unique per tree); its descendants are `id + 1 … lastDescendantId`. */
  readonly id: number;
  lastDescendantId: number;
  readonly type: string;
  readonly isNamed: boolean;
  /** The field this node fills in its parent (`left`, `body` …), or null. */
  readonly fieldName: string | null;
  readonly parent: PyNode | null;
  /** Position among the parent's children. */
  readonly index: number;
  readonly startIndex: number;
  endIndex = 0;
  isMissing = false;
  hasError = false;
  children: readonly PyNode[] = NO_CHILDREN;
  private named: readonly PyNode[] | null = null;
  private code: readonly PyNode[] | null = null;
  private start: Point | null = null;
  private end: Point | null = null;

  constructor(
    private readonly doc: SyntaxDocument,
    id: number,
    type: string,
    isNamed: boolean,
    fieldName: string | null,
    parent: PyNode | null,
    index: number,
    startIndex: number,
  ) {
    this.id = id;
    this.lastDescendantId = id;
    this.type = type;
    this.isNamed = isNamed;
    this.fieldName = fieldName;
    this.parent = parent;
    this.index = index;
    this.startIndex = startIndex;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get text(): string {
    return this.doc.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    if (this.start === null) this.start = this.doc.point(this.startIndex);
    return this.start;
  }

  get endPosition(): Point {
    if (this.end === null) this.end = this.doc.point(this.endIndex);
    return this.end;
  }

  get namedChildren(): readonly PyNode[] {
    if (this.named === null) {
      const all = this.children;
      let every = true;
      for (const c of all) if (!c.isNamed) every = false;
      this.named = every ? all : all.filter((c) => c.isNamed);
    }
    return this.named;
  }

  /** Named children without comments (see ast.ts `codeChildren`). */
  get codeChildren(): readonly PyNode[] {
    if (this.code === null) {
      const named = this.namedChildren;
      let every = true;
      for (const c of named) if (c.type === 'comment') every = false;
      this.code = every ? named : named.filter((c) => c.type !== 'comment');
    }
    return this.code;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(i: number): PyNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): PyNode | null {
    return this.namedChildren[i] ?? null;
  }

  get firstChild(): PyNode | null {
    return this.children[0] ?? null;
  }

  get firstNamedChild(): PyNode | null {
    return this.namedChildren[0] ?? null;
  }

  get nextSibling(): PyNode | null {
    return this.parent?.children[this.index + 1] ?? null;
  }

  get nextNamedSibling(): PyNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    for (let i = this.index + 1; i < siblings.length; i++) if (siblings[i]!.isNamed) return siblings[i]!;
    return null;
  }

  childForFieldName(name: string): PyNode | null {
    for (const c of this.children) if (c.fieldName === name) return c;
    return null;
  }

  childrenForFieldName(name: string): PyNode[] {
    const out: PyNode[] = [];
    for (const c of this.children) if (c.fieldName === name) out.push(c);
    return out;
  }

  equals(other: PyNode | null | undefined): boolean {
    return this === other;
  }

  /** Every node of the type in this node's whole tree, in pre-order (the per-type index itself: do not change it). */
  ofType(type: string): readonly PyNode[] {
    return this.doc.byType.get(type) ?? NO_CHILDREN;
  }

  /**
   * Every node of the given types in this node's whole tree, in pre-order (unlike `descendantsOfType`, a
   * zero-width node at the start of the file included). For named types this is also what a walk from the root
   * down the code children (named, not comments) visits: in this grammar only `is not` and `not in` are unnamed
   * nodes with children (their two keywords), and comments have none.
   */
  allOfTypes(types: readonly string[]): PyNode[] {
    const out: PyNode[] = [];
    let lists = 0;
    for (let t = 0; t < types.length; t++) {
      const nodes = types.indexOf(types[t]!) === t ? this.doc.byType.get(types[t]!) : undefined;
      if (!nodes || nodes.length === 0) continue;
      for (const n of nodes) out.push(n);
      lists++;
    }
    if (lists > 1) out.sort((a, b) => a.id - b.id);
    return out;
  }

  /** The whole parsed text of the tree (see `text`). */
  get source(): string {
    return this.doc.text;
  }

  /** This node and its descendants of the given types, in pre-order (answered from the per-type index). */
  descendantsOfType(types: string | readonly string[]): PyNode[] {
    const out: PyNode[] = [];
    const list = typeof types === 'string' ? [types] : types;
    let lists = 0;
    for (let t = 0; t < list.length; t++) {
      const type = list[t]!;
      if (list.indexOf(type) !== t) continue;
      const nodes = this.doc.byType.get(type);
      if (!nodes) continue;
      const before = out.length;
      for (let i = firstAtOrAfter(nodes, this.id); i < nodes.length; i++) {
        const n = nodes[i]!;
        if (n.id > this.lastDescendantId) break;
        // tree-sitter's walk skips what ends at or before its start point (0, 0).
        if (n.endIndex > 0) out.push(n);
      }
      if (out.length > before) lists++;
    }
    if (lists > 1) out.sort((a, b) => a.id - b.id);
    return out;
  }
}

function firstAtOrAfter(nodes: readonly PyNode[], id: number): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Named-ness by type id, per language (one WASM call per symbol, not per node). */
const namedByLanguage = new WeakMap<Language, Array<boolean | undefined>>();

/**
 * Reads a web-tree-sitter tree into PyNodes with one cursor walk. `text` must be the string the tree was parsed
 * from. The caller still owns (and deletes) the tree; nothing returned refers to it. With `access` (parse.ts
 * `pythonCursorAccess()`), the walk calls the cursor's WASM entry points directly (cursor.ts); without it, it uses
 * web-tree-sitter's TreeCursor. Both read the same tree.
 */
export function readSyntaxTree(tree: Tree, text: string, access: CursorAccess | null = null): PyNode {
  const language = tree.language;
  const typeNames = language.types;
  const fieldNames = language.fields;
  const named = namedByLanguage.get(language) ?? [];
  namedByLanguage.set(language, named);
  const doc = new SyntaxDocument(text);
  const byType = doc.byType;
  const treeCursor = tree.walk();
  const cursor: WalkCursor = access ? access.start(tree, treeCursor) : treeCursor;
  let nextId = 0;
  const open = (parent: PyNode | null, index: number): PyNode => {
    const typeId = cursor.nodeTypeId;
    const type = typeNames[typeId] || 'ERROR';
    let isNamed = named[typeId];
    if (isNamed === undefined) {
      isNamed = language.nodeTypeIsNamed(typeId);
      named[typeId] = isNamed;
    }
    const fieldId = parent ? cursor.currentFieldId : 0;
    const node = new PyNode(doc, nextId++, type, isNamed, fieldId ? (fieldNames[fieldId] ?? null) : null, parent, index, cursor.startIndex);
    // Not the last child's end: hidden children (a trailing `_newline`) are not visited.
    node.endIndex = cursor.endIndex;
    const same = byType.get(type);
    if (same) same.push(node);
    else byType.set(type, [node]);
    return node;
  };
  const close = (node: PyNode, leaf: boolean): void => {
    if (leaf) {
      // Only a zero-width leaf can be one tree-sitter inserted.
      if (node.endIndex === node.startIndex && cursor.nodeIsMissing) node.isMissing = true;
      // As tree-sitter counts it: an ERROR leaf (skipped characters) costs its parent, not itself.
      node.hasError = node.isMissing;
    } else {
      const children = node.children;
      const last = children[children.length - 1]!;
      node.lastDescendantId = last.lastDescendantId;
      let error = node.type === 'ERROR';
      for (const c of children) if (c.hasError || c.type === 'ERROR') error = true;
      node.hasError = error;
    }
  };
  try {
    const root = open(null, 0);
    let node = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const children: PyNode[] = [];
        node.children = children;
        const child = open(node, 0);
        children.push(child);
        node = child;
        continue;
      }
      close(node, true);
      // Climb until a next sibling exists, closing each finished parent.
      for (;;) {
        const parent = node.parent;
        if (!parent) return root;
        if (cursor.gotoNextSibling()) {
          const siblings = parent.children as PyNode[];
          const sibling = open(parent, siblings.length);
          siblings.push(sibling);
          node = sibling;
          break;
        }
        cursor.gotoParent();
        close(parent, false);
        node = parent;
      }
    }
  } finally {
    access?.finish(treeCursor);
    treeCursor.delete();
  }
}
