import type { FileFacts, Range } from '../model/facts.js';
import type { SinkKind, TaintedCall, FlowSummary } from '../model/data-flow.js';
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
  /** The flow crosses into another file through a relative import. */
  crossFile: boolean;
}

const JS_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.js', '/index.tsx', '/index.jsx'];

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function normalise(parts: string[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/**
 * The project file a relative import names: JS `./db` (with extension and index guesses, `.js` written for a
 * `.ts` file), Python `.db` / `..models.user` (package-relative) from the importing file's folder.
 */
export function resolveRelativeModule(from: string, module: string, paths: ReadonlySet<string>): string | null {
  if (from.endsWith('.py')) {
    const dots = /^\.+/.exec(module)?.[0].length ?? 0;
    if (dots === 0) return resolveAbsolutePythonModule(from, module, paths);
    let dir = dirname(from).split('/');
    for (let i = 1; i < dots; i++) dir = dir.slice(0, -1);
    const rest = module.slice(dots).split('.').filter(Boolean);
    const base = normalise([...dir, ...rest]);
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (paths.has(candidate)) return candidate;
    return null;
  }
  if (!module.startsWith('.')) return null;
  const base = normalise([...dirname(from).split('/'), ...module.split('/')]);
  const stems = [base, base.replace(/\.(?:js|jsx|mjs|cjs)$/, '')];
  for (const stem of stems) for (const ext of JS_EXTENSIONS) if (paths.has(stem + ext)) return stem + ext;
  return null;
}

/** `sqli.dao.student` from `sqli/views.py`: the module path under the folder that holds the top package. */
function resolveAbsolutePythonModule(from: string, module: string, paths: ReadonlySet<string>): string | null {
  const segments = module.split('.');
  const dirs = dirname(from).split('/');
  const at = dirs.indexOf(segments[0]!);
  if (at < 0) return null;
  const base = [...dirs.slice(0, at), ...segments].join('/');
  for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (paths.has(candidate)) return candidate;
  return null;
}

/** `from .db import find_user` then `find_user(x)`: the imported name may also be a module (`from . import db`). */
function candidatesFor(call: TaintedCall, from: string, paths: ReadonlySet<string>): Array<{ file: string; name: string }> {
  const out: Array<{ file: string; name: string }> = [];
  const file = resolveRelativeModule(from, call.module, paths);
  if (file) out.push({ file, name: call.name.replace(/^(?:default|\*)\./, '') });
  // Python `from . import db` + `db.find(x)`: the first name segment is a submodule.
  const dot = call.name.indexOf('.');
  if (dot > 0 && from.endsWith('.py')) {
    const sub = resolveRelativeModule(from, `${call.module}${call.module.endsWith('.') ? '' : '.'}${call.name.slice(0, dot)}`, paths);
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
  const paths = new Set(byPath.keys());
  const out = new Map<string, ResolvedFlow>();
  const add = (flow: ResolvedFlow): void => {
    const key = `${flow.path}:${flow.range.start.line}:${flow.range.start.column}:${flow.source}`;
    if (!out.has(key)) out.set(key, flow);
  };
  for (const file of files) {
    for (const flow of file.dataFlow?.flows ?? []) {
      add({ path: file.path, source: flow.source, sink: flow.sink, callee: flow.callee, range: flow.range, steps: flow.steps.map((s) => ({ path: file.path, ...s })), crossFile: false });
    }
  }
  for (const file of files) {
    for (const call of file.dataFlow?.calls ?? []) {
      const targets: Array<{ file: string; name: string }> =
        call.module === '*'
          ? file.imports.flatMap((imp) => {
              const resolved = resolveRelativeModule(file.path, imp.module, paths);
              return resolved ? [{ file: resolved, name: call.name }] : [];
            })
          : candidatesFor(call, file.path, paths);
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
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}
