import { PY_ROUTE_DECORATOR, pySinksFor } from './tables/taint.js';
import { compact, dottedParts, parameterNames } from './ast.js';
import type { PyNode as Node } from './syntax.js';

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
  /** Calls with a static callee (not into the file's functions), for the sink check of a parameterised function. */
  private readonly otherCalls: Array<{ id: number; parts: string[] }> = [];
  /** Short names (`m` of `Class.m`) of the file's functions that some call names. */
  private readonly called = new Set<string>();

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
    const names = new Set(functions.map((f) => shortName(f.name)));
    for (const call of root.ofType('call')) {
      const parts = dottedParts(call.childForFieldName('function'));
      if (!parts) continue;
      const last = parts[parts.length - 1]!;
      if (parts.length <= 2 && names.has(last)) {
        this.localCalls.push(call.id);
        this.called.add(last);
      } else this.otherCalls.push({ id: call.id, parts });
    }
    for (const type of GUARDS) for (const n of root.ofType(type)) this.guards.push(n.id);
    for (const list of [this.sources, this.localCalls, this.guards]) list.sort((a, b) => a - b);
  }

  /** Whether the main pass can find anything in this file. */
  get fileHasSource(): boolean {
    return this.sources.length > 0;
  }

  /** Whether the summary pass of a top-level function or method can produce a flow, a summary, or a call record. */
  needsSummary(f: PyFunction): boolean {
    const span = spanOf(f.node);
    if (within(this.sources, span) || within(this.localCalls, span)) return true;
    // As analyzeFunction: a method's `self`/`cls` is not a parameter of its summary.
    const params = parameterNames(f.node).filter((p, i) => !(i === 0 && (p.name === 'self' || p.name === 'cls')));
    if (params.length === 0) return false;
    if (this.called.has(shortName(f.name))) return true;
    for (const call of this.otherCalls) {
      if (call.id < span[0] || call.id > span[1]) continue;
      const raw = call.parts.join('.');
      if (pySinksFor(raw).length > 0 || pySinksFor(this.resolvedCallee(call.parts)).length > 0) return true;
    }
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
