import type { FlowStep, SinkKind } from '../model/data-flow.js';
import type { Range } from '../model/facts.js';
import { combineShapes, mergeTaint, paramIndex, shapeOf, sinkAccepts, sourceLabel, withStep, type SinkCondition, type SinkHit, type Taint } from './taint.js';

/** A local name bound by an import: `{ exec } from 'child_process'` → module child_process, imported exec. */
export interface ImportBinding {
  module: string;
  imported: string;
}

/** './db', '../lib/db' (JS) and '.models', '..db' (Python relative imports). */
export function isRelativeModule(module: string): boolean {
  return module.startsWith('./') || module.startsWith('../') || module.startsWith('.');
}

export interface SummarySink {
  sink: SinkKind;
  callee: string;
  range: Range;
  /** From the parameter to the sink (last step = the sink). */
  steps: FlowStep[];
  built: boolean;
  sqlText: boolean;
  fixedPrefix: boolean;
  object: boolean;
  /** The sink's condition still to be met by the caller's data (see SinkHit.pending). */
  pending?: Exclude<SinkCondition, 'any'>;
}

export interface LocalSummary {
  /** Parameter index → the sinks it reaches. */
  sinks: Map<number, SummarySink[]>;
  /** Parameters whose data reaches the return value. */
  returnsParams: Set<number>;
  /** Request data the function returns by itself (`function filter(req) { return req.query.q }` needs no tainted argument). */
  returnTaint: Taint | null;
}

/** One function's walk as the summaries saw it: what it looked up (name, own class) and what it wrote. */
export interface WalkRecord {
  lookups: Array<[string, string | null]>;
  writes: Array<{ name: string; hit: SinkHit | null; returned: Taint | null }>;
}

const emptySummary = (): LocalSummary => ({ sinks: new Map(), returnsParams: new Set(), returnTaint: null });

/**
 * Per-function summaries of one file, computed in rounds: a round reads the previous round's summaries while it
 * writes its own, so two rounds follow helper → helper → sink without ordering functions.
 */
export class LocalSummaries {
  private done = new Map<string, LocalSummary>();
  private current = new Map<string, LocalSummary>();
  private rounds = 0;
  /** Every function and method of the file (`helper`, `Class.method`), with a summary or not. */
  private readonly defined = new Set<string>();
  /** While one function's walk is recorded (see summariseFunctions): the look-ups it made and what it wrote. */
  private recording: WalkRecord | null = null;
  /** `done`'s dotted names by method (see methodsOf), and the map they were read from (null: none yet, or stale). */
  private readonly byMethod = new Map<string, Array<[string, LocalSummary]>>();
  private byMethodOf: Map<string, LocalSummary> | null = null;

  /** Names the file defines: `this.m()` inside a class that defines `m` is that class's `m`, never another's. */
  define(names: Iterable<string>): void {
    for (const n of names) this.defined.add(n);
  }

  beginRound(): void {
    if (this.rounds > 0) this.done = this.current;
    this.current = new Map();
    this.rounds++;
  }

  /** Makes the last round's summaries the ones `find` reads (before the main pass). */
  finish(): void {
    if (this.rounds > 0) this.done = this.current;
  }

  private entry(name: string): LocalSummary {
    let s = this.current.get(name);
    if (!s) {
      s = emptySummary();
      this.current.set(name, s);
      // After finish() `current` is `done`: a new name there makes the method index stale.
      if (this.current === this.byMethodOf) this.byMethodOf = null;
    }
    return s;
  }

  /** Starts recording the look-ups and writes of one function's walk; `stopRecording` returns them. */
  startRecording(): void {
    this.recording = { lookups: [], writes: [] };
  }

  stopRecording(): WalkRecord {
    const record = this.recording ?? { lookups: [], writes: [] };
    this.recording = null;
    return record;
  }

  /** Whether every look-up of a recorded walk finds nothing in the summaries `find` reads now. */
  findsNothing(record: WalkRecord): boolean {
    return record.lookups.every(([name, ownClass]) => this.find(name, ownClass) === undefined);
  }

