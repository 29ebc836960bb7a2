import { moduleResolver, pythonModuleParts, type ModuleResolver } from '../../../flow/modules.js';
import type { FileFacts } from '../../../model/facts.js';
import type { PyRouteFacts } from '../../../model/py-routes.js';

/**
 * Python name resolution across the project's files: `from .routers import users`, `import app.api.deps as
 * deps`, `include('blog.urls')`. Which file a module is comes from the cross-file module resolver
 * (src/flow/modules.ts); this follows names through imports, re-exports and submodules.
 */

export interface PyFile {
  facts: FileFacts;
  routes: PyRouteFacts;
}

export type PyTarget = { kind: 'module'; file: PyFile } | { kind: 'symbol'; file: PyFile; name: string };

const MAX_HOPS = 6;

export class PyModules {
  private readonly byPath = new Map<string, PyFile>();
  private readonly resolver: ModuleResolver;
  readonly files: PyFile[];

  constructor(all: readonly FileFacts[]) {
    this.resolver = moduleResolver(all);
    this.files = all
      .filter((f) => f.language === 'python')
      .map((facts) => ({ facts, routes: facts.pyRoutes ?? { functions: [], classes: [], calls: [], assignments: [] } }));
    for (const file of this.files) this.byPath.set(file.facts.path, file);
  }

  /** The file of a dotted module, absolute or relative to `from`. */
  module(name: string, from: PyFile): PyFile | null {
    const path = this.resolver.resolve(from.facts.path, name);
    return (path === undefined ? undefined : this.byPath.get(path)) ?? null;
  }

  /** True when `name` is defined in `file` itself (function, class, or assigned call/expression). */
  defines(file: PyFile, name: string): boolean {
    const r = file.routes;
    return (
      r.functions.some((f) => f.name === name && f.topLevel && !f.className) ||
      r.classes.some((c) => c.name === name && c.enclosing === undefined) ||
      r.calls.some((c) => c.assignedTo === name) ||
      r.assignments.some((a) => a.name === name)
    );
  }

  /**
   * What a dotted name used in `file` refers to: a local definition, an imported symbol (followed through
   * re-exports), or a module (`users` in `from .routers import users`, then `users.router`).
   */
  resolve(file: PyFile, dotted: string, hops = 0): PyTarget | null {
    if (hops > MAX_HOPS) return null;
    const parts = dotted.split('.');
    const head = parts[0]!;
    if (parts.length === 1 && this.defines(file, head)) return { kind: 'symbol', file, name: head };
    for (const imp of file.facts.imports) {
      for (const { local, imported } of imp.names) {
        if (local !== head && !(imported === '*' && local === '*')) continue;
        let target: PyTarget | null = null;
        if (imported === '*' && local === '*') {
          const module = this.module(imp.module, file);
          if (module && parts.length === 1 && module.facts.path !== file.facts.path && this.defines(module, head))
            target = { kind: 'symbol', file: module, name: head };
        } else if (imported === '*') {
          // `import a.b.c` binds `a`: consume as many segments as name a module.
          const written = imp.module.split('.');
          const aliased = local !== written[0];
          const module =
            this.module(aliased ? imp.module : parts.slice(0, Math.max(1, longestModulePrefix(this, parts, file))).join('.'), file) ??
            this.module(imp.module, file);
          if (module) {
            const consumed = aliased ? 1 : Math.max(1, longestModulePrefix(this, parts, file));
            return this.member({ kind: 'module', file: module }, parts.slice(consumed), hops);
          }
        } else {
          const base = imp.module.endsWith('.') ? imp.module : `${imp.module}.`;
          const submodule = this.module(`${base}${imported}`, file);
          if (submodule) target = { kind: 'module', file: submodule };
          else {
            const module = this.module(imp.module, file);
            if (module && module !== file) target = this.resolve(module, imported, hops + 1) ?? { kind: 'symbol', file: module, name: imported };
          }
        }
        if (target) return this.member(target, parts.slice(1), hops);
      }
    }
    return null;
  }

  private member(target: PyTarget, rest: string[], hops: number): PyTarget | null {
    if (rest.length === 0) return target;
    if (target.kind !== 'module') return null;
    const sub = this.module(`${pythonModuleParts(target.file.facts.path).join('.')}.${rest[0]}`, target.file);
    if (sub && sub !== target.file) return this.member({ kind: 'module', file: sub }, rest.slice(1), hops);
    if (rest.length === 1)
      return this.defines(target.file, rest[0]!)
        ? { kind: 'symbol', file: target.file, name: rest[0]! }
        : (this.resolve(target.file, rest[0]!, hops + 1) ?? null);
    return null;
  }
}

function longestModulePrefix(modules: PyModules, parts: string[], from: PyFile): number {
  for (let n = parts.length; n > 0; n--) if (modules.module(parts.slice(0, n).join('.'), from)) return n;
  return 0;
}
