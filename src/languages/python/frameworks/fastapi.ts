import type { Endpoint, Guard, GuardKind, HttpApp } from '../../../model/endpoints.js';
import { classifyGuardName } from '../tables/guards.js';
import {
  AppObjects,
  bodyGuards,
  type AppObject,
  calleeName,
  findClass,
  findFunction,
  guardsOfName,
  HTTP_METHOD_DECORATORS,
  joinPaths,
  lastSegment,
  makeEndpoint,
  methodsOf,
  pathValue,
  resolveDefinition,
} from './common.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyCall, PyClass, PyFunction, PyValue } from '../../../model/py-routes.js';

/**
 * FastAPI: `FastAPI()` apps and `APIRouter()` routers, route decorators, `include_router(prefix=,
 * dependencies=)` across files, and `Depends`/`Security` dependencies classified by name and by what the
 * dependency function does when it is in the project.
 */

type RouterObject = AppObject<'app' | 'router'>;

interface Mount {
  parent: RouterObject;
  prefix: string;
  guards: Guard[];
}

// Factories wrap dependencies that wrap aliases (polar: alias → instance → factory → closure → alias → …).
const MAX_DEPENDENCY_DEPTH = 8;

export class FastApiResolver {
  private readonly objects: AppObjects<'app' | 'router'>;
  private readonly mounts = new Map<string, Mount[]>();

  constructor(
    private readonly modules: PyModules,
    private readonly constants: Map<string, string | null>,
  ) {
    this.objects = new AppObjects(modules, { FastAPI: 'app', APIRouter: 'router' });
    for (const file of modules.files) {
      for (const call of file.routes.calls) {
        if (lastSegment(call.callee) !== 'include_router') continue;
        const parent = this.objects.owner(file, call.callee);
        const childArg = call.args[0];
        const child = parent && childArg ? this.object(file, calleeName(childArg)) : null;
        if (!parent || !child) continue;
        const guards = this.dependencyList(file, call.kwargs['dependencies'], 'router', call.line);
        const list = this.mounts.get(child.key) ?? [];
        list.push({ parent, prefix: pathValue(call.kwargs['prefix'], this.constants) ?? '', guards });
        this.mounts.set(child.key, list);
      }
    }
    for (const file of modules.files) for (const call of file.routes.calls) this.helperMounts(file, call);
  }

  /**
   * `add_versioned_routers(app, router, …)`: a project function that calls `app_param.include_router(router_param)`
   * mounts the router passed for one parameter on the app passed for the other.
   */
  private helperMounts(file: PyFile, call: PyCall): void {
    if (lastSegment(call.callee) === 'include_router' || !/_routers?$/.test(call.callee)) return;
    const def = resolveDefinition(this.modules, file, call.callee);
    if (!def?.fn) return;
    const fn = def.fn;
    const argument = (name: string): PyValue | undefined => {
      const i = fn.params.findIndex((p) => p.name === name);
      return call.kwargs[name] ?? (i >= 0 ? call.args[i] : undefined);
    };
    for (const inner of def.file.routes.calls) {
      if (inner.line <= fn.range.start.line || inner.line > fn.range.end.line || lastSegment(inner.callee) !== 'include_router') continue;
      const parentArg = argument(inner.callee.slice(0, inner.callee.lastIndexOf('.')));
      const childArg = inner.args[0]?.dotted ? argument(inner.args[0].dotted) : undefined;
      const parent = parentArg ? this.object(file, calleeName(parentArg)) : null;
      const child = childArg ? this.object(file, calleeName(childArg)) : null;
      if (!parent || !child) continue;
      const guards = this.dependencyList(def.file, inner.kwargs['dependencies'], 'router', call.line);
      const list = this.mounts.get(child.key) ?? [];
      list.push({ parent, prefix: pathValue(inner.kwargs['prefix'], this.constants) ?? '', guards });
      this.mounts.set(child.key, list);
    }
  }

  object(file: PyFile, dotted: string): RouterObject | null {
    return this.objects.find(file, dotted);
  }

