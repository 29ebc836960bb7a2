import type { Language, Tree } from 'web-tree-sitter';
import type { CursorAccess, WalkCursor } from './cursor.js';
import { SKIPPED_NAMED_TOKENS, SKIPPED_TOKENS } from './skipped-tokens.js';

/**
 * A tree-sitter tree read out once into plain JS objects. Every read of a web-tree-sitter `Node` is a round trip
 * into WebAssembly (marshal the node, call, unmarshal a new `Node`); the Python extractors read each node many
 * times, so they read this copy instead. It is built by one TreeCursor walk (type id, field id, start index; the
 * end index of leaves only) right after parsing, and the WASM tree is deleted at once.
 *
 * It offers the part of web-tree-sitter's `Node` API the extractors use, with the same meaning:
 * - indices and columns are UTF-16 code units of the parsed string (web-tree-sitter's for a JS string), rows
 *   count `\n` only; positions are computed from indices when asked (not stored: a big file has a million nodes);
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
  /** PyNode.memo's tables: node id → value, per reading. */
  readonly memos = new Map<symbol, Map<number, unknown>>();
  private lineStarts: number[] | null = null;

  /** `fields`: field name by field id (null for none), interned. */
  constructor(
    readonly text: string,
    readonly fields: ReadonlyArray<string | null>,
  ) {}

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
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
/** The flags' bits from here up hold the field id. */
const FIELD_SHIFT = 3;

/** A node's named children and code children, made when first asked (most nodes never are). */
interface ChildViews {
  named: readonly PyNode[];
  code: readonly PyNode[] | null;
}

export class PyNode {
  /** Pre-order number of the node in its tree (unique per tree); its descendants are `id + 1 … lastDescendantId`. */
  readonly id: number;
  lastDescendantId: number;
  readonly type: string;
  readonly parent: PyNode | null;
  readonly startIndex: number;
  endIndex = 0;
  /**
   * NAMED, MISSING and HAS_ERROR bits and, above FIELD_SHIFT, the field id: one field instead of four (a big file
   * has a million nodes, and every field of every node is copied by each young-generation GC it survives).
   */
  private flags: number;
  children: readonly PyNode[] = NO_CHILDREN;
  private views: ChildViews | null = null;

  constructor(
    private readonly doc: SyntaxDocument,
    id: number,
    type: string,
    isNamed: boolean,
    fieldId: number,
    parent: PyNode | null,
    startIndex: number,
  ) {
    this.id = id;
    this.lastDescendantId = id;
    this.type = type;
    this.flags = (isNamed ? NAMED : 0) | (fieldId << FIELD_SHIFT);
    this.parent = parent;
    this.startIndex = startIndex;
  }

  /** The field this node fills in its parent (`left`, `body` …), or null. */
  get fieldName(): string | null {
    return this.doc.fields[this.flags >>> FIELD_SHIFT] ?? null;
  }

  /** Position among the parent's children (0 for the root). */
  get index(): number {
    return this.parent ? this.parent.children.indexOf(this) : 0;
  }

  get isNamed(): boolean {
    return (this.flags & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.flags & MISSING) !== 0;
  }

  set isMissing(value: boolean) {
    this.flags = value ? this.flags | MISSING : this.flags & ~MISSING;
  }

  get hasError(): boolean {
    return (this.flags & HAS_ERROR) !== 0;
  }

