import type { Endpoint, Guard, HttpApp } from '../../../model/endpoints.js';
import {
  AppObjects,
  bodyGuards,
  type AppObject,
  calleeName,
  findClass,
  decoratorGuards,
  guardsOfName,
  HTTP_METHOD_DECORATORS,
  joinPaths,
  lastSegment,
  makeEndpoint,
  methodsOf,
  pathValue,
} from './common.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyCall, PyFunction, PyValue } from '../../../model/py-routes.js';

/**
 * Flask: `Flask()` apps and `Blueprint()`s, `@x.route`/`@x.get`…, `add_url_rule` (functions and MethodView
 * classes), `register_blueprint(url_prefix=)` across files, `before_request` hooks, decorators
 * (flask-login, flask-jwt-extended, flask-httpauth, Flask-Security, flask-limiter) and Flask-Limiter defaults.
 */

type FlaskObject = AppObject<'app' | 'blueprint'>;

interface Registration {
  parent: FlaskObject;
  prefix: string | null;
  line: number;
}

const HOOK_DECORATORS = new Set(['before_request', 'before_app_request']);
const VIEW_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export class FlaskResolver {
  private readonly objects: AppObjects<'app' | 'blueprint'>;
  private readonly registrations = new Map<string, Registration[]>();
  private readonly hooks = new Map<string, Guard[]>();
  private readonly appWideHooks: Guard[] = [];

  constructor(
    private readonly modules: PyModules,
    private readonly constants: Map<string, string | null>,
  ) {
    this.objects = new AppObjects(modules, { Flask: 'app', Blueprint: 'blueprint' });
    for (const file of modules.files) {
      for (const call of file.routes.calls) {
        const last = lastSegment(call.callee);
        const owner = this.objects.owner(file, call.callee);
        if (last === 'register_blueprint' && owner && call.args[0]) {
          const child = this.object(file, calleeName(call.args[0]));
          if (child) this.push(this.registrations, child.key, { parent: owner, prefix: pathValue(call.kwargs['url_prefix'], constants), line: call.line });
        }
        if (HOOK_DECORATORS.has(last) && owner && call.args[0]) {
          const target = modules.resolve(file, calleeName(call.args[0]));
          const fn = target?.kind === 'symbol' ? target.file.routes.functions.find((f) => f.name === target.name) : undefined;
          if (fn) this.addHook(owner, last, fn, file.facts.path);
        }
      }
      for (const fn of file.routes.functions) {
        for (const d of fn.decorators) {
          const name = calleeName(d);
          const last = lastSegment(name);
          const owner = HOOK_DECORATORS.has(last) ? this.object(file, name.slice(0, name.lastIndexOf('.'))) : null;
          if (owner) this.addHook(owner, last, fn, file.facts.path);
        }
      }
    }
  }

  private push<T>(map: Map<string, T[]>, key: string, value: T): void {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  }

  /** A hook's guards: what its body checks and what its own decorators say. */
  private addHook(owner: FlaskObject, hook: string, fn: PyFunction, path: string): void {
    const scope = owner.kind === 'app' || hook === 'before_app_request' ? 'app' : 'router';
    const label = `${owner.name}.${hook} ${fn.name}`;
    const guards: Guard[] = fn.checks.map((c) => ({ kind: c.kind, name: label, scope, path, line: fn.line }));
    for (const d of fn.decorators)
      if (!HOOK_DECORATORS.has(lastSegment(calleeName(d)))) guards.push(...guardsOfName(calleeName(d), scope, path, fn.line, undefined, label));
    if (hook === 'before_app_request') this.appWideHooks.push(...guards);
    else for (const g of guards) this.push(this.hooks, owner.key, g);
  }

  object(file: PyFile, dotted: string): FlaskObject | null {
    return this.objects.find(file, dotted);
  }

  apps(): HttpApp[] {
    return this.objects
      .all()
      .filter((o) => o.kind === 'app')
      .map((o) => ({ framework: 'flask', file: o.file.facts.path, range: o.call.range, guards: this.appGuards(o) }));
  }

  /** App hooks, and Flask-Limiter with `default_limits` bound to the app (`Limiter(app=…)` or `init_app(app)`). */
  private appGuards(app: FlaskObject): Guard[] {
    const guards = [...(this.hooks.get(app.key) ?? []), ...this.appWideHooks];
    for (const file of this.modules.files) {
      for (const call of file.routes.calls) {
        const last = lastSegment(call.callee);
        let limiter: PyCall | undefined;
        if (last === 'Limiter' && call.kwargs['app'] && this.object(file, calleeName(call.kwargs['app'])) === app) limiter = call;
        if (last === 'init_app' && call.args[0] && this.object(file, calleeName(call.args[0])) === app) {
          const owner = call.callee.slice(0, call.callee.lastIndexOf('.'));
          const target = this.modules.resolve(file, owner);
          limiter =
            target?.kind === 'symbol' ? target.file.routes.calls.find((c) => c.assignedTo === target.name && lastSegment(c.callee) === 'Limiter') : undefined;
        }
        if (limiter && (limiter.kwargs['default_limits'] || limiter.kwargs['application_limits']))
          guards.push({ kind: 'rate-limit', name: 'Limiter(default_limits)', scope: 'app', path: file.facts.path, line: call.line });
      }
    }
    return guards;
  }

  endpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const r of this.objects.routeDecorators('route')) {
      const rule = pathValue(r.path, this.constants) ?? '';
      out.push(...this.build(r.owner, r.methods, rule, r.file, r.range, r.file, r.fn, this.functionGuards(r.fn, r.file), [r.fn]));
    }
    for (const file of this.modules.files) {
      for (const call of file.routes.calls) {
        if (lastSegment(call.callee) !== 'add_url_rule') continue;
        const owner = this.objects.owner(file, call.callee);
        const view = call.kwargs['view_func'] ?? call.args[2];
        if (!owner || !view) continue;
        out.push(...this.urlRule(owner, file, call, view));
      }
    }
    return out;
  }

  /** A view function's guards: its decorators (by name or body) and its body's checks. */
  functionGuards(fn: PyFunction, file: PyFile): { guards: Guard[]; optOuts: string[] } {
    const path = file.facts.path;
    const optOuts: string[] = [];
    const guards: Guard[] = [];
    for (const d of fn.decorators) {
      const name = calleeName(d);
      const last = lastSegment(name);
      if (last === 'route' || HTTP_METHOD_DECORATORS.has(last)) continue;
      guards.push(...decoratorGuards(this.modules, file, d, 'route', fn.line, optOuts));
    }
    guards.push(...bodyGuards(fn, path));
    return { guards, optOuts };
  }

  /** `add_url_rule(rule, endpoint, view_func)`: a function, or `MethodView.as_view('name')`. */
  private urlRule(owner: FlaskObject, file: PyFile, call: PyCall, view: PyValue): Endpoint[] {
    const rule = pathValue(call.args[0] ?? call.kwargs['rule'], this.constants) ?? '';
    const explicit = methodsOf(call.kwargs['methods']);
    const asView = view.call && lastSegment(view.call.callee) === 'as_view' ? view.call.callee.slice(0, view.call.callee.lastIndexOf('.')) : null;
    const target = this.modules.resolve(file, asView ?? calleeName(view));
    if (target?.kind !== 'symbol') return this.build(owner, explicit ?? ['GET'], rule, file, call.range, file, undefined, { guards: [], optOuts: [] }, []);
    if (!asView) {
      const fn = target.file.routes.functions.find((f) => f.name === target.name && f.topLevel);
      return this.build(
        owner,
        explicit ?? ['GET'],
        rule,
        file,
        call.range,
        target.file,
        fn,
        fn ? this.functionGuards(fn, target.file) : { guards: [], optOuts: [] },
        [fn],
      );
    }
    const cls = findClass(target.file, target.name);
    const path = target.file.facts.path;
    const methods = cls?.methods.filter((m) => VIEW_METHODS.includes(m)).map((m) => m.toUpperCase()) ?? [];
    const guards: Guard[] = [];
    const optOuts: string[] = [];
    for (const d of cls?.attrs['decorators']?.items ?? []) guards.push(...guardsOfName(calleeName(d), 'controller', path, cls!.line, optOuts, d.text));
    for (const m of target.file.routes.functions.filter((f) => f.className === target.name)) guards.push(...this.functionGuards(m, target.file).guards);
    const handler = cls ? { name: cls.name, range: cls.range } : undefined;
    return this.build(owner, explicit ?? (methods.length > 0 ? methods : ['GET']), rule, file, call.range, target.file, handler, { guards, optOuts }, [
      ...target.file.routes.functions.filter((f) => f.className === target.name),
      ...this.graphqlMiddleware(file, view),
    ]);
  }

  /**
   * `GraphQLView.as_view(…, middleware=[AuthMiddleware()])` (or a list variable of this module): each project
   * middleware class's `resolve` runs before every query, so its body decides access like the view's own.
   */
  private graphqlMiddleware(file: PyFile, view: PyValue): PyFunction[] {
    let list = view.call?.kwargs['middleware'];
    if (list?.dotted && !list.items) list = file.routes.assignments.find((a) => a.name === list!.dotted && !a.augmented)?.value;
    const out: PyFunction[] = [];
    for (const item of list?.items ?? []) {
      const target = item.call ? this.modules.resolve(file, item.call.callee) : null;
      if (target?.kind !== 'symbol') continue;
      const resolve = target.file.routes.functions.find((f) => f.className === target.name && f.name === 'resolve');
      const authz = resolve?.handler?.clientAuthz;
      // Only what decides access is taken over; the check is reported where it is written.
      if (resolve && authz)
        out.push({ ...resolve, handler: { ownership: false, verifiesSignature: false, clientAuthz: { ...authz, path: target.file.facts.path } } });
    }
    return out;
  }

  build(
    owner: FlaskObject,
    methods: string[],
    rule: string,
    declFile: PyFile,
    range: Endpoint['range'],
    handlerFile: PyFile,
    fn: { name: string; range: Endpoint['range'] } | undefined,
    route: { guards: Guard[]; optOuts: string[] },
    bodies: Array<PyFunction | undefined>,
  ): Endpoint[] {
    return this.chains(owner, new Set()).map((chain) =>
      makeEndpoint(
        'flask',
        methods,
        joinPaths(chain.prefix, rule),
        declFile.facts.path,
        range,
        [...chain.guards, ...route.guards],
        route.optOuts,
        { file: handlerFile.facts.path, fn },
        { bodies, unmounted: chain.unmounted },
      ),
    );
  }

  /** Prefixes and guards from a blueprint up through its registrations to the app. */
  private chains(obj: FlaskObject, seen: Set<string>): Array<{ prefix: string; guards: Guard[]; unmounted: boolean }> {
    const own = obj.kind === 'app' ? this.appGuards(obj) : (this.hooks.get(obj.key) ?? []);
    const ownPrefix = obj.kind === 'blueprint' ? (pathValue(obj.call.kwargs['url_prefix'], this.constants) ?? '') : '';
    const regs = seen.has(obj.key) ? [] : (this.registrations.get(obj.key) ?? []);
    if (regs.length === 0)
      return [{ prefix: ownPrefix, guards: obj.kind === 'blueprint' ? [...own, ...this.appWideHooks] : own, unmounted: obj.kind === 'blueprint' }];
    const next = new Set(seen).add(obj.key);
    return regs.flatMap((r) =>
      this.chains(r.parent, next).map((c) => ({ prefix: joinPaths(c.prefix, r.prefix ?? ownPrefix), guards: [...c.guards, ...own], unmounted: c.unmounted })),
    );
  }
}
