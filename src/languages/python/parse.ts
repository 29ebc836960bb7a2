import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { readSyntaxTree, type PyNode } from './syntax.js';
import { CursorAccess } from './cursor.js';

export interface PythonSyntaxError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 code units. */
  column: number;
}

export interface PythonParseResult {
  /** The caller owns the tree and must `tree.delete()` it (it lives in WASM memory, not the JS heap). */
  tree: Tree;
  /** ERROR and MISSING nodes from tree-sitter's error recovery, in source order; the tree is usable anyway. */
  syntaxErrors: PythonSyntaxError[];
}

/** Enough to tell the user where the file stops parsing; a garbage file would otherwise yield thousands. */
const MAX_SYNTAX_ERRORS = 100;

let parserPromise: Promise<Parser> | undefined;
/** Direct cursor calls into web-tree-sitter's module (cursor.ts), or null when its module object lacks them. */
let cursorAccess: CursorAccess | null = null;
const MODULE_KEY = Symbol.for('complianceagent.web-tree-sitter.module');

/** Path of the grammar shipped at the root of `tree-sitter-python`, tolerant of a future `exports` map. */
function pythonWasmPath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('tree-sitter-python/tree-sitter-python.wasm');
  } catch {
    try {
      return join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
    } catch {
      // `main` is bindings/node/index.js; the package root is two levels up.
      return join(dirname(require.resolve('tree-sitter-python')), '..', '..', 'tree-sitter-python.wasm');
    }
  }
}

async function createParser(): Promise<Parser> {
  // Emscripten fills the object given to init with the module's exports, but only when that call initialises the
  // module: kept per thread, so that a second copy of this file (test runners re-evaluate modules) finds it.
  const shared = globalThis as { [MODULE_KEY]?: Record<string, unknown> };
  const module = (shared[MODULE_KEY] ??= {});
  await Parser.init(module as Parameters<typeof Parser.init>[0]);
  cursorAccess = CursorAccess.of(module);
  // Bytes rather than a path: web-tree-sitter would pick fetch() over fs in a browser-like test environment.
  const language = await Language.load(new Uint8Array(await readFile(pythonWasmPath())));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The process-wide (per worker thread) Python parser, initialised on first use. */
export function getPythonParser(): Promise<Parser> {
  parserPromise ??= createParser().catch((error: unknown) => {
    parserPromise = undefined;
    throw error;
  });
  return parserPromise;
}

/** What readSyntaxTree needs for its direct cursor walk, once getPythonParser() has resolved (null: use TreeCursor). */
export function pythonCursorAccess(): CursorAccess | null {
  return cursorAccess;
}

/**
 * Parses Python source. web-tree-sitter reads a JS string as UTF-16, so node indices and columns are UTF-16
 * code units already (matching `Position`); only the 0-based → 1-based shift is left to callers. Rows count
 * `\r\n`, `\n` and a lone `\r` as line breaks (`splitLines(text, 'standard')`); U+2028 is not one in Python.
 */
export async function parsePython(text: string): Promise<PythonParseResult> {
  const { tree } = await parseTree(text);
  return { tree, syntaxErrors: collectSyntaxErrors(tree.rootNode) };
}

/**
 * Parses Python source into plain JS nodes (see syntax.ts): the tree-sitter tree is read once and deleted
 * before this returns. What the extractors use.
 */
export async function parsePythonSyntax(text: string): Promise<{ root: PyNode; syntaxErrors: PythonSyntaxError[] }> {
  const { tree, parsed } = await parseTree(text);
  try {
    const root = readSyntaxTree(tree, parsed, cursorAccess);
    return { root, syntaxErrors: collectSyntaxErrors(root) };
  } finally {
    tree.delete();
  }
}

async function parseTree(text: string): Promise<{ tree: Tree; parsed: string }> {
  const parser = await getPythonParser();
  // Python reads a lone CR as a line break (universal newlines); tree-sitter does not, and would see a CR-only
  // file as one long line. LF has the same length, so every index into `text` stays valid.
  const parsed = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const tree = parser.parse(parsed);
  if (!tree) throw new Error('tree-sitter returned no tree for a Python file');
  return { tree, parsed };
}

/** The node properties collectSyntaxErrors reads: a web-tree-sitter Node and a PyNode both have them. */
interface ErrorNode {
  readonly type: string;
  readonly hasError: boolean;
  readonly isMissing: boolean;
  readonly isError: boolean;
  readonly startPosition: { row: number; column: number };
  readonly children: ReadonlyArray<ErrorNode | null>;
}

/** ERROR and MISSING nodes, descending only into subtrees that contain one. */
export function collectSyntaxErrors(root: ErrorNode): PythonSyntaxError[] {
  const errors: PythonSyntaxError[] = [];
  if (!root.hasError) return errors;
  const stack: ErrorNode[] = [root];
  while (stack.length > 0 && errors.length < MAX_SYNTAX_ERRORS) {
    const node = stack.pop()!;
    if (node.isMissing) {
      errors.push(errorAt(node, `missing ${JSON.stringify(node.type)}`));
    } else if (node.isError) {
      // No source text in the message: it could quote a secret, and messages are not redacted.
      errors.push(errorAt(node, 'invalid syntax'));
    } else if (node.hasError) {
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (child) stack.push(child);
      }
    }
  }
  return errors;
}

function errorAt(node: ErrorNode, message: string): PythonSyntaxError {
  return { message, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}
