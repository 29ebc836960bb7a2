import type { Node } from '@babel/types';
import { memberParts } from './ast.js';
import type { TopLevelFunction } from './flow-functions.js';
import { NEST_PARAMS } from './flow-state.js';
import {
  JS_PROPAGATORS,
  JS_SOURCE_WORDS,
  isJsSanitiser as isSanitiser,
  jsSinksFor,
  jsSourceCallFor as sourceCallFor,
  jsSourceFor as sourceFor,
  type JsSinkEntry,
} from './tables/taint.js';
import { lowerBound, type NodeIndex } from './visit.js';

/**
 * The data-flow pre-scan: one look at the file's identifiers and calls (from its node index) decides where the
 * taint walk can find anything, so it runs only there. Taint starts only at a request source (a path through
 * one of JS_SOURCE_WORDS, a NestJS `@Body()`-like parameter), at a parameter of a summarised function, or at a
 * call into a function of the file (its summary); it ends at a sink or in a summary. So:
 *
 * - a top-level function needs no summary when it reads no source word and calls no function of the file, and
 *   either has no parameter, or calls no sink and is called by nobody (its summary would be read by no one);
 * - the main pass has nothing to do in a file without a source word, and skips top-level statements while
 *   nothing is tainted when no source or local call follows, or when the statement holds none of them and no
 *   guard (`if`, `?:`) that could vet a name for later.
 *
 * Every skip is exact: the facts are the same as with the full walk.
 */
export class FlowPrescan {
  /** Positions of source words, calls into the file's functions, possible sinks, and guards. */
  private readonly sources: number[] = [];
  private readonly localCalls: number[] = [];
  private readonly sinkCalls: number[] = [];
  private readonly guards: number[] = [];
  /** Short names (`m` of `Class.m`) of the file's functions that some call names. */
  private readonly called = new Set<string>();

  constructor(
    private readonly index: NodeIndex,
    functions: readonly TopLevelFunction[],
    resolvedCallee: (parts: string[]) => string,
    /** A call that may pass a parameter on to another file's function (a forward, see FlowCollector). */
    forwards: (parts: string[]) => boolean = () => false,
  ) {
    const words = (value: string | null | undefined, p: number): void => {
      if (value != null && (JS_SOURCE_WORDS.has(value) || Object.hasOwn(NEST_PARAMS, value))) this.sources.push(p);
      // A `$where` filter key is a sink where it is written (flow-analyzer.ts, whereClause).
      else if (value === '$where') this.sinkCalls.push(p);
    };
    index.each(['Identifier'], (n, p) => words((n as Node & { name: string }).name, p));
    index.each(['StringLiteral'], (n, p) => words((n as Node & { value: string }).value, p));
    index.each(['TemplateElement'], (n, p) => words((n as Node & { value: { cooked?: string | null } }).value.cooked, p));
    const names = new Set(functions.map((f) => shortName(f.name)));
    index.each(['CallExpression', 'OptionalCallExpression', 'NewExpression'], (n, p) => {
      const parts = memberParts((n as Node & { callee: Node }).callee);
      if (!parts) return;
      const last = parts[parts.length - 1]!.replace(/\(\)$/, '');
      if (parts.length <= 2 && names.has(last)) {
        this.localCalls.push(p);
        this.called.add(last);
      }
      const raw = `${n.type === 'NewExpression' ? 'new ' : ''}${parts.join('.')}`;
      const resolved = `${n.type === 'NewExpression' ? 'new ' : ''}${resolvedCallee(parts)}`;
      if (sinksFor(raw).length > 0 || sinksFor(resolved).length > 0 || forwards(parts)) this.sinkCalls.push(p);
    });
    index.each(['IfStatement', 'ConditionalExpression'], (_, p) => this.guards.push(p));
    // `obj[key] = v`: the key may be chosen by the caller (mass assignment, flow-analyzer.ts fieldChosen).
    index.each(['AssignmentExpression'], (n, p) => {
      const left = (n as Node & { left: Node }).left;
      if (left.type === 'MemberExpression' && left.computed) this.sinkCalls.push(p);
    });
    for (const list of [this.sources, this.localCalls, this.sinkCalls, this.guards]) list.sort((a, b) => a - b);
  }

  /** Whether the main pass can find anything in this file. */
  get fileHasSource(): boolean {
    return this.sources.length > 0;
  }

  /** Whether the summary pass of a top-level function can produce a flow, a summary, or a call record. */
  needsSummary(f: TopLevelFunction): boolean {
    const span = this.index.span(f.node);
    if (!span) return true;
    if (within(this.sources, span) || within(this.localCalls, span)) return true;
    if ((f.node as unknown as { params: Node[] }).params.length === 0) return false;
    return within(this.sinkCalls, span) || this.called.has(shortName(f.name));
  }

  /** No taint can start in this statement or after it (a source word or a call into the file's functions). */
  nothingAhead(statement: Node): boolean {
    const span = this.index.span(statement);
    if (!span) return false;
    const after: [number, number] = [span[0], Number.MAX_SAFE_INTEGER];
    return !within(this.sources, after) && !within(this.localCalls, after);
  }

  /** The statement can neither start taint nor vet a name (no source word, no local call, no guard). */
  quiet(statement: Node): boolean {
    const span = this.index.span(statement);
    if (!span) return false;
    return !within(this.sources, span) && !within(this.localCalls, span) && !within(this.guards, span);
  }
}

/**
 * A look-up in a constant table, memoised per callee text (per thread; cleared when it holds `limit` texts). The
 * taint tables are tried regex by regex for every call of every file, and a project repeats its callees: on
 * medusa's packages the sink table alone cost about 3 % of a worker's extraction time.
 */
export function memoised<T>(lookUp: (callee: string) => T, limit = 50_000): (callee: string) => T {
  const memo = new Map<string, T>();
  return (callee) => {
    let hit = memo.get(callee);
    if (hit === undefined && !memo.has(callee)) {
      if (memo.size >= limit) memo.clear();
      hit = lookUp(callee);
      memo.set(callee, hit);
    }
    return hit as T;
  };
}

/** The sink entries a callee matches (jsSinksFor, memoised; the array is shared: do not change it). */
export const sinksFor: (callee: string) => readonly JsSinkEntry[] = memoised(jsSinksFor);
/** jsSourceFor, jsSourceCallFor, isJsSanitiser and JS_PROPAGATORS.test of tables/taint.ts, memoised. */
export const jsSourceFor = memoised(sourceFor);
export const jsSourceCallFor = memoised(sourceCallFor);
export const isJsSanitiser = memoised(isSanitiser);
export const isPropagator = memoised((callee: string) => JS_PROPAGATORS.test(callee));

/** `Class.method` → `method`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Whether a sorted position list has one in [start, end). */
function within(list: readonly number[], [start, end]: [number, number]): boolean {
  const i = lowerBound(list, start);
  return i < list.length && list[i]! < end;
}
