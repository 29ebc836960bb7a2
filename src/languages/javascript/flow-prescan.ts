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
import { memoizeByString } from '../../model/memo.js';
import { sinkClosure as closeOverCalls } from '../../flow/summaries.js';

/**
 * The data-flow pre-scan: one look at the file's identifiers and calls (from its node index) decides where the
 * taint walk can find anything, so it runs only there. Taint starts only at a request source (a path through
 * one of JS_SOURCE_WORDS, a NestJS `@Body()`-like parameter), at a parameter of a summarised function, or at a
 * call into a function of the file (its summary); it ends at a sink or in a summary. So:
 *
 * - a top-level function needs no summary when it reads no source word and calls no function of the file, and
 *   either has no parameter, or calls no sink and is called by nobody (its summary would be read by no one);
 * - in a file without a source word, only the functions that reach a sink (themselves or through the file's
 *   functions they call) and the functions those call need one (`sinkClosure`);
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
  /** `$where` keys and computed writes (`obj[key] = v`); calls that are sinks are looked at per function (`callsSink`). */
  private readonly sinkCalls: number[] = [];
  private readonly guards: number[] = [];
  /** Every call's position (ascending) and node, for `callsSink`. */
  private readonly calls: number[] = [];
  private readonly callNodes: Node[] = [];
  /** Short names (`m` of `Class.m`) of the file's functions that some call names. */
  private readonly called = new Set<string>();
  /** needsSummary's answer per function (asked once per summary round). */
  private readonly answers = new Map<TopLevelFunction, boolean>();
  /** The short name each local call names, by the call's position. */
  private readonly localCallNames = new Map<number, string>();
  /** In a file without a source: the functions whose summary can matter (see `sinkClosure`); null: every function. */
  private readonly relevant: Set<TopLevelFunction> | null = null;

  constructor(
    private readonly index: NodeIndex,
    functions: readonly TopLevelFunction[],
    private readonly resolvedCallee: (parts: string[]) => string,
    /** A call that may pass a parameter on to another file's function (a forward, see FlowCollector). */
    private readonly forwards: (parts: string[]) => boolean = () => false,
  ) {
    const words = (value: string | null | undefined, p: number): void => {
      // Most names and strings cannot be a word: their length or first character rules them out without hashing them.
      if (value == null || WORD_LENGTHS[value.length] !== 1 || WORD_STARTS[value.charCodeAt(0) & 0x7f] !== 1) return;
      if (JS_SOURCE_WORDS.has(value) || Object.hasOwn(NEST_PARAMS, value)) this.sources.push(p);
      // A `$where` filter key is a sink where it is written (flow-analyzer.ts, whereClause).
      else if (value === '$where') this.sinkCalls.push(p);
    };
    index.each(['Identifier'], (n, p) => words((n as Node & { name: string }).name, p));
    index.each(['StringLiteral'], (n, p) => words((n as Node & { value: string }).value, p));
    index.each(['TemplateElement'], (n, p) => words((n as Node & { value: { cooked?: string | null } }).value.cooked, p));
    const names = new Set(functions.map((f) => shortName(f.name)));
    index.each(['CallExpression', 'OptionalCallExpression', 'NewExpression'], (n, p) => {
      this.calls.push(p);
      this.callNodes.push(n);
      if (names.size === 0) return;
      // A plain name or `a.b` callee whose last name is no function of the file: no local call (memberParts would agree).
      const callee = (n as Node & { callee: Node }).callee;
      if (callee.type === 'Identifier' && !names.has(callee.name)) return;
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && !names.has(callee.property.name)) return;
      const parts = memberParts(callee);
      if (!parts) return;
      const last = parts[parts.length - 1]!.replace(/\(\)$/, '');
      if (parts.length <= 2 && names.has(last)) {
        this.localCalls.push(p);
        this.localCallNames.set(p, last);
        this.called.add(last);
      }
    });
    index.each(['IfStatement', 'ConditionalExpression'], (_, p) => this.guards.push(p));
    // `obj[key] = v`: the key may be chosen by the caller (mass assignment, flow-analyzer.ts fieldChosen).
    index.each(['AssignmentExpression'], (n, p) => {
      const left = (n as Node & { left: Node }).left;
      if (left.type === 'MemberExpression' && left.computed) this.sinkCalls.push(p);
    });
    for (const list of [this.sources, this.localCalls, this.sinkCalls, this.guards]) list.sort((a, b) => a - b);
    // The three call types' lists are each ascending: order them together.
    const order = this.calls.map((_, i) => i).sort((a, b) => this.calls[a]! - this.calls[b]!);
    const nodes = this.callNodes.slice();
    this.calls = order.map((i) => this.calls[i]!);
    this.callNodes = order.map((i) => nodes[i]!);
    if (this.sources.length === 0) this.relevant = this.sinkClosure(functions);
  }

  /**
   * Without a source word in the file there is no main pass, and taint starts only at the parameters of the
   * function being summarised: the only facts are its summaries (parameter → sink) and forwards (parameter → a
   * call into another file). Those come from the functions that reach a sink: a possible sink call, a `$where`
   * key or a computed write (`callsSink`, `sinkCalls`) in them, or a call naming such a function (its summary's
   * sinks); what reaches them passes through the functions they call (parameter → return value), and through what
   * those call (flow/summaries.ts `sinkClosure`). A call counts for every function whose span holds it (a
   * constructor's methods lie inside the constructor).
   */
  private sinkClosure(functions: readonly TopLevelFunction[]): Set<TopLevelFunction> | null {
    const names = new Map<TopLevelFunction, Set<string>>();
    const reach = new Set<TopLevelFunction>();
    for (const f of functions) {
      const span = this.index.span(f.node);
      // A function the index does not hold: its calls cannot be placed, so every summary may matter.
      if (!span) return null;
      const [start, end] = span;
      const called = new Set<string>();
      for (let i = lowerBound(this.localCalls, start); i < this.localCalls.length && this.localCalls[i]! < end; i++)
        called.add(this.localCallNames.get(this.localCalls[i]!)!);
      names.set(f, called);
      if (within(this.sinkCalls, span) || this.callsSink(span)) reach.add(f);
    }
    return closeOverCalls(functions, reach, (f) => names.get(f)!);
  }

  /** Whether the main pass can find anything in this file. */
  get fileHasSource(): boolean {
    return this.sources.length > 0;
  }

  /** Whether the summary pass of a top-level function can produce a flow, a summary, or a call record. */
  needsSummary(f: TopLevelFunction): boolean {
    let answer = this.answers.get(f);
    if (answer === undefined) {
      answer = this.decide(f);
      this.answers.set(f, answer);
    }
    return answer;
  }

  private decide(f: TopLevelFunction): boolean {
    if (this.relevant && !this.relevant.has(f)) return false;
    const span = this.index.span(f.node);
    if (!span) return true;
    if (within(this.sources, span) || within(this.localCalls, span)) return true;
    if ((f.node as unknown as { params: Node[] }).params.length === 0) return false;
    return within(this.sinkCalls, span) || this.called.has(shortName(f.name)) || this.callsSink(span);
  }

  /** Whether a call in [start, end) may be a sink (by its callee or its resolved callee) or forward a parameter. */
  private callsSink([start, end]: [number, number]): boolean {
    for (let i = lowerBound(this.calls, start); i < this.calls.length && this.calls[i]! < end; i++) {
      const n = this.callNodes[i]!;
      const parts = memberParts((n as Node & { callee: Node }).callee);
      if (!parts) continue;
      const prefix = n.type === 'NewExpression' ? 'new ' : '';
      const raw = `${prefix}${parts.join('.')}`;
      if (sinksFor(raw).length > 0) return true;
      // Most callees resolve to themselves (no import binding): one look-up then.
      const resolved = `${prefix}${this.resolvedCallee(parts)}`;
      if ((resolved !== raw && sinksFor(resolved).length > 0) || this.forwards(parts)) return true;
    }
    return false;
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

/** The sink entries a callee matches (jsSinksFor, memoised; the array is shared: do not change it). */
export const sinksFor: (callee: string) => readonly JsSinkEntry[] = memoizeByString(jsSinksFor);
/** jsSourceFor, jsSourceCallFor, isJsSanitiser and JS_PROPAGATORS.test of tables/taint.ts, memoised. */
export const jsSourceFor = memoizeByString(sourceFor);
export const jsSourceCallFor = memoizeByString(sourceCallFor);
export const isJsSanitiser = memoizeByString(isSanitiser);
export const isPropagator = memoizeByString((callee: string) => JS_PROPAGATORS.test(callee));

/** Lengths and first characters (ASCII, folded to 7 bits) of the source words, NEST_PARAMS and `$where`: a cheap test before the sets. */
const WORDS = [...JS_SOURCE_WORDS, ...Object.keys(NEST_PARAMS), '$where'];
const WORD_LENGTHS = new Uint8Array(Math.max(...WORDS.map((w) => w.length)) + 1);
const WORD_STARTS = new Uint8Array(128);
for (const w of WORDS) {
  WORD_LENGTHS[w.length] = 1;
  WORD_STARTS[w.charCodeAt(0) & 0x7f] = 1;
}

/** `Class.method` → `method`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Whether a sorted position list has one in [start, end). */
function within(list: readonly number[], [start, end]: [number, number]): boolean {
  const i = lowerBound(list, start);
  return i < list.length && list[i]! < end;
}
