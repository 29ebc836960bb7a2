import { moduleResolver, type ModuleResolver } from '../../../flow/modules.js';
import type { Endpoint, Guard, GuardScope, HttpApp } from '../../../model/endpoints.js';
import type { FileFacts } from '../../../model/facts.js';
import { markPublicByDesign } from '../../../model/endpoint-public.js';
import type { JsFunctionSummary, JsGuardRef, JsImportRef, JsNestRouteFilter, JsRouteFact, JsRoutes, JsScopeFact, JsUseFact } from '../../../model/js-routes.js';

/**
 * Joins the per-file JS/TS route facts into endpoints: follows mounts through relative imports, applies
 * middleware in declaration order and by prefix, adds NestJS global guards and Next.js middleware, and reads
 * each handler's body summary (also across files) for checks in the handler.
 */

interface JsFile {
  path: string;
  routes: JsRoutes;
}

export function joinPaths(...parts: string[]): string {
  const joined = parts
    .filter((p) => p !== '' && p !== '/')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

class ModuleIndex {
  private readonly files = new Map<string, JsFile>();
  private readonly modules: ModuleResolver;

  constructor(files: readonly FileFacts[]) {
    this.modules = moduleResolver(files);
    for (const f of files) if (f.jsRoutes) this.files.set(f.path, { path: f.path, routes: f.jsRoutes });
  }

  get(path: string): JsFile | undefined {
    return this.files.get(path);
  }

  list(): JsFile[] {
    return [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  summary(from: string, ref: JsImportRef): { file: string; summary: JsFunctionSummary } | null {
    const target = this.modules.resolve(from, ref.module);
    const file = target ? this.files.get(target) : undefined;
    if (!file) return null;
    const s = file.routes.functions.find((f) => f.exportedAs.includes(ref.name));
    return s ? { file: file.path, summary: s } : null;
  }

  /** The router, app or plugin an import names, also through barrel files (`export { default } from './documents.js'`). */
  scope(from: string, ref: JsImportRef): { file: JsFile; scope: JsScopeFact } | null {
    const found = this.modules.findExport(from, ref.module, ref.name, (facts, name) => {
      const file = this.files.get(facts.path);
      if (!file) return undefined;
      const scopes = file.routes.scopes;
      const scope =
        scopes.find((s) => s.exportedAs.includes(name)) ?? (name === 'default' && scopes.length === 1 && scopes[0]!.kind !== 'app' ? scopes[0] : undefined);
      return scope ? { file, scope } : undefined;
    });
    return found ?? null;
  }
}

function toGuards(ref: JsGuardRef, file: string, scope: GuardScope, index: ModuleIndex): Guard[] {
  let kinds = new Set(ref.kinds);
  let reason = ref.reason;
  if (ref.ref) {
    const s = index.summary(file, ref.ref);
    if (s) for (const c of s.summary.checks) kinds.add(c.kind);
    // A NestJS guard class whose code was read: what `canActivate` does replaces what its name suggests.
    if (s?.summary.nestGuard) {
      kinds = new Set(s.summary.nestGuard.kinds);
      reason = s.summary.nestGuard.reason;
    }
  }
  return [...kinds].map((kind) => ({ kind, name: ref.name, scope, path: file, line: ref.line, ...(reason ? { reason } : {}) }));
}

interface AppliedGuard {
  guard: Guard;
  unless?: string[];
}

function applies(g: AppliedGuard, fullPath: string): boolean {
  if (!g.unless) return true;
  return !g.unless.some((u) => {
    if (u.startsWith('re:')) {
      try {
        return new RegExp(u.slice(3)).test(fullPath);
      } catch {
        return false;
      }
    }
    return u === fullPath;
  });
}

function prefixCovers(usePrefix: string, path: string): boolean {
  if (!usePrefix || usePrefix === '/') return true;
  const p = joinPaths(usePrefix);
  const q = joinPaths(path);
  return q === p || q.startsWith(`${p}/`);
}

function handlerInfo(route: JsRouteFact, file: string, index: ModuleIndex): { summary?: JsFunctionSummary; file: string } {
  if (route.handler?.summary) return { summary: route.handler.summary, file };
  if (route.handler?.ref) {
    const s = index.summary(file, route.handler.ref);
    if (s) return { summary: s.summary, file: s.file };
  }
  return { file };
}

/** A summary's checks as handler-scope guards. */
function handlerGuards(summary: JsFunctionSummary | undefined, file: string): Guard[] {
  return (summary?.checks ?? []).map((c) => ({ kind: c.kind, name: c.name, scope: 'handler' as const, path: file, line: c.line }));
}

/** `auth.optional` on the route: authentication is optional there by decision. */
function optionalAuthOptOuts(route: JsRouteFact, file: string, index: ModuleIndex): string[] {
  return route.guards.some((g) => g.optionalAuth || (g.ref && index.summary(file, g.ref)?.summary.optionalAuth)) ? ['optional-auth'] : [];
}

function makeEndpoint(route: JsRouteFact, file: string, fullPath: string, applied: AppliedGuard[], index: ModuleIndex, extraOptOuts: string[] = []): Endpoint {
  const h = handlerInfo(route, file, index);
  extraOptOuts = [...extraOptOuts, ...optionalAuthOptOuts(route, file, index)];
  const guards = [
    ...applied.filter((g) => applies(g, fullPath)).map((g) => g.guard),
    ...route.guards.flatMap((g) => toGuards(g, file, 'route', index)),
    ...handlerGuards(h.summary, h.file),
  ];
  const endpoint: Endpoint = {
    framework: route.framework,
    methods: route.methods,
    path: fullPath,
    file,
    range: route.range,
    guards: dedupe(guards),
    optOuts: [...new Set([...extraOptOuts, ...route.optOuts])],
  };
  if (route.handler) {
    endpoint.handler = { file: h.file, range: route.handler.range };
    const name = route.handler.name ?? h.summary?.name;
    if (name && name !== 'handler' && name !== 'inline') endpoint.handler.name = name;
  }
  if (h.summary) {
    const facts: NonNullable<Endpoint['handlerFacts']> = { ownership: h.summary.ownership, verifiesSignature: h.summary.verifiesSignature };
    if (h.summary.access) facts.recordAccess = { ...h.summary.access };
    if (h.summary.signals) facts.signals = [...h.summary.signals];
    if (h.summary.capabilityNames) facts.capabilityNames = [...h.summary.capabilityNames];
    endpoint.handlerFacts = facts;
  }
  return endpoint;
}

function dedupe(guards: Guard[]): Guard[] {
  const seen = new Set<string>();
  return guards.filter((g) => {
    const key = `${g.kind}\0${g.name}\0${g.scope}\0${g.path}\0${g.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function resolveRouters(index: ModuleIndex, endpoints: Endpoint[], apps: HttpApp[]): void {
  const visited = new Set<string>();
  const targeted = new Set<string>();
  const targetOf = (file: JsFile, use: JsUseFact): { file: JsFile; scope: JsScopeFact } | null => {
    if (!use.target) return null;
    if ('local' in use.target) {
      const id = use.target.local;
      const scope = file.routes.scopes.find((s) => s.id === id);
      return scope ? { file, scope } : null;
    }
    return index.scope(file.path, use.target.ref);
  };
  for (const f of index.list())
    for (const u of f.routes.uses) {
      const t = targetOf(f, u);
      if (t) targeted.add(`${t.file.path}#${t.scope.id}`);
    }

  const visit = (
    file: JsFile,
    scope: JsScopeFact,
    prefix: string,
    inherited: AppliedGuard[],
    stack: string[],
    unmounted: boolean,
    framework = scope.framework,
  ): void => {
    const key = `${file.path}#${scope.id}`;
    if (stack.includes(key)) return;
    visited.add(key);
    const full = joinPaths(prefix, scope.prefix);
    const guardScope: GuardScope = scope.kind === 'app' ? 'app' : 'router';
    const uses = file.routes.uses.filter((u) => u.scope === scope.id).sort((a, b) => a.order - b.order);
    const middlewareBefore = (order: number, path: string): AppliedGuard[] => {
      const out: AppliedGuard[] = [];
      for (const u of uses) {
        if (u.order >= order || !prefixCovers(u.prefix, path)) continue;
        if (u.target && targetOf(file, u)) continue;
        for (const g of u.guards) for (const guard of toGuards(g, file.path, guardScope, index)) out.push(g.unless ? { guard, unless: g.unless } : { guard });
        // a relative import that is not a router: a middleware defined in another file
        if (u.target && 'ref' in u.target && u.guards.length === 0) {
          for (const guard of toGuards(
            { kinds: [], name: u.target.ref.name === 'default' ? u.target.ref.module : u.target.ref.name, line: u.line, ref: u.target.ref },
            file.path,
            guardScope,
            index,
          ))
            out.push({ guard });
        }
      }
      return out;
    };
    for (const route of file.routes.routes.filter((r) => r.scope === scope.id)) {
      const path = joinPaths(full, route.path);
      const e = makeEndpoint({ ...route, framework }, file.path, path, [...inherited, ...middlewareBefore(route.order, route.path)], index);
      if (unmounted) e.unmounted = true;
      endpoints.push(e);
    }
    for (const u of uses) {
      const t = targetOf(file, u);
      if (!t) continue;
      const own = u.guards.flatMap((g) =>
        toGuards(g, file.path, guardScope, index).map((guard): AppliedGuard => (g.unless ? { guard, unless: g.unless } : { guard })),
      );
      visit(t.file, t.scope, joinPaths(full, u.prefix), [...inherited, ...middlewareBefore(u.order, u.prefix), ...own], [...stack, key], unmounted, framework);
    }
  };

  const appScopes: Array<{ file: JsFile; scope: JsScopeFact }> = [];
  // An app mounted into another app (koa-mount, `app.use('/v1', subApp)`) is reached through its parent, under the prefix.
  // A parameter-default app (`init(app = new Koa())`) is the real app passed in by a caller, when the project has one.
  const realApps = new Set<string>();
  for (const f of index.list())
    for (const s of f.routes.scopes) if (s.kind === 'app' && !s.parameterDefault && !targeted.has(`${f.path}#${s.id}`)) realApps.add(s.framework);
  const standsIn = (s: JsScopeFact): boolean => s.kind === 'app' && s.parameterDefault === true && realApps.has(s.framework);
  for (const f of index.list())
    for (const s of f.routes.scopes) if (s.kind === 'app' && !standsIn(s) && !targeted.has(`${f.path}#${s.id}`)) appScopes.push({ file: f, scope: s });
  for (const { file, scope } of appScopes) {
    visit(file, scope, '', [], [], false);
    const guards = file.routes.uses
      .filter((u) => u.scope === scope.id && !u.prefix && !(u.target && targetOf(file, u)))
      .flatMap((u) => u.guards.flatMap((g) => toGuards(g, file.path, 'app', index)));
    apps.push({ framework: scope.framework, file: file.path, range: scope.range, guards: dedupe(guards) });
  }
  // Routers and plugins never seen mounted: listed with their own paths, under the app's unconditional guards.
  for (const f of index.list()) {
    for (const s of f.routes.scopes) {
      const key = `${f.path}#${s.id}`;
      if ((s.kind === 'app' && !standsIn(s)) || visited.has(key) || targeted.has(key)) continue;
      if (!f.routes.routes.some((r) => r.scope === s.id) && !f.routes.uses.some((u) => u.scope === s.id && u.target)) continue;
      const app = appScopes.find((a) => a.scope.framework === s.framework) ?? appScopes[0];
      const inherited: AppliedGuard[] = app
        ? app.file.routes.uses
            .filter((u) => u.scope === app.scope.id && !u.prefix && !(u.target && targetOf(app.file, u)))
            .flatMap((u) =>
              u.guards.flatMap((g) =>
                toGuards(g, app.file.path, 'app', index).map((guard): AppliedGuard => (g.unless ? { guard, unless: g.unless } : { guard })),
              ),
            )
        : [];
      visit(f, s, '', inherited, [], true, app?.scope.framework ?? s.framework);
    }
  }
}

function nestFilterMatches(f: JsNestRouteFilter, controller: string, path: string, method: string): boolean {
  if (f.controller) return f.controller === controller;
  if (f.method && !/ALL$/.test(f.method) && !f.method.endsWith(method)) return false;
  if (f.path === undefined) return true;
  const pattern = joinPaths(f.path)
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\\(\.\*\\\)|\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(path) || new RegExp(`^${pattern}$`).test(path.replace(/:[^/]+/g, (m) => m));
}

function resolveNest(index: ModuleIndex, endpoints: Endpoint[], apps: HttpApp[]): void {
  const files = index.list();
  const globals: Guard[] = [];
  const middleware: Array<{ file: string; guards: JsGuardRef[]; forRoutes: JsNestRouteFilter[]; exclude: JsNestRouteFilter[] }> = [];
  let prefix = '';
  let exclude: string[] = [];
  let versioning: NonNullable<JsRoutes['nest']>['uriVersioning'];
  for (const f of files) {
    const nest = f.routes.nest;
    if (!nest) continue;
    for (const g of nest.globalGuards) globals.push(...toGuards(g, f.path, 'app', index));
    if (nest.globalPrefix) prefix = nest.globalPrefix;
    if (nest.globalPrefixExclude) exclude = nest.globalPrefixExclude;
    if (nest.uriVersioning) versioning = nest.uriVersioning;
    for (const m of nest.middleware) middleware.push({ file: f.path, ...m });
  }
  for (const f of files) {
    if (f.routes.nest?.app) apps.push({ framework: 'nestjs', file: f.path, range: f.routes.nest.app, guards: dedupe(globals) });
    for (const route of f.routes.routes) {
      if (route.framework !== 'nestjs' || !route.controller) continue;
      const ctl = route.controller;
      const local = joinPaths(ctl.prefix, route.path);
      const mw = middleware.filter(
        (m) =>
          m.forRoutes.some((r) => nestFilterMatches(r, ctl.name, local, route.methods[0]!)) &&
          !m.exclude.some((r) => nestFilterMatches(r, ctl.name, local, route.methods[0]!)),
      );
      const applied: AppliedGuard[] = [
        ...globals.map((guard) => ({ guard })),
        ...mw.flatMap((m) => m.guards.flatMap((g) => toGuards(g, m.file, 'app', index))).map((guard) => ({ guard })),
        ...ctl.guards.flatMap((g) => toGuards(g, f.path, 'controller', index)).map((guard) => ({ guard })),
      ];
      // `/api` + `/v1` (URI versioning) + controller + route; paths excluded from the global prefix keep none.
      const version = versioning ? (route.version ?? ctl.version ?? versioning.defaultVersion) : undefined;
      const versioned = version !== undefined && version !== '' ? joinPaths(`${versioning!.prefix}${version}`, local) : local;
      const excluded = exclude.includes(local.replace(/^\/+/, '').replace(/\/+$/, ''));
      endpoints.push(makeEndpoint(route, f.path, joinPaths(excluded ? '' : prefix, versioned), applied, index, ctl.optOuts));
    }
  }
}

/** A Next.js matcher (`/dashboard/:path*`, `/((?!api|_next).*)`) as a regular expression. */
export function nextMatcher(pattern: string): RegExp | null {
  const source = pattern
    .replace(/\/:(\w+)\*/g, '(?:/.*)?')
    .replace(/\/:(\w+)\+/g, '/.+')
    .replace(/:(\w+)(?!\()/g, '[^/]+');
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return null;
  }
}

function resolveNext(index: ModuleIndex, endpoints: Endpoint[], apps: HttpApp[]): void {
  const files = index.list();
  const mw = files.find((f) => f.routes.nextMiddleware);
  const mwGuards = mw ? mw.routes.nextMiddleware!.guards.flatMap((g) => toGuards(g, mw.path, 'app', index)) : [];
  const matchers = mw ? mw.routes.nextMiddleware!.matcher.map(nextMatcher) : [];
  const covered = (path: string) => matchers.length === 0 || matchers.some((m) => m === null || m.test(path));
  const config = files.find((f) => f.routes.nextConfig);
  if (config)
    apps.push({ framework: 'nextjs', file: config.path, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, guards: dedupe(mwGuards) });
  for (const f of files) {
    for (const route of f.routes.routes) {
      if (route.framework !== 'nextjs') continue;
      const applied = covered(route.path) ? mwGuards.map((guard) => ({ guard })) : [];
      endpoints.push(makeEndpoint(route, f.path, route.path, applied, index));
    }
  }
}

export function resolveJsEndpoints(files: readonly FileFacts[]): { endpoints: Endpoint[]; apps: HttpApp[] } {
  const index = new ModuleIndex(files);
  const endpoints: Endpoint[] = [];
  const apps: HttpApp[] = [];
  resolveRouters(index, endpoints, apps);
  resolveNest(index, endpoints, apps);
  resolveNext(index, endpoints, apps);
  // A route module mounted on two apps (the app and a test app) is one endpoint in the inventory.
  const seen = new Set<string>();
  const unique = endpoints.filter((e) => {
    const key = `${e.file}\0${e.range.start.line}:${e.range.start.column}\0${e.methods.join(',')}\0${e.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  markPublicByDesign(unique);
  return { endpoints: unique, apps };
}
