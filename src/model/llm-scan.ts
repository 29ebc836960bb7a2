import type { ImportFact, OptionValue, Range } from './facts.js';

/**
 * What a language extractor reads out of one file for the LLM analysis (model/llm-analyze.ts): every call with
 * its arguments as text, every function with its text and decorators, assignments and loops. Language-neutral,
 * so the SDK tables and the analysis are written once. Not stored: `analyzeLlm` turns it into LlmFacts.
 */

export interface ScanArgument {
  /** Source text (whitespace kept). */
  text: string;
  /** Static value when it is a literal (string, number, boolean, None/null), else `{ expr }`. */
  value: OptionValue;
  range: Range;
  /** The argument is a function (arrow, function expression, lambda). */
  isFunction: boolean;
  /** Identifiers listed when the argument is a list/array/tuple/object (`[a, b]`, `{ a: x, b }` → keys and identifier values). */
  names?: string[];
}

export interface ScanCall {
  /** Dotted callee as written (`client.chat.completions.create`, `OpenAI`, `new Function` for `new Function(…)`); `?` when computed. */
  callee: string;
  /** Raw callee source when not a static name (`globals()[name]`, `tools[name]`). */
  calleeText?: string;
  positional: ScanArgument[];
  /** Keyword arguments (Python) or the properties of an object-literal argument (JS: the last one), by name. */
  options: Record<string, ScanArgument>;
  /** Variables the result is bound to (`x = call()`, `const { text } = await call()`, `self.llm = …`). */
  assignedTo: string[];
  /** The object key the call is the value of (`tools: { weather: tool({…}) }` → `weather`). */
  propertyKey?: string;
  /** The nearest named declaration around the call (`export const createDocument = (…) => tool({…})` → `createDocument`). */
  ownerName?: string;
  /** JS: what the object-literal argument spreads in (`tool({ ...toolDefs.delete_branch, execute })` → `toolDefs.delete_branch`). */
  spreads?: string[];
  text: string;
  range: Range;
}

export interface ScanFunction {
  name: string;
  /** `Class.method` for methods. */
  qualifiedName: string;
  className?: string;
  decorators: string[];
  /** Parameter names. */
  params: string[];
  text: string;
  range: Range;
  /** Nested in another function. */
  nested: boolean;
}

export interface ScanAssignment {
  /** Identifiers bound (destructuring and tuples give several). */
  targets: string[];
  /** Source text of the value. */
  value: string;
  range: Range;
}

export interface ScanClass {
  name: string;
  bases: string;
  range: Range;
}

export interface LlmScan {
  language: 'javascript' | 'python';
  imports: ImportFact[];
  calls: ScanCall[];
  functions: ScanFunction[];
  assignments: ScanAssignment[];
  classes: ScanClass[];
  /** `while True` / `while (true)` / `for (;;)` / `while 1` bodies. */
  unboundedLoops: Range[];
  /** JS: object keys whose literal declares MCP `destructiveHint: true` in a nested object (`delete_branch: { annotations: { destructiveHint: true } }`). */
  destructiveKeys?: string[];
  /**
   * JS: tools kept as data, object literals with the shape every SDK's tool has — `execute` with `description` and an
   * input schema (`{ method: 'create_refund', description, inputSchema, annotations, execute: createRefund }`), read like
   * a call with callee `{}` whose options are the object's properties; registered elsewhere and run by name.
   */
  toolObjects?: ScanCall[];
}

/** Packages that wrap an MCP server for a project (`@supabase/mcp-utils`, `mcp-framework`, `@acme/mcp-helpers`): their `tool({ execute })` declares MCP tools. */
export const MCP_HELPER_MODULE = /^(?!@modelcontextprotocol\/)(@[\w.-]+\/)?([\w.-]*[_-])?mcp([_-][\w.-]*)?(\/.*)?$/;

export function within(inner: Range, outer: Range): boolean {
  const a = inner.start;
  const b = outer.start;
  const c = inner.end;
  const d = outer.end;
  const afterStart = a.line > b.line || (a.line === b.line && a.column >= b.column);
  const beforeEnd = c.line < d.line || (c.line === d.line && c.column <= d.column);
  return afterStart && beforeEnd;
}