  apps(): HttpApp[] {
    return this.objects
      .all()
      .filter((o) => o.kind === 'app')
      .map((o) => ({ framework: 'fastapi', file: o.file.facts.path, range: o.call.range, guards: this.appGuards(o) }));
  }

  private appGuards(app: RouterObject): Guard[] {
    const path = app.file.facts.path;
    const guards = this.dependencyList(app.file, app.call.kwargs['dependencies'], 'app', app.call.line);
    for (const call of app.file.routes.calls) {
      if (call.callee !== `${app.name}.add_middleware` || !call.args[0]) continue;
      const name = calleeName(call.args[0]);
      const cls = this.modules.resolve(app.file, name);
      const methods = cls?.kind === 'symbol' ? cls.file.routes.functions.filter((f) => f.className === cls.name) : [];
      // A project middleware is judged by its body: `AuthSubjectMiddleware` that loads the caller and lets
      // anonymous requests on rejects nobody. Its name still says whether it limits the rate.
      const named = guardsOfName(name, 'app', path, call.line);
      guards.push(...(methods.length > 0 ? named.filter((g) => g.kind === 'rate-limit') : named));
      for (const m of methods) guards.push(...m.checks.map((c) => ({ kind: c.kind, name, scope: 'app' as const, path, line: call.line })));
      // `app.add_middleware(rate_limit.get_middleware, …)`: a factory that returns the middleware (`RateLimitMiddleware(app, …)`).
      const factory = cls?.kind === 'symbol' ? findFunction(cls.file, cls.name) : undefined;
      for (const returned of factory?.returns ?? [])
        for (const g of guardsOfName(returned, 'app', path, call.line)) guards.push({ ...g, name: `${name} (returns ${returned})` });
    }
    for (const fn of app.file.routes.functions) {
      if (fn.decorators.some((d) => d.call?.callee === `${app.name}.middleware`))
        guards.push(...fn.checks.map((c) => ({ kind: c.kind, name: `@${app.name}.middleware ${fn.name}`, scope: 'app' as const, path, line: fn.line })));
    }
    return guards;
  }

  endpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const r of this.objects.routeDecorators('api_route')) {
      const route = pathValue(r.path, this.constants) ?? '';
      out.push(...this.routeEndpoints(r.file, r.fn, r.owner, r.methods, route, r.call.kwargs['dependencies'], r.fn.line, r.file, r.range));
    }
    for (const file of this.modules.files) {
      for (const call of file.routes.calls) {
        if (lastSegment(call.callee) !== 'add_api_route') continue;
        const owner = this.objects.owner(file, call.callee);
        const handlerArg = call.args[1] ?? call.kwargs['endpoint'];
        const target = handlerArg ? this.modules.resolve(file, calleeName(handlerArg)) : null;
        const fn = target?.kind === 'symbol' ? findFunction(target.file, target.name) : undefined;
        if (!owner) continue;
        const route = pathValue(call.args[0] ?? call.kwargs['path'], this.constants) ?? '';
        out.push(
          ...this.routeEndpoints(
            target?.kind === 'symbol' && fn ? target.file : file,
            fn,
            owner,
            methodsOf(call.kwargs['methods']) ?? ['GET'],
            route,
            call.kwargs['dependencies'],
            call.line,
            file,
            call.range,
          ),
        );
      }
    }
    return out;
  }

  private routeEndpoints(
    file: PyFile,
    fn: PyFunction | undefined,
    owner: RouterObject,
    methods: string[],
    route: string,
    dependencies: PyValue | undefined,
    line: number,
    declFile: PyFile = file,
    declRange = fn?.range,
  ): Endpoint[] {
    const path = file.facts.path;
    const routeGuards: Guard[] = [...this.dependencyList(declFile, dependencies, 'route', line)];
    const optOuts: string[] = [];
    if (fn) {
      for (const d of fn.decorators) {
        if (d.call && (HTTP_METHOD_DECORATORS.has(lastSegment(d.call.callee)) || lastSegment(d.call.callee) === 'api_route')) continue;
        routeGuards.push(...guardsOfName(calleeName(d), 'route', path, fn.line, optOuts, `@${d.text}`));
      }
      for (const p of fn.params) routeGuards.push(...this.parameterGuards(file, p.annotation, p.default, 'route', fn.line, 0));
      for (const p of fn.params) routeGuards.push(...this.modelGuard(file, p.annotation, fn.line));
      routeGuards.push(...bodyGuards(fn, path));
    }
    const out: Endpoint[] = [];
    for (const chain of this.chains(owner, new Set())) {
      const full = joinPaths(chain.prefix, route);
      out.push(
        makeEndpoint(
          'fastapi',
          methods,
          full,
          declFile.facts.path,
          declRange ?? owner.call.range,
          [...chain.guards, ...routeGuards],
          optOuts,
          fn ? { file: path, fn } : undefined,
          { bodies: [fn], unmounted: chain.unmounted },
        ),
      );
    }
    return out;
  }

  /** A body parameter typed with a Pydantic model (`order: OrderIn`): FastAPI validates it before the handler runs (422). */
  private modelGuard(file: PyFile, annotation: PyValue | undefined, line: number): Guard[] {
    const dotted = annotation?.dotted ?? (annotation?.subscript?.value === 'Annotated' ? annotation.subscript.items[0]?.dotted : undefined);
    if (!dotted || !this.isModel(file, dotted, 0)) return [];
    return [{ kind: 'validation', name: `Pydantic model ${lastSegment(dotted)}`, scope: 'route', path: file.facts.path, line }];
  }

  private isModel(file: PyFile, dotted: string, depth: number): boolean {
    if (depth > 4) return false;
    if (/^(?:BaseModel|SQLModel|Schema|RootModel)$/.test(lastSegment(dotted)) && depth > 0) return true;
    const def = resolveDefinition(this.modules, file, dotted);
    if (!def?.cls) return false;
    return def.cls.bases.some((b) => this.isModel(def.file, calleeName(b), depth + 1));
  }

  /** Every way a router is reachable: prefixes and guards from its own declaration up to the app. */
  private chains(obj: RouterObject, seen: Set<string>): Array<{ prefix: string; guards: Guard[]; unmounted: boolean }> {
    const own = obj.kind === 'app' ? this.appGuards(obj) : this.dependencyList(obj.file, obj.call.kwargs['dependencies'], 'router', obj.call.line);
    const ownPrefix = obj.kind === 'router' ? (pathValue(obj.call.kwargs['prefix'], this.constants) ?? '') : '';
    const mounts = seen.has(obj.key) ? [] : (this.mounts.get(obj.key) ?? []);
    if (mounts.length === 0) return [{ prefix: ownPrefix, guards: own, unmounted: obj.kind === 'router' }];
    const next = new Set(seen).add(obj.key);
    return mounts.flatMap((m) =>
      this.chains(m.parent, next).map((c) => ({
        prefix: joinPaths(c.prefix, m.prefix, ownPrefix),
        guards: [...c.guards, ...m.guards, ...own],
        unmounted: c.unmounted,
      })),
    );
  }

  /** `dependencies=[Depends(a), Security(b, scopes=[…])]`. */
  private dependencyList(file: PyFile, list: PyValue | undefined, scope: Guard['scope'], line: number): Guard[] {
    return (list?.items ?? []).flatMap((d) => this.dependencyGuards(file, d, scope, line, 0));
  }

  /** A parameter's `= Depends(f)`, `Annotated[T, Depends(f)]` or an alias of one (`current_user: CurrentUser`). */
  private parameterGuards(
    file: PyFile,
    annotation: PyValue | undefined,
    fallback: PyValue | undefined,
    scope: Guard['scope'],
    line: number,
    depth: number,
  ): Guard[] {
    const out: Guard[] = [];
    if (fallback?.call) out.push(...this.dependencyGuards(file, fallback, scope, line, depth));
    if (annotation?.subscript && lastSegment(annotation.subscript.value) === 'Annotated') {
      for (const item of annotation.subscript.items.slice(1)) out.push(...this.dependencyGuards(file, item, scope, line, depth));
    } else if (annotation?.dotted && depth <= MAX_DEPENDENCY_DEPTH) {
      const target = this.modules.resolve(file, annotation.dotted);
      const alias = target?.kind === 'symbol' ? target.file.routes.assignments.find((a) => a.name === target.name && a.value.subscript) : undefined;
      if (target && alias) {
        for (const g of this.parameterGuards(target.file, alias.value, undefined, scope, line, depth + 1))
          out.push({ ...g, name: `${annotation.dotted} (${g.name})`, path: file.facts.path });
      }
    }
    return out;
  }

  /** Guards of one `Depends(x)`/`Security(x)` value: by the dependency's name, then by what it does. */
  private dependencyGuards(file: PyFile, value: PyValue, scope: Guard['scope'], line: number, depth: number): Guard[] {
    const call = value.call;
    const kind = call ? lastSegment(call.callee) : '';
    if (!call || (kind !== 'Depends' && kind !== 'Security')) return [];
    const dependency = call.args[0] ?? call.kwargs['dependency'];
    if (!dependency) return [];
    const kinds = new Set<GuardKind>(this.dependencyKinds(file, dependency, depth));
    if (kind === 'Security' && call.kwargs['scopes']) {
      kinds.add('authentication');
      kinds.add('authorization');
    }
    return [...kinds].map((k) => ({ kind: k, name: value.text, scope, path: file.facts.path, line }));
  }

  private dependencyKinds(file: PyFile, dependency: PyValue, depth: number): GuardKind[] {
    // `get_current_user(required=False)`, `HTTPBearer(auto_error=False)`: anonymous callers get through.
    if (isOptional(dependency)) return [];
    const name = calleeName(dependency);
    const kinds = new Set<GuardKind>(classifyGuardName(name).kinds);
    if (depth > MAX_DEPENDENCY_DEPTH) return [...kinds];
    const target = this.modules.resolve(file, name);
    if (target?.kind === 'symbol') {
      const fn = findFunction(target.file, target.name);
      const cls = fn ? undefined : findClass(target.file, target.name);
      const instance = target.file.routes.assignments.find((a) => a.name === target.name && a.value.call)?.value.call;
      const bodies = fn ? [fn] : cls ? this.callBodies(target.file, cls, depth) : [];
      // `Depends(factory(…))`: the dependency is what the factory returns (a checker class built inside it, a closure).
      if (fn && dependency.call) bodies.push(...this.returnedBodies(target.file, fn, depth));
      // An allow-list that lets an anonymous subject through when the call lists it: authentication is optional.
      const listed = dependency.call ? argumentNames(dependency.call) : new Set<string>();
      if (bodies.some((b) => (b.passes ?? []).some((p) => listed.has(lastSegment(p)) && isAnonymousName(p)))) return [];
      for (const body of bodies) {
        for (const c of body.checks) kinds.add(c.kind);
        for (const p of body.params) for (const g of this.parameterGuards(target.file, p.annotation, p.default, 'route', 0, depth + 1)) kinds.add(g.kind);
      }
      // `Authenticator(required_scopes={Scope.orders_read})`, like `Security(f, scopes=[…])`: a rejecting dependency
      // given the scopes a token must carry also authorises.
      if (dependency.call && kinds.has('authentication') && requiresScopes(dependency.call, fn)) kinds.add('authorization');
      if (instance && !isOptional({ text: '', call: instance })) {
        const inner = this.dependencyKinds(target.file, { text: instance.callee, dotted: instance.callee, call: instance }, depth + 1);
        // `_Dep = Authenticator(allowed={Anonymous, User})`: what the instance lets through decides, not its name.
        if (inner.length === 0 && this.letsAnonymousThrough(target.file, instance, depth + 1)) return [];
        for (const k of inner) kinds.add(k);
      }
    }
    return [...kinds];
  }

  private letsAnonymousThrough(file: PyFile, call: NonNullable<PyValue['call']>, depth: number): boolean {
    const listed = argumentNames(call);
    if (![...listed].some(isAnonymousName)) return false;
    const def = resolveDefinition(this.modules, file, call.callee);
    if (!def) return false;
    const bodies = def.fn ? [def.fn, ...this.returnedBodies(def.file, def.fn, depth)] : def.cls ? this.callBodies(def.file, def.cls, depth) : [];
    return bodies.some((b) => (b.passes ?? []).some((p) => listed.has(lastSegment(p)) && isAnonymousName(p)));
  }

  /** `__call__`/`__init__` of a class used as a dependency, and of its project base classes. */
  private callBodies(file: PyFile, cls: PyClass, depth: number): PyFunction[] {
    const own = file.routes.functions.filter(
      (f) => f.className === cls.name && (f.name === '__call__' || f.name === '__init__') && f.line >= cls.range.start.line && f.line <= cls.range.end.line,
    );
    if (depth > MAX_DEPENDENCY_DEPTH) return own;
    const inherited = cls.bases.flatMap((b) => {
      const def = resolveDefinition(this.modules, file, calleeName(b));
      return def?.cls && def.cls !== cls ? this.callBodies(def.file, def.cls, depth + 1) : [];
    });
    return [...own, ...inherited];
  }

  /** What a factory returns: a class defined in it (or in its file), or a function (a closure). */
  private returnedBodies(file: PyFile, factory: PyFunction, depth: number): PyFunction[] {
    const inside = (r: { line: number }) => r.line > factory.range.start.line && r.line <= factory.range.end.line;
    return (factory.returns ?? []).flatMap((name) => {
      const cls = file.routes.classes.find((c) => c.name === name && inside(c)) ?? findClass(file, name);
      if (cls) return this.callBodies(file, cls, depth + 1);
      const imported = resolveDefinition(this.modules, file, name);
      if (imported?.cls) return this.callBodies(imported.file, imported.cls, depth + 1);
      const fn = file.routes.functions.find((f) => f.name === name && !f.className && inside(f)) ?? findFunction(file, name);
      return fn && fn !== factory ? [fn] : [];
    });
  }
}

