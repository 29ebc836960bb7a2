import { PY_GRAPHQL_RESOLVER, PY_ROUTE_DECORATOR, pySinksFor } from './tables/taint.js';
import { compact, dottedParts, parameterNames } from './ast.js';
import type { PyNode as Node } from './syntax.js';
import { sinkClosure as closeOverCalls } from '../../flow/summaries.js';

const NO_NAMES: ReadonlySet<string> = new Set();

/** The words every request source of PY_SOURCES / PY_SOURCE_CALLS starts with (`request.…`, `req.…`, `self.request.…`). */
const SOURCE_WORDS = new Set(['request', 'req']);

/** The nodes the walk calls `guard` on: what can vet a name for later. */
const GUARDS = ['if_statement', 'elif_clause', 'while_statement', 'conditional_expression'];

export interface PyFunction {
  name: string;
  node: Node;
}

/**
 * The Python data-flow pre-scan (the counterpart of javascript/flow-prescan.ts): one look at the file's
 * identifiers, decorators and calls decides where the taint walk can find anything, so it runs only there.
 * Taint starts only at a request source (a dotted path whose first names are `request`/`req` or
 * `self.request`/`self.req`: an identifier, or a subscript key, with that text), at a parameter of a route handler
 * (a decorator matching PY_ROUTE_DECORATOR), at a parameter of a summarised function, or at a call into a
 * function of the file (its summary); it ends at a sink or in a summary. So:
 *
 * - a top-level function or method needs no summary when it holds no source word, no route decorator and no call
 *   into the file's functions, and either has no parameter (besides `self`/`cls`), or holds no sink call and is
 *   called by nobody in the file (its summary would be read by no one);
 * - the main pass has nothing to do in a file without a source word or route decorator, and skips top-level
 *   statements while nothing is tainted when no source or local call follows, or when the statement holds none
 *   of them and no guard (`if`, `elif`, `while`, `… if … else …`) that could vet a name for later.
 *
 * Every skip is exact: the facts are the same as with the full walk. Positions are the nodes' pre-order ids, so
 * a node's subtree is the id range [id, lastDescendantId].
 */
export class PyFlowPrescan {
  private readonly sources: number[] = [];
  private readonly localCalls: number[] = [];
  private readonly guards: number[] = [];
  /** Calls with a static callee, in document order; `local`: it may name a function of the file. */
  private readonly calls: Array<{ id: number; parts: string[]; local: boolean; sink?: boolean }> = [];
  /** Short names (`m` of `Class.m`) of the file's functions that some call names. */
  private readonly called = new Set<string>();
  /** In a file without a source: the functions whose summary can matter (see `sinkClosure`); null: every function. */
  private readonly relevant: Set<PyFunction> | null = null;

  constructor(
    root: Node,
    functions: readonly PyFunction[],
    private readonly resolvedCallee: (parts: string[]) => string,
  ) {
    for (const type of ['identifier', 'string_content']) {
      for (const n of root.ofType(type)) {
        const length = n.endIndex - n.startIndex;
        if ((length === 3 || length === 7) && SOURCE_WORDS.has(n.text)) this.sources.push(n.id);
      }
    }
    for (const d of root.ofType('decorator')) if (PY_ROUTE_DECORATOR.test(compact(d.text.replace(/^@\s*/, '')))) this.sources.push(d.id);
    // A graphene resolver's parameters after `info` are GraphQL arguments (python/flow.ts graphqlArguments).
    for (const f of functions)
      if (PY_GRAPHQL_RESOLVER.test(shortName(f.name)) && parameterNames(f.node).some((p) => p.name === 'info')) this.sources.push(f.node.id);
    const names = new Set(functions.map((f) => shortName(f.name)));
    for (const call of root.ofType('call')) {
      const parts = dottedParts(call.childForFieldName('function'));
      if (!parts) continue;
      const last = parts[parts.length - 1]!;
      const local = parts.length <= 2 && names.has(last);
      if (local) {
        this.localCalls.push(call.id);
        this.called.add(last);
      }
      this.calls.push({ id: call.id, parts, local });
    }
    for (const type of GUARDS) for (const n of root.ofType(type)) this.guards.push(n.id);
    for (const list of [this.sources, this.localCalls, this.guards]) list.sort((a, b) => a - b);
    if (this.sources.length === 0) this.relevant = this.sinkClosure(functions);
  }