  set hasError(value: boolean) {
    this.flags = value ? this.flags | HAS_ERROR : this.flags & ~HAS_ERROR;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get text(): string {
    return this.doc.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.doc.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.doc.point(this.endIndex);
  }

  get namedChildren(): readonly PyNode[] {
    if (this.views === null) {
      const all = this.children;
      let every = true;
      for (let i = 0; i < all.length; i++) if ((all[i]!.flags & NAMED) === 0) every = false;
      this.views = { named: every ? all : all.filter((c) => c.isNamed), code: null };
    }
    return this.views.named;
  }

  /** Named children without comments (see ast.ts `codeChildren`). */
  get codeChildren(): readonly PyNode[] {
    const named = this.namedChildren;
    const views = this.views!;
    if (views.code === null) {
      let every = true;
      for (let i = 0; i < named.length; i++) if (named[i]!.type === 'comment') every = false;
      views.code = every ? named : named.filter((c) => c.type !== 'comment');
    }
    return views.code;
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
    const children = this.children;
    const fields = this.doc.fields;
    for (let i = 0; i < children.length; i++) if (fields[children[i]!.flags >>> FIELD_SHIFT] === name) return children[i]!;
    return null;
  }

  childrenForFieldName(name: string): PyNode[] {
    const out: PyNode[] = [];
    const children = this.children;
    const fields = this.doc.fields;
    for (let i = 0; i < children.length; i++) if (fields[children[i]!.flags >>> FIELD_SHIFT] === name) out.push(children[i]!);
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
    const parts: PyNode[][] = [];
    for (let t = 0; t < types.length; t++) {
      const nodes = types.indexOf(types[t]!) === t ? this.doc.byType.get(types[t]!) : undefined;
      if (nodes && nodes.length > 0) parts.push(nodes as PyNode[]);
    }
    return mergeById(parts);
  }

  /** The whole parsed text of the tree (see `text`). */
  get source(): string {
    return this.doc.text;
  }

  /** This node and its descendants of the given types, in pre-order (answered from the per-type index). */
  descendantsOfType(types: string | readonly string[]): PyNode[] {
    const list = typeof types === 'string' ? [types] : types;
    const parts: PyNode[][] = [];
    for (let t = 0; t < list.length; t++) {
      const type = list[t]!;
      if (list.indexOf(type) !== t) continue;
      const nodes = this.doc.byType.get(type);
      if (!nodes) continue;
      const part: PyNode[] = [];
      for (let i = firstAtOrAfter(nodes, this.id); i < nodes.length; i++) {
        const n = nodes[i]!;
        if (n.id > this.lastDescendantId) break;
        // tree-sitter's walk skips what ends at or before its start point (0, 0).
        if (n.endIndex > 0) part.push(n);
      }
      if (part.length > 0) parts.push(part);
    }
    // One type (or one with nodes here): its part is already a fresh array in pre-order.
    return parts.length === 1 ? parts[0]! : mergeById(parts);
  }

  /**
   * A derived reading of this node (ast.ts `callArguments` …), computed once per tree and `key`: several feature
   * extractors ask the same question of the same node. What `compute` returns is shared: callers must not change it.
   */
  memo<T>(key: symbol, compute: (node: PyNode) => T): T {
    let table = this.doc.memos.get(key) as Map<number, T> | undefined;
    if (!table) {
      table = new Map();
      this.doc.memos.set(key, table);
    }
    let value = table.get(this.id);
    if (value === undefined && !table.has(this.id)) {
      value = compute(this);
      table.set(this.id, value);
    }
    return value as T;
  }
}

/** Lists each sorted by id (pre-order), merged into one in pre-order: a k-way merge, not a sort. */
function mergeById(parts: PyNode[][]): PyNode[] {
  if (parts.length === 0) return [];
  if (parts.length === 1) return parts[0]!.slice();
  const out: PyNode[] = [];
  const at = new Array<number>(parts.length).fill(0);
  for (;;) {
    let best = -1;
    let bestId = 0;
    for (let k = 0; k < parts.length; k++) {
      const n = parts[k]![at[k]!];
      if (n !== undefined && (best === -1 || n.id < bestId)) {
        best = k;
        bestId = n.id;
      }
    }
    if (best === -1) return out;
    out.push(parts[best]![at[best]!++]!);
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

/** A language's names, read once: strings that come out of WebAssembly are not interned, so every `node.type === 'call'` would compare characters. */
interface LanguageNames {
  /** Type name by type id (`ERROR` for an empty name), interned. */
  types: string[];
  /** Whether the type is named, by type id. */
  named: boolean[];
  /** Field name by field id (null for none), interned. */
  fields: Array<string | null>;
  /** Whether the type is a token no extractor reads (SKIPPED_TOKENS, SKIPPED_NAMED_TOKENS), by type id: left out of the JS tree. */
  skippedToken: boolean[];
}

const namesByLanguage = new WeakMap<Language, LanguageNames>();

/** The same string, interned (V8 interns property keys), so that equality with a literal is a pointer comparison. */
function intern(name: string): string {
  return Object.keys({ [name]: 0 })[0]!;
}

function languageNames(language: Language): LanguageNames {
  let names = namesByLanguage.get(language);
  if (!names) {
    const types: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < language.types.length; id++) {
      types.push(intern(language.types[id] || 'ERROR'));
      named.push(language.nodeTypeIsNamed(id));
    }
    const fields = language.fields.map((f) => (f ? intern(f) : null));
    const skippedToken = types.map((t, id) => (named[id] ? SKIPPED_NAMED_TOKENS : SKIPPED_TOKENS).has(t));
    names = { types, named, fields, skippedToken };
    namesByLanguage.set(language, names);
  }
  return names;
}

/**
 * Reads a web-tree-sitter tree into PyNodes with one cursor walk. `text` must be the string the tree was parsed
 * from. The caller still owns (and deletes) the tree; nothing returned refers to it. With `access` (parse.ts
 * `pythonCursorAccess()`), the walk calls the cursor's WASM entry points directly (cursor.ts); without it, it uses
 * web-tree-sitter's TreeCursor. Both read the same tree.
 *
 * Allocation is what this costs beyond the WASM calls: one object per node, one exactly sized children array per
 * parent (children gather on one shared stack and are copied out when their parent closes), and the per-type
 * lists are reached by type id, not by name. Tokens no extractor reads get no node (punctuation, `=`, statement
 * keywords, a string's quotes and escapes: skipped-tokens.ts), 38 % of the nodes of the standard library's trees;
 * a MISSING one (inserted by error recovery, zero width) is kept for the syntax errors.
 */
export function readSyntaxTree(tree: Tree, text: string, access: CursorAccess | null = null): PyNode {
  const language = tree.language;
  const { types, named, fields, skippedToken } = languageNames(language);
  const typeCount = types.length;
  const doc = new SyntaxDocument(text, fields);
  const byType = doc.byType;
  /** The per-type list (shared by type ids of the same name) by type id; ids past the table share the last slot. */
  const lists: Array<PyNode[] | undefined> = [];
  const treeCursor = tree.walk();
  const cursor: WalkCursor = access ? access.start(tree, treeCursor) : treeCursor;
  /** Children of the open nodes, innermost last; `starts` holds where each open parent's children begin. */
  const pending: PyNode[] = [];
  let top = 0;
  const starts: number[] = [];
  let nextId = 0;
  /** The type id of the node under the cursor, as read by the last skipped() (one WASM call per node, not two). */
  let typeId = 0;
  const open = (parent: PyNode | null): PyNode => {
    let type: string;
    let isNamed: boolean;
    let slot: number;
    if (typeId < typeCount) {
      type = types[typeId]!;
      isNamed = named[typeId]!;
      slot = typeId;
    } else {
      type = 'ERROR';
      isNamed = language.nodeTypeIsNamed(typeId);
      slot = typeCount;
    }
    const fieldId = parent ? cursor.currentFieldId : 0;
    // A field id past the table reads as no field (fieldName: `fields[id] ?? null`).
    const node = new PyNode(doc, nextId++, type, isNamed, fieldId < fields.length ? fieldId : 0, parent, cursor.startIndex);
    // Not the last child's end: hidden children (a trailing `_newline`) are not visited.
    node.endIndex = cursor.endIndex;
    let list = lists[slot];
    if (list === undefined) {
      list = byType.get(type);
      if (list === undefined) {
        list = [];
        byType.set(type, list);
      }
      lists[slot] = list;
    }
    list.push(node);
    return node;
  };
  /** Whether the cursor is on a skipped token (see languageNames) that tree-sitter's error recovery did not insert (MISSING, zero width). */
  const skipped = (): boolean => {
    typeId = cursor.nodeTypeId;
    return typeId < typeCount && skippedToken[typeId]! && cursor.endIndex > cursor.startIndex;
  };
  /**
   * The cursor is on a finished (or skipped) child of `parent`: opens its next sibling that is not skipped and returns
   * true, or closes `parent` and goes on with the parent's own next sibling; false once the root is closed.
   */
  const nextSibling = (from: PyNode): boolean => {
    let parent: PyNode | null = from;
    while (parent) {
      while (cursor.gotoNextSibling()) {
        if (skipped()) continue;
        node = open(parent);
        pending[top++] = node;
        return true;
      }
      cursor.gotoParent();
      const first = starts.pop()!;
      const children = top > first ? pending.slice(first, top) : NO_CHILDREN;
      top = first;
      parent.children = children;
      parent.lastDescendantId = children.length > 0 ? children[children.length - 1]!.lastDescendantId : parent.id;
      let error = parent.type === 'ERROR';
      for (let i = 0; i < children.length && !error; i++) {
        const c = children[i]!;
        if (c.hasError || c.type === 'ERROR') error = true;
      }
      parent.hasError = error;
      parent = parent.parent;
    }
    return false;
  };
  let node: PyNode;
  try {
    typeId = cursor.nodeTypeId;
    const root = open(null);
    node = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        starts.push(top);
        if (!skipped()) {
          node = open(node);
          pending[top++] = node;
          continue;
        }
        if (!nextSibling(node)) return root;
        continue;
      }
      // A leaf. Only a zero-width leaf can be one tree-sitter inserted.
      if (node.endIndex === node.startIndex && cursor.nodeIsMissing) node.isMissing = true;
      // As tree-sitter counts it: an ERROR leaf (skipped characters) costs its parent, not itself.
      node.hasError = node.isMissing;
      if (!node.parent || !nextSibling(node.parent)) return root;
    }
  } finally {
    access?.finish(treeCursor);
    treeCursor.delete();
  }
}