  /** Makes a recorded walk's writes again, in the same order (as the same walk would). */
  replay(record: WalkRecord): void {
    for (const w of record.writes) {
      if (w.hit) this.addSink(w.name, w.hit);
      else this.setReturn(w.name, w.returned);
    }
  }

  addSink(name: string, hit: SinkHit): void {
    this.recording?.writes.push({ name, hit, returned: null });
    for (const path of hit.taint.paths) {
      const param = paramIndex(path);
      if (param === null) continue;
      const sinks = this.entry(name).sinks;
      const list = sinks.get(param) ?? [];
      if (list.some((s) => s.range.start.line === hit.range.start.line && s.range.start.column === hit.range.start.column)) continue;
      const s: SummarySink = { sink: hit.sink, callee: hit.callee, range: hit.range, steps: [...path.steps, hit.step], ...shapeOf(hit.taint) };
      if (hit.pending) s.pending = hit.pending;
      list.push(s);
      sinks.set(param, list);
    }
  }

  setReturn(name: string, returned: Taint | null): void {
    if (!returned) return;
    this.recording?.writes.push({ name, hit: null, returned });
    const s = this.entry(name);
    const sourcePaths = returned.paths.filter((p) => sourceLabel(p) !== null);
    for (const p of returned.paths) {
      const param = paramIndex(p);
      if (param !== null) s.returnsParams.add(param);
    }
    if (sourcePaths.length > 0) s.returnTaint = { ...returned, paths: sourcePaths };
  }

  /**
   * `helper`, `.method` (called on `this`/`self`: the method of `ownClass`, the class the call is made in, when
   * it has one; else of any class of the file, as an inherited one), `Class.method` / `obj.method` (matched by
   * the method name when the receiver is a class of the file).
   */
  find(name: string, ownClass: string | null = null): LocalSummary | undefined {
    this.recording?.lookups.push([name, ownClass]);
    const direct = this.done.get(name);
    if (direct) return direct;
    if (!name.includes('.')) return undefined;
    // `this.search(q)` in a class that has its own `search`: that one, summarised or not (no sink in it).
    if (name.startsWith('.') && ownClass !== null && this.defined.has(`${ownClass}${name}`)) return this.done.get(`${ownClass}${name}`);
    const method = name.slice(name.lastIndexOf('.') + 1);
    const receiver = name.slice(0, name.lastIndexOf('.'));
    for (const [owner, summary] of this.methodsOf(method)) if (receiver === '' || receiver === owner) return summary;
    return undefined;
  }

  /** The summaries `find` reads whose name is `<owner>.<method>`, as [owner, summary] in their order there; built once per set of summaries. */
  private methodsOf(method: string): ReadonlyArray<[string, LocalSummary]> {
    if (this.byMethodOf !== this.done) {
      this.byMethod.clear();
      for (const [key, summary] of this.done) {
        const dot = key.lastIndexOf('.');
        if (dot < 0) continue;
        const name = key.slice(dot + 1);
        const list = this.byMethod.get(name);
        if (list) list.push([key.slice(0, dot), summary]);
        else this.byMethod.set(name, [[key.slice(0, dot), summary]]);
      }
      this.byMethodOf = this.done;
    }
    return this.byMethod.get(method) ?? [];
  }
}

/**
 * A call passing `argument` to a parameter that reaches `s`: the taint at the sink (the caller's path, the call,
 * the steps inside), and whether the sink's pending condition is met by the combined data.
 */
export function throughSummary(argument: Taint, callStep: FlowStep, s: SummarySink): { taint: Taint; accepted: boolean } {
  const shape = combineShapes(argument, s);
  const through = s.steps.slice(0, -1).reduce((acc, step) => withStep(acc, step), withStep(argument, callStep));
  return { taint: { ...through, ...shape }, accepted: !s.pending || sinkAccepts(s.pending, shape) };
}

/** Whether a sink takes this data now, only maybe (a parameter in a summary: the caller decides), or not. */
export function sinkDecision(condition: SinkCondition, t: Taint, summarising: boolean): 'yes' | 'pending' | 'no' {
  if (sinkAccepts(condition, t)) return 'yes';
  return summarising && condition !== 'any' && t.paths.some((p) => paramIndex(p) !== null) ? 'pending' : 'no';
}

