import type { FileFacts, Range } from '../model/facts.js';
import type { SinkKind, TaintedCall, FlowSummary } from '../model/data-flow.js';
import { moduleResolver, type ModuleResolver } from './modules.js';
import { combineShapes, sinkAccepts } from './taint.js';

/** A source → sink flow with every step placed in its file: what SOC2-004 reports. */
export interface ResolvedFlow {
  /** The file of the sink. */
  path: string;
  source: string;
  sink: SinkKind;
  callee: string;
  range: Range;
  steps: Array<{ path: string; line: number; column: number; label: string }>;
  /** The flow crosses into another file through an import. */
  crossFile: boolean;
}

/** `from .db import find_user` then `find_user(x)`: the imported name may also be a module (`from . import db`). */
function candidatesFor(call: TaintedCall, from: string, modules: ModuleResolver): Array<{ file: string; name: string }> {
  const out: Array<{ file: string; name: string }> = [];
  const file = modules.resolve(from, call.module);
  if (file) out.push({ file, name: call.name.replace(/^(?:default|\*)\./, '') });
  // Python `from . import db` + `db.find(x)`: the first name segment is a submodule.
  const dot = call.name.indexOf('.');
  if (dot > 0 && from.endsWith('.py')) {
    const sub = modules.resolve(from, `${call.module}${call.module.endsWith('.') ? '' : '.'}${call.name.slice(0, dot)}`);
    if (sub) out.push({ file: sub, name: call.name.slice(dot + 1) });
  }
  return out;
}

function summaryMatches(summary: FlowSummary, name: string): boolean {
  if (summary.name === name) return true;
  // `this.usersService.findOne(x)` or `UserService.findOne`: matched by method name.
  const method = name.slice(name.lastIndexOf('.') + 1);
  return name.includes('.') && summary.name.endsWith(`.${method}`);
}

/**
 * Every flow of the project: the in-file flows of each file, and flows that cross into another file where a call
 * passes request data to an imported function whose summary says that parameter reaches a sink. Deduplicated
 * by sink position and source.
 */
export function resolveFlows(files: readonly FileFacts[]): ResolvedFlow[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const modules = moduleResolver(files);
  const out = new Map<string, ResolvedFlow>();
  const add = (flow: ResolvedFlow): void => {
    const key = `${flow.path}:${flow.range.start.line}:${flow.range.start.column}:${flow.source}`;
    if (!out.has(key)) out.set(key, flow);
  };
  for (const file of files) {
    for (const flow of file.dataFlow?.flows ?? []) {
      add({
        path: file.path,
        source: flow.source,
        sink: flow.sink,
        callee: flow.callee,
        range: flow.range,
        steps: flow.steps.map((s) => ({ path: file.path, ...s })),
        crossFile: false,
      });
    }
  }
  for (const file of files) {
    for (const call of file.dataFlow?.calls ?? []) {
      const targets: Array<{ file: string; name: string }> =
        call.module === '*'
          ? file.imports.flatMap((imp) => {
              const resolved = modules.resolve(file.path, imp.module);
              return resolved ? [{ file: resolved, name: call.name }] : [];
            })
          : candidatesFor(call, file.path, modules);
      for (const target of targets) {
        const targetFacts = byPath.get(target.file);
        for (const summary of targetFacts?.dataFlow?.summaries ?? []) {
          if (summary.param !== call.arg || !summaryMatches(summary, target.name)) continue;
          if (summary.condition && !sinkAccepts(summary.condition.kind, combineShapes(call.shape, summary.condition))) continue;
          add({
            path: target.file,
            source: call.source,
            sink: summary.sink,
            callee: summary.callee,
            range: summary.range,
            steps: [...call.steps.map((s) => ({ path: file.path, ...s })), ...summary.steps.map((s) => ({ path: target.file, ...s }))],
            crossFile: true,
          });
        }
      }
    }
  }
  return [...out.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column,
  );
}
