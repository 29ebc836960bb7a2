import type { FileFacts, Range } from '../model/facts.js';
import type { SinkKind, FlowSummary } from '../model/data-flow.js';
import { moduleResolver, type ModuleResolver } from './modules.js';
import { combineShapes, sinkAccepts } from './taint.js';

type PlacedStep = { path: string; line: number; column: number; label: string };

/** A summary with its sink placed in a file: a file's own, or derived through its forwards (sink in another file). */
interface PlacedSummary {
  summary: FlowSummary;
  sinkPath: string;
  steps: PlacedStep[];
}

/** Rounds of the cross-file fixed point: a chain handler → a → b → … → sink of this many files is followed. */
const MAX_ROUNDS = 8;

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
function candidatesFor(call: { module: string; name: string }, from: string, modules: ModuleResolver): Array<{ file: string; name: string }> {
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
/** The files and names a call into an import may reach (`*`: a method on an injected field, any import). */
function targetsOf(file: FileFacts, call: { module: string; name: string }, modules: ModuleResolver): Array<{ file: string; name: string }> {
  if (call.module !== '*') return candidatesFor(call, file.path, modules);
  return file.imports.flatMap((imp) => {
    const resolved = modules.resolve(file.path, imp.module);
    return resolved ? [{ file: resolved, name: call.name }] : [];
  });
}

/**
 * Every file's summaries, its own and those derived to a fixed point: an exported function that passes
 * parameter i to an import whose summary says that argument reaches a sink gets "parameter i reaches that
 * sink" too, with the condition still to be met by its callers' data. Bounded by MAX_ROUNDS.
 */
function placedSummaries(files: readonly FileFacts[], byPath: Map<string, FileFacts>, modules: ModuleResolver): Map<string, PlacedSummary[]> {
  const placed = new Map<string, PlacedSummary[]>();
  const keys = new Set<string>();
  const add = (file: string, p: PlacedSummary): boolean => {
    const s = p.summary;
    const key = `${file}:${s.name}:${s.param}:${p.sinkPath}:${s.range.start.line}:${s.range.start.column}`;
    if (keys.has(key)) return false;
    keys.add(key);
    const list = placed.get(file);
    if (list) list.push(p);
    else placed.set(file, [p]);
    return true;
  };
  for (const f of files)
    for (const s of f.dataFlow?.summaries ?? []) add(f.path, { summary: s, sinkPath: f.path, steps: s.steps.map((x) => ({ path: f.path, ...x })) });
  const forwarding = files.filter((f) => (f.dataFlow?.forwards?.length ?? 0) > 0);
  for (let round = 0; round < MAX_ROUNDS && forwarding.length > 0; round++) {
    let changed = false;
    for (const file of forwarding) {
      for (const fw of file.dataFlow!.forwards!) {
        for (const target of targetsOf(file, { module: fw.module, name: fw.callee }, modules)) {
          if (!byPath.has(target.file)) continue;
          for (const p of [...(placed.get(target.file) ?? [])]) {
            const s = p.summary;
            if (s.param !== fw.arg || !summaryMatches(s, target.name)) continue;
            const summary: FlowSummary = { name: fw.name, param: fw.param, sink: s.sink, callee: s.callee, range: s.range, steps: [] };
            if (s.condition) {
              const shape = combineShapes(fw.shape, s.condition);
              if (!sinkAccepts(s.condition.kind, shape)) summary.condition = { kind: s.condition.kind, ...shape };
            }
            const steps = [...fw.steps.map((x) => ({ path: file.path, ...x })), ...p.steps];
            if (add(file.path, { summary, sinkPath: p.sinkPath, steps })) changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  return placed;
}

export function resolveFlows(files: readonly FileFacts[]): ResolvedFlow[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const modules = moduleResolver(files);
  const placed = placedSummaries(files, byPath, modules);
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
      for (const target of targetsOf(file, call, modules)) {
        for (const { summary, sinkPath, steps } of placed.get(target.file) ?? []) {
          if (summary.param !== call.arg || !summaryMatches(summary, target.name)) continue;
          if (summary.condition && !sinkAccepts(summary.condition.kind, combineShapes(call.shape, summary.condition))) continue;
          add({
            path: sinkPath,
            source: call.source,
            sink: summary.sink,
            callee: summary.callee,
            range: summary.range,
            steps: [...call.steps.map((s) => ({ path: file.path, ...s })), ...steps],
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