  /**
   * Without a source in the file, taint only starts at the parameters of the function being summarised, and the
   * only facts are its summaries (parameter → sink). Those come from the functions that reach a sink: a sink call
   * in them, or a call naming such a function (its summary's sinks); what reaches them passes through the
   * functions they call (parameter → return value), and through what those call. Calls are matched by short
   * name, as LocalSummaries.find matches them; every other function's summary is read by none of these.
   */
  private sinkClosure(functions: readonly PyFunction[]): Set<PyFunction> {
    const sorted = [...functions].sort((a, b) => a.node.id - b.node.id);
    // The local call names and whether a sink call occurs, per function (spans of top-level functions and methods do not nest).
    const names = new Map<PyFunction, Set<string>>();
    const sinks = new Set<PyFunction>();
    let i = 0;
    for (const call of this.calls) {
      while (i < sorted.length && sorted[i]!.node.lastDescendantId < call.id) i++;
      const f = sorted[i];
      if (!f || f.node.id > call.id) continue;
      if (call.local) {
        const set = names.get(f) ?? new Set<string>();
        set.add(call.parts[call.parts.length - 1]!);
        names.set(f, set);
      }
      if (!sinks.has(f) && this.isSink(call)) sinks.add(f);
    }
    return closeOverCalls(functions, sinks, (f) => names.get(f) ?? NO_NAMES);
  }

  private isSink(call: { parts: string[]; sink?: boolean }): boolean {
    // A call into a relative import may forward a parameter to another file's sink (FlowCollector forwards).
    if (call.sink === undefined) {
      const resolved = this.resolvedCallee(call.parts);
      call.sink = pySinksFor(call.parts.join('.')).length > 0 || pySinksFor(resolved).length > 0 || resolved.startsWith('.');
    }
    return call.sink;
  }

  /** Whether the main pass can find anything in this file. */
  get fileHasSource(): boolean {
    return this.sources.length > 0;
  }

  /** Whether the summary pass of a top-level function or method can produce a flow, a summary, or a call record. */
  needsSummary(f: PyFunction): boolean {
    if (this.relevant && !this.relevant.has(f)) return false;
    const span = spanOf(f.node);
    if (within(this.sources, span) || within(this.localCalls, span)) return true;
    // As analyzeFunction: a method's `self`/`cls` is not a parameter of its summary.
    const params = parameterNames(f.node).filter((p, i) => !(i === 0 && (p.name === 'self' || p.name === 'cls')));
    if (params.length === 0) return false;
    if (this.called.has(shortName(f.name))) return true;
    for (const call of this.calls) if (!call.local && call.id >= span[0] && call.id <= span[1] && this.isSink(call)) return true;
    return false;
  }

  /** No taint can start in this statement or after it (no source word, route decorator or local call from it on). */
  nothingAhead(statement: Node): boolean {
    const after: [number, number] = [statement.id, Number.MAX_SAFE_INTEGER];
    return !within(this.sources, after) && !within(this.localCalls, after);
  }

  /** The statement can neither start taint nor vet a name (no source word, route decorator, local call or guard). */
  quiet(statement: Node): boolean {
    const span = spanOf(statement);
    return !within(this.sources, span) && !within(this.localCalls, span) && !within(this.guards, span);
  }
}

/** `Class.method` → `method`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function spanOf(node: Node): [number, number] {
  return [node.id, node.lastDescendantId];
}

/** Whether a sorted id list has one in [first, last]. */
function within(list: readonly number[], [first, last]: [number, number]): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo]! <= last;
}