/** How a call names a function of its own file: `helper`, `.method` on this/self, `Class.method`. */
export function localCallName(parts: readonly string[], self: 'this' | 'self'): string | null {
  if (parts.length === 1) return parts[0]!;
  if (parts.length !== 2) return null;
  return parts[0] === self ? `.${parts[1]}` : `${parts[0]}.${parts[1]}`;
}

/**
 * A call into a summarised function of this file: reports the sinks its tainted arguments reach (or passes a
 * pending sink on when summarising) and returns the taint of its result.
 */
export function applySummary(
  summary: LocalSummary,
  args: ReadonlyArray<Taint | null>,
  callStep: FlowStep,
  summarising: boolean,
  hit: (hit: SinkHit) => void,
): Taint | null {
  for (const [param, sinks] of summary.sinks) {
    const t = args[param];
    if (!t) continue;
    for (const s of sinks) {
      const { taint, accepted } = throughSummary(t, callStep, s);
      // Not met yet: when a parameter is passed on, the caller's caller decides.
      if (!accepted && (!summarising || !s.pending)) continue;
      hit({ taint, ...(accepted ? {} : { pending: s.pending! }), sink: s.sink, callee: s.callee, range: s.range, step: s.steps[s.steps.length - 1]! });
    }
  }
  let result: Taint | null = summary.returnTaint;
  for (const param of summary.returnsParams) {
    const t = args[param];
    if (t) result = mergeTaint(result, withStep(t, callStep));
  }
  return result;
}

/**
 * Two rounds over the file's functions (helper → helper → sink), then the summaries are ready for the main pass.
 * The first round reads no summary, the second reads the first's. A function's walk depends on the summaries only
 * through `find`, so when none of the look-ups its first walk made finds anything in the first round's summaries,
 * its second walk would be the same walk: its recorded writes are replayed instead (the collector keeps the first
 * of equal facts, so the walk's other output is already there). Only callers of summarised functions walk twice.
 */
export function summariseFunctions<F extends { name: string; node: unknown }>(
  functions: readonly F[],
  summaries: LocalSummaries,
  analyse: (f: F) => void,
): void {
  summaries.define(functions.map((f) => f.name));
  if (functions.length > 0) {
    summaries.beginRound();
    const records = functions.map((f) => {
      summaries.startRecording();
      analyse(f);
      return summaries.stopRecording();
    });
    summaries.beginRound();
    functions.forEach((f, i) => {
      const record = records[i]!;
      if (summaries.findsNothing(record)) summaries.replay(record);
      else analyse(f);
    });
  }
  summaries.finish();
}

/**
 * The functions whose summaries can matter in a file without a request source (the data-flow pre-scans' last
 * step): there taint starts only at the parameters of the function being summarised, and the only facts are
 * summaries and forwards, which end at a sink. `reaching` holds the functions with a possible sink in them;
 * a function calling one of those (by short name, as LocalSummaries.find matches calls) reaches one too,
 * transitively; and what reaches a sink passes through the functions it calls (parameter → return value), and
 * through what those call. Every other function's summary is read by none of these.
 */
export function sinkClosure<F extends { name: string }>(functions: readonly F[], reaching: ReadonlySet<F>, calledNames: (f: F) => ReadonlySet<string>): Set<F> {
  const calls = (f: F, wanted: ReadonlySet<string>): boolean => {
    for (const n of calledNames(f)) if (wanted.has(n)) return true;
    return false;
  };
  const reach = new Set(reaching);
  const reachNames = new Set([...reach].map((f) => shortName(f.name)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of functions) {
      if (reach.has(f) || !calls(f, reachNames)) continue;
      reach.add(f);
      reachNames.add(shortName(f.name));
      grew = true;
    }
  }
  const relevant = new Set(reach);
  const called = new Set<string>();
  for (const f of reach) for (const n of calledNames(f)) called.add(n);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of functions) {
      if (relevant.has(f) || !called.has(shortName(f.name))) continue;
      relevant.add(f);
      for (const n of calledNames(f)) called.add(n);
      grew = true;
    }
  }
  return relevant;
}

/** `Class.method` → `method`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
