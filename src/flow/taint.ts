import type { FlowStep, SinkKind, TaintFlow, FlowSummary, TaintedCall, DataFlowFacts, TaintShape, ParamForward } from '../model/data-flow.js';
import type { Range } from '../model/facts.js';

/**
 * The taint value both language engines compute for an expression: where the data came from (a request source
 * or a parameter of the function being summarised), the steps it took, and what was done to it on the way.
 */

/** `src:<label>` for a request source, `param:<n>` for the n-th parameter of the summarised function. */
export interface TaintPath {
  origin: string;
  steps: FlowStep[];
}

export interface Taint {
  paths: TaintPath[];
  /** Concatenated or interpolated into a string. */
  built: boolean;
  /** Built into a string whose literal text reads as SQL. */
  sqlText: boolean;
  /** The string starts with fixed text (scheme and host of a URL cannot be chosen by the user). */
  fixedPrefix: boolean;
  /** May still be an object chosen by the client (JSON body, `a[$ne]=1` query): NoSQL operator injection. */
  object: boolean;
}

/** Paths kept per value and steps kept per path: facts stay small. */
const MAX_PATHS = 3;
const MAX_STEPS = 8;

export const SQL_TEXT = /\b(select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|\bwhere\b|order\s+by|values\s*\()/i;

export function sourceTaint(label: string, step: FlowStep, object: boolean): Taint {
  return { paths: [{ origin: `src:${label}`, steps: [step] }], built: false, sqlText: false, fixedPrefix: false, object };
}

export function paramTaint(index: number, step: FlowStep): Taint {
  return { paths: [{ origin: `param:${index}`, steps: [step] }], built: false, sqlText: false, fixedPrefix: false, object: true };
}

function capSteps(steps: FlowStep[]): FlowStep[] {
  return steps.length <= MAX_STEPS ? steps : [...steps.slice(0, 2), ...steps.slice(steps.length - (MAX_STEPS - 2))];
}

/** Adds a step to every path (skipped when it repeats the last step's line and label). */
export function withStep(t: Taint, step: FlowStep): Taint {
  return {
    ...t,
    paths: t.paths.map((p) => {
      const last = p.steps[p.steps.length - 1];
      if (last && last.line === step.line && last.label === step.label) return p;
      return { origin: p.origin, steps: capSteps([...p.steps, step]) };
    }),
  };
}

export function mergeTaint(a: Taint | null, b: Taint | null): Taint | null {
  if (!a) return b;
  if (!b) return a;
  const paths = [...a.paths];
  for (const p of b.paths) if (!paths.some((q) => q.origin === p.origin) && paths.length < MAX_PATHS) paths.push(p);
  return {
    paths,
    built: a.built || b.built,
    sqlText: a.sqlText || b.sqlText,
    fixedPrefix: a.fixedPrefix && b.fixedPrefix,
    object: a.object || b.object,
  };
}

/** The taint of a string built from parts: `literal` is the fixed text, `startsFixed` when it begins with it. */
export function builtString(taint: Taint, literal: string, startsFixed: boolean): Taint {
  return {
    ...taint,
    built: true,
    sqlText: taint.sqlText || SQL_TEXT.test(literal),
    fixedPrefix: startsFixed || taint.fixedPrefix,
    object: false,
  };
}

/** A value converted to a plain string (`String(x)`, `x.trim()`): no longer an object. */
export function asString(taint: Taint): Taint {
  return { ...taint, object: false };
}

export function sourceLabel(path: TaintPath): string | null {
  return path.origin.startsWith('src:') ? path.origin.slice(4) : null;
}

export function paramIndex(path: TaintPath): number | null {
  return path.origin.startsWith('param:') ? Number(path.origin.slice(6)) : null;
}

/** Which taints a sink accepts: SQL needs SQL text built with the data, SSRF and redirects a user-chosen start … */
export type SinkCondition = 'any' | 'built' | 'sql-built' | 'object' | 'no-fixed-prefix';

export function sinkAccepts(condition: SinkCondition, t: TaintShape): boolean {
  switch (condition) {
    case 'any':
      return true;
    case 'built':
      return t.built;
    case 'sql-built':
      return t.built && t.sqlText;
    case 'object':
      return t.object;
    case 'no-fixed-prefix':
      return !t.fixedPrefix;
  }
}

export function shapeOf(t: TaintShape): TaintShape {
  return { built: t.built, sqlText: t.sqlText, fixedPrefix: t.fixedPrefix, object: t.object };
}

/** The data a caller passes, after what the called function did to it (`inner`: the shape at the sink). */
export function combineShapes(caller: TaintShape, inner: TaintShape): TaintShape {
  return {
    built: caller.built || inner.built,
    sqlText: caller.sqlText || inner.sqlText,
    fixedPrefix: caller.fixedPrefix || inner.fixedPrefix,
    object: caller.object && inner.object,
  };
}

export interface SinkHit {
  taint: Taint;
  /** The sink's condition when the data in hand does not meet it yet: only a summary's caller can (pending hit). */
  pending?: Exclude<SinkCondition, 'any'>;
  sink: SinkKind;
  callee: string;
  range: Range;
  step: FlowStep;
}

/**
 * Collects what one file's analysis found: flows from request sources, summaries of exported functions whose
 * parameters reach sinks, and calls passing request data into imported functions. Dedupes by position.
 */
export class FlowCollector {
  private readonly flows = new Map<string, TaintFlow>();
  private readonly summaries = new Map<string, FlowSummary>();
  private readonly calls = new Map<string, TaintedCall>();
  private readonly forwards = new Map<string, ParamForward>();

  /** `summaryName` is the exported name of the function being analysed (null: not exported or not a function). */
  sinkHit(hit: SinkHit, summaryName: string | null): void {
    for (const path of hit.taint.paths) {
      const steps = capSteps([...path.steps, hit.step]);
      const source = sourceLabel(path);
      if (source !== null) {
        if (hit.pending) continue;
        const key = `${hit.range.start.line}:${hit.range.start.column}:${source}`;
        if (!this.flows.has(key)) this.flows.set(key, { source, sink: hit.sink, callee: hit.callee, range: hit.range, steps });
        continue;
      }
      const param = paramIndex(path);
      if (param !== null && summaryName !== null) {
        const key = `${summaryName}:${param}:${hit.range.start.line}:${hit.range.start.column}`;
        const summary: FlowSummary = { name: summaryName, param, sink: hit.sink, callee: hit.callee, range: hit.range, steps };
        if (hit.pending) summary.condition = { kind: hit.pending, ...shapeOf(hit.taint) };
        if (!this.summaries.has(key)) this.summaries.set(key, summary);
      }
    }
  }

  /** `summaryName`: the exported function being summarised (its parameters passed on become forwards), or null. */
  importedCall(module: string, name: string, arg: number, taint: Taint, step: FlowStep, summaryName: string | null = null): void {
    for (const path of taint.paths) {
      const source = sourceLabel(path);
      const param = paramIndex(path);
      if (param !== null && summaryName !== null) {
        const key = `${summaryName}:${param}:${step.line}:${step.column}:${arg}`;
        if (!this.forwards.has(key))
          this.forwards.set(key, { name: summaryName, param, shape: shapeOf(taint), module, callee: name, arg, steps: capSteps([...path.steps, step]) });
      }
      if (source === null) continue;
      const key = `${step.line}:${step.column}:${arg}:${source}`;
      if (!this.calls.has(key)) this.calls.set(key, { shape: shapeOf(taint), module, name, arg, source, steps: capSteps([...path.steps, step]) });
    }
  }

  /** The facts, or undefined when nothing was found (the field stays absent). */
  result(): DataFlowFacts | undefined {
    if (this.flows.size === 0 && this.summaries.size === 0 && this.calls.size === 0 && this.forwards.size === 0) return undefined;
    const facts: DataFlowFacts = { flows: [...this.flows.values()], summaries: [...this.summaries.values()], calls: [...this.calls.values()] };
    if (this.forwards.size > 0) facts.forwards = [...this.forwards.values()];
    return facts;
  }
}