/** Every dotted name passed to a call, inside sets, lists and tuples too (`allowed_subjects={Anonymous, User}`). */
function argumentNames(call: NonNullable<PyValue['call']>): Set<string> {
  const out = new Set<string>();
  const visit = (v: PyValue, depth: number): void => {
    if (v.dotted) out.add(lastSegment(v.dotted));
    if (depth < 3) for (const item of v.items ?? []) visit(item, depth + 1);
  };
  for (const v of [...call.args, ...Object.values(call.kwargs)]) visit(v, 0);
  return out;
}

/** A non-empty set or list passed for a `…scopes` parameter (by keyword, or by position when the factory is known). */
function requiresScopes(call: NonNullable<PyValue['call']>, factory: PyFunction | undefined): boolean {
  const given = (v: PyValue | undefined) => (v?.items?.length ?? 0) > 0;
  if (Object.entries(call.kwargs).some(([k, v]) => /scopes$/i.test(k) && given(v))) return true;
  return call.args.some((v, i) => /scopes$/i.test(factory?.params.filter((p) => p.name !== 'self')[i]?.name ?? '') && given(v));
}

/** A subject, role or user type that stands for a caller who did not sign in. */
function isAnonymousName(dotted: string): boolean {
  return /^(?:anonymous|anon|guest|unauthenticated|public)(?:_?(?:user|subject|principal|role))?$/i.test(
    lastSegment(dotted).replace(/([a-z])([A-Z])/g, '$1_$2'),
  );
}

function isOptional(v: PyValue): boolean {
  const kwargs = v.call?.kwargs ?? {};
  return kwargs['required']?.text === 'False' || kwargs['auto_error']?.text === 'False';
}
