import type { Tree, TreeCursor } from 'web-tree-sitter';

/**
 * The part of a tree cursor that readSyntaxTree (syntax.ts) uses: web-tree-sitter's `TreeCursor` has exactly
 * these members, and `DirectCursor` answers them without its per-call marshalling.
 */
export interface WalkCursor {
  readonly nodeTypeId: number;
  readonly currentFieldId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly nodeIsMissing: boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/**
 * web-tree-sitter's WebAssembly entry points for tree cursors, as its Emscripten module object carries them
 * (`Parser.init(moduleOptions)` fills the object it is given). Each takes the tree pointer; the cursor itself (4
 * words) travels in the binding's transfer buffer: a `goto…` call reads it from there and writes the moved cursor
 * back, a getter only reads it.
 */
interface CursorBinding {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  HEAP32: Int32Array;
}

const FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
] as const;

/** The handles web-tree-sitter keeps in its objects' numeric slots (`tree[0]`: the TSTree pointer; a cursor's 4 words). */
type Slots = Record<0 | 1 | 2 | 3, number>;

/**
 * Direct access to the cursor entry points. web-tree-sitter's own TreeCursor writes its 4 words into the transfer
 * buffer before every call and reads them back after every move (8 DataView accesses around each WASM call);
 * reading a tree touches every node about six times, so that marshalling cost as much as the parse. Here the
 * cursor lives in the transfer buffer for the whole walk: nothing else may call into web-tree-sitter until
 * `finish`. Written against web-tree-sitter 0.25 (pinned in package.json); `directCursorBinding` returns null
 * when the module object lacks an entry point, and the caller then walks with the public TreeCursor. The
 * syntax tests compare what both walks read with web-tree-sitter's Node API.
 */
export class CursorAccess {
  private readonly transfer: number;

  private constructor(private readonly binding: CursorBinding) {
    // Idempotent: writes the library's version numbers into the buffer and returns its address.
    this.transfer = binding._ts_init();
  }

  /** The binding, if `module` (the object given to `Parser.init`) carries every entry point this needs. */
  static of(module: Record<string, unknown>): CursorAccess | null {
    for (const name of FUNCTIONS) if (typeof module[name] !== 'function') return null;
    if (!(module.HEAP32 instanceof Int32Array)) return null;
    return new CursorAccess(module as unknown as CursorBinding);
  }

  /** Starts a walk at the root of `tree` with `cursor` (from `tree.walk()`), which must not be used until `finish`. */
  start(tree: Tree, cursor: TreeCursor): DirectCursor {
    const slots = cursor as unknown as Slots;
    const heap = this.binding.HEAP32;
    const at = this.transfer >> 2;
    heap[at] = slots[0];
    heap[at + 1] = slots[1];
    heap[at + 2] = slots[2];
    heap[at + 3] = slots[3];
    return new DirectCursor(this.binding, (tree as unknown as Slots)[0]);
  }

  /** Hands the moved cursor back to `cursor` (its stack may have been reallocated), so `cursor.delete()` frees the right memory. */
  finish(cursor: TreeCursor): void {
    const slots = cursor as unknown as Slots;
    // Read the view again: the walk may have grown the WASM memory.
    const heap = this.binding.HEAP32;
    const at = this.transfer >> 2;
    slots[0] = heap[at]!;
    slots[1] = heap[at + 1]!;
    slots[2] = heap[at + 2]!;
    slots[3] = heap[at + 3]!;
  }
}

/**
 * The cursor entry points held as own fields: the Emscripten module object has hundreds of properties (a
 * dictionary-mode object), so reading `module._ts_…` on every call was a hash lookup per WASM call.
 */
export class DirectCursor implements WalkCursor {
  private readonly typeId: (tree: number) => number;
  private readonly fieldId: (tree: number) => number;
  private readonly start: (tree: number) => number;
  private readonly end: (tree: number) => number;
  private readonly missing: (tree: number) => number;
  private readonly firstChild: (tree: number) => number;
  private readonly nextSibling: (tree: number) => number;
  private readonly parent: (tree: number) => number;

  constructor(
    b: CursorBinding,
    private readonly tree: number,
  ) {
    this.typeId = b._ts_tree_cursor_current_node_type_id_wasm;
    this.fieldId = b._ts_tree_cursor_current_field_id_wasm;
    this.start = b._ts_tree_cursor_start_index_wasm;
    this.end = b._ts_tree_cursor_end_index_wasm;
    this.missing = b._ts_tree_cursor_current_node_is_missing_wasm;
    this.firstChild = b._ts_tree_cursor_goto_first_child_wasm;
    this.nextSibling = b._ts_tree_cursor_goto_next_sibling_wasm;
    this.parent = b._ts_tree_cursor_goto_parent_wasm;
  }

  get nodeTypeId(): number {
    return this.typeId(this.tree);
  }

  get currentFieldId(): number {
    return this.fieldId(this.tree);
  }

  get startIndex(): number {
    return this.start(this.tree);
  }

  get endIndex(): number {
    return this.end(this.tree);
  }

  get nodeIsMissing(): boolean {
    return this.missing(this.tree) === 1;
  }

  gotoFirstChild(): boolean {
    return this.firstChild(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.nextSibling(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.parent(this.tree) === 1;
  }
}
