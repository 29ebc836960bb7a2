import type { Range } from '../../../model/facts.js';
import type { Endpoint, Guard, HttpApp } from '../../../model/endpoints.js';
import { VIEWSET_ACTIONS, VIEWSET_BASE_ACTIONS } from '../tables/django-views.js';
import { calleeName, guardsOfName, joinPaths, lastSegment, makeEndpoint, methodsOf, pathValue } from './common.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyAssignment, PyCall, PyFunction, PyValue } from '../../../model/py-routes.js';
import { DjangoViews, MAX_DEPTH, classList, type ClassChain, type Settings, type ViewInfo } from './django-views.js';

/**
 * Django and Django REST framework: urls.py `path`/`re_path`/`url`/`include` from ROOT_URLCONF down,
 * function and class views, DRF routers and ViewSets, decorators, mixins, `permission_classes`, and project
 * defaults from settings (`REST_FRAMEWORK`, `MIDDLEWARE`).
 */

const URL_FUNCTIONS = new Set(['path', 're_path', 'url']);

export class DjangoResolver {
  /** One per Django project (a settings module with ROOT_URLCONF); the one being walked is `settings`. */
  private readonly projects: Settings[];
  private settings: Settings | null = null;
  private readonly out: Endpoint[] = [];

  private readonly views: DjangoViews;

  constructor(
    private readonly modules: PyModules,
    private readonly constants: Map<string, string | null> = new Map(),
  ) {
    this.projects = this.readSettings();
    this.views = new DjangoViews(modules, () => this.settings);
  }

  apps(): HttpApp[] {
    return this.projects.map((s) => ({
      framework: 'django',
      file: s.file.facts.path,
      range: s.range,
      guards: [...s.middleware, ...s.drfPermissions, ...s.drfThrottles],
    }));
  }

  /**
   * Settings modules: each file assigning ROOT_URLCONF (or, when none does, INSTALLED_APPS) is a project;
   * MIDDLEWARE and REST_FRAMEWORK also count from sibling files (split settings: base.py + production.py).
   */
  private readSettings(): Settings[] {
    const has = (f: PyFile, name: string) => f.routes.assignments.some((a) => a.name === name);
    let mains = this.modules.files.filter((f) => has(f, 'ROOT_URLCONF'));
    if (mains.length === 0) mains = this.modules.files.filter((f) => has(f, 'INSTALLED_APPS')).slice(0, 1);
    const dir = (f: PyFile) => f.facts.path.slice(0, f.facts.path.lastIndexOf('/') + 1);
    return mains.map((main) => {
      const anchor = main.routes.assignments.find((a) => a.name === 'ROOT_URLCONF') ?? main.routes.assignments.find((a) => a.name === 'INSTALLED_APPS')!;
      const settings: Settings = { file: main, range: anchor.range, middleware: [], drfPermissions: [], drfThrottles: [], loginRequiredMiddleware: false };
      const siblings = this.modules.files.filter(
        (f) => f === main || (dir(f) === dir(main) && !has(f, 'ROOT_URLCONF') && (has(f, 'MIDDLEWARE') || has(f, 'REST_FRAMEWORK'))),
      );
      for (const file of siblings) this.readSettingsFile(file, settings);
      return settings;
    });
  }

  private readSettingsFile(file: PyFile, settings: Settings): void {
    const path = file.facts.path;
    for (const a of file.routes.assignments) {
      if (a.name === 'MIDDLEWARE' || a.name === 'MIDDLEWARE_CLASSES') {
        for (const item of a.value.items ?? []) {
          if (item.str === undefined) continue;
          settings.middleware.push(...guardsOfName(item.str, 'app', path, a.line, undefined, lastSegment(item.str)));
          if (lastSegment(item.str) === 'LoginRequiredMiddleware') settings.loginRequiredMiddleware = true;
        }
      }
      if (a.name === 'REST_FRAMEWORK' && a.value.dict) {
        settings.drfPermissions.push(...classList(a.value.dict['DEFAULT_PERMISSION_CLASSES'], 'app', path, a.line, undefined, 'DEFAULT_PERMISSION_CLASSES'));
        settings.drfThrottles.push(...classList(a.value.dict['DEFAULT_THROTTLE_CLASSES'], 'app', path, a.line, undefined, 'DEFAULT_THROTTLE_CLASSES'));
      }
    }
  }

  /** Guards of a list of classes given as names or dotted strings (`[IsAuthenticated]`, `('rest_framework.permissions.IsAdminUser',)`). */

  endpoints(): Endpoint[] {
    const confs = this.modules.files.filter((f) => f.routes.assignments.some((a) => a.name === 'urlpatterns'));
    if (confs.length === 0) return [];
    const walked = new Set<string>();
    for (const project of this.projects) {
      const rootName = project.file.routes.assignments.find((a) => a.name === 'ROOT_URLCONF')?.value.str;
      const root = rootName ? this.modules.module(rootName, project.file) : null;
      if (!root || walked.has(root.facts.path)) continue;
      walked.add(root.facts.path);
      this.settings = project;
      this.walkConf(root, '', [], new Set());
    }
    // URL confs no project reaches (no settings in the scan, or a reusable app): each unincluded one is a root.
    const reached = new Set(this.out.map((e) => e.file));
    const included = new Set<string>();
    for (const conf of confs) for (const f of this.includedFiles(conf)) included.add(f);
    this.settings = this.projects.length === 1 && walked.size === 0 ? this.projects[0]! : null;
    for (const conf of confs)
      if (!included.has(conf.facts.path) && !reached.has(conf.facts.path) && !walked.has(conf.facts.path)) this.walkConf(conf, '', [], new Set());
    return this.out;
  }

  private includedFiles(conf: PyFile): string[] {
    const out: string[] = [];
    for (const a of conf.routes.assignments) {
      if (a.name !== 'urlpatterns') continue;
      for (const item of a.value.items ?? [a.value]) {
        const view = item.call && URL_FUNCTIONS.has(lastSegment(item.call.callee)) ? (item.call.args[1] ?? item.call.kwargs['view']) : undefined;
        const arg = view?.call && lastSegment(view.call.callee) === 'include' ? view.call.args[0] : undefined;
        const target = arg ? this.includeTarget(conf, arg) : null;
        if (target && 'file' in target) out.push(target.file.facts.path);
      }
    }
    return out;
  }

  private patternsOf(file: PyFile, name = 'urlpatterns'): Array<{ value: PyValue; range: Range }> {
    const out: Array<{ value: PyValue; range: Range }> = [];
    for (const a of file.routes.assignments) if (a.name === name) out.push(...this.itemsOf(a));
    return out;
  }

  private itemsOf(a: PyAssignment): Array<{ value: PyValue; range: Range }> {
    const items = a.value.items ?? [a.value];
    return items.map((value, i) => ({ value, range: a.itemRanges?.[i] ?? a.range }));
  }

  private walkConf(file: PyFile, prefix: string, wrappers: Guard[], seen: Set<string>, name = 'urlpatterns'): void {
    const key = `${file.facts.path}#${name}`;
    if (seen.has(key) || seen.size > MAX_DEPTH * 4) return;
    const next = new Set(seen).add(key);
    for (const { value, range } of this.patternsOf(file, name)) this.pattern(file, prefix, value, range, wrappers, next);
  }

  private pattern(file: PyFile, prefix: string, value: PyValue, range: Range, wrappers: Guard[], seen: Set<string>): void {
    const call = value.call;
    if (call && URL_FUNCTIONS.has(lastSegment(call.callee))) {
      const route = normaliseRoute(pathValue(call.args[0] ?? call.kwargs['route'], this.constants) ?? '');
      const view = call.args[1] ?? call.kwargs['view'];
      if (view) this.view(file, joinPaths(prefix, route), view, range, wrappers, seen);
      return;
    }
    // `router.urls` as an item, or spread into a list: `include([*api_router.urls, path(…)])`.
    const dotted = value.dotted ?? (/^\*[A-Za-z_][\w.]*$/.test(value.text) ? value.text.slice(1) : undefined);
    if (dotted?.endsWith('.urls')) this.router(file, dotted.slice(0, -'.urls'.length), prefix, wrappers);
  }

  private view(file: PyFile, path: string, view: PyValue, range: Range, wrappers: Guard[], seen: Set<string>): void {
    const call = view.call;
    const last = call ? lastSegment(call.callee) : '';
    if (call && last === 'include') {
      const arg = call.args[0];
      const target = arg ? this.includeTarget(file, arg) : null;
      if (!target) return;
      if ('router' in target) this.router(target.file, target.router, path, wrappers);
      else if ('items' in target) for (const item of target.items) this.pattern(file, path, item, range, wrappers, seen);
      else this.walkConf(target.file, path, wrappers, seen, target.name);
      return;
    }
    if (view.dotted === 'admin.site.urls' || view.dotted?.endsWith('.site.urls')) {
      const guards: Guard[] = (['authentication', 'authorization'] as const).map((kind) => ({
        kind,
        name: 'Django admin (staff login)',
        scope: 'route',
        path: file.facts.path,
        line: range.start.line,
      }));
      this.out.push(makeEndpoint('django', ['*'], path, file.facts.path, range, [...wrappers, ...guards], []));
      return;
    }
    if (call && last === 'as_view') {
      const clsName = call.callee.slice(0, call.callee.lastIndexOf('.'));
      const actions = call.args[0]?.dict;
      const chain = this.views.classChain(file, clsName);
      const info = this.views.classView(chain);
      const methods = actions ? Object.keys(actions).map((m) => m.toUpperCase()) : info.methods;
      this.emit(methods, path, file, range, [...wrappers, ...info.guards], info.optOuts, info.handler, info.bodies);
      return;
    }
    if (call && call.args[0]) {
      // `login_required(views.home)`, `staff_member_required(View.as_view())`.
      const optOuts: string[] = [];
      const guards = guardsOfName(call.callee, 'route', file.facts.path, range.start.line, optOuts, `${call.callee}(…)`);
      this.view(file, path, call.args[0], range, [...wrappers, ...guards], seen);
      return;
    }
    if (view.dotted) {
      const target = this.modules.resolve(file, view.dotted);
      if (target?.kind !== 'symbol') {
        this.emit(['*'], path, file, range, wrappers, [], undefined);
        return;
      }
      const fn = target.file.routes.functions.find((f) => f.name === target.name && f.topLevel && !f.className);
      const info = fn ? this.views.functionView(target.file, fn) : { methods: ['*'], guards: [], optOuts: [] };
      this.emit(info.methods, path, file, range, [...wrappers, ...info.guards], info.optOuts, info.handler, info.bodies);
    }
  }

  private includeTarget(file: PyFile, arg: PyValue): { file: PyFile; name: string } | { file: PyFile; router: string } | { items: PyValue[] } | null {
    if (arg.items && arg.text.startsWith('(')) return arg.items[0] ? this.includeTarget(file, arg.items[0]) : null;
    if (arg.items) return { items: arg.items };
    if (arg.str !== undefined) {
      const module = this.modules.module(arg.str, file);
      return module ? { file: module, name: 'urlpatterns' } : null;
    }
    if (arg.dotted?.endsWith('.urls')) {
      const owner = arg.dotted.slice(0, -'.urls'.length);
      const target = this.modules.resolve(file, owner);
      if (target?.kind === 'module') return { file: target.file, name: 'urlpatterns' };
      if (target?.kind === 'symbol') return { file: target.file, router: target.name };
      // A router of this file: `include(router.urls)` next to `router = DefaultRouter()`.
      if (file.routes.calls.some((c) => c.assignedTo === owner)) return { file, router: owner };
      return null;
    }
    if (arg.dotted) {
      const target = this.modules.resolve(file, arg.dotted);
      if (target?.kind === 'module') return { file: target.file, name: 'urlpatterns' };
      if (target?.kind === 'symbol') return { file: target.file, name: target.name };
    }
    return null;
  }

  /** `router.register(prefix, ViewSet)` on a DRF router, and the routes it generates. */
  private router(file: PyFile, routerName: string, prefix: string, wrappers: Guard[]): void {
    const target = this.modules.resolve(file, routerName);
    const home = target?.kind === 'symbol' ? target.file : file;
    const name = target?.kind === 'symbol' ? target.name : routerName;
    const slash = home.routes.calls.find((c) => c.assignedTo === name)?.kwargs['trailing_slash']?.text === 'False' ? '' : '/';
    for (const call of home.routes.calls) {
      if (call.callee !== `${name}.register` || !call.args[1]) continue;
      const base = normaliseRoute(pathValue(call.args[0], this.constants) ?? '');
      const viewset = calleeName(call.args[1]);
      const chain = this.views.classChain(home, viewset);
      this.viewSet(home, chain, joinPaths(prefix, base), call, wrappers, slash);
    }
  }

  private viewSet(file: PyFile, chain: ClassChain, base: string, call: PyCall, wrappers: Guard[], slash: string): void {
    const info = this.views.classView(chain);
    const lookup = chain.classes.map((c) => c.cls.attrs['lookup_url_kwarg']?.str ?? c.cls.attrs['lookup_field']?.str).find((l) => l !== undefined) ?? 'pk';
    const actions = new Set<string>();
    for (const ext of chain.external) for (const a of VIEWSET_BASE_ACTIONS[lastSegment(ext)] ?? []) actions.add(a);
    for (const { cls } of chain.classes) for (const m of cls.methods) if (VIEWSET_ACTIONS[m]) actions.add(m);
    const list = [...actions].filter((a) => !VIEWSET_ACTIONS[a]!.detail).map((a) => VIEWSET_ACTIONS[a]!.method);
    const detail = [...actions].filter((a) => VIEWSET_ACTIONS[a]!.detail).map((a) => VIEWSET_ACTIONS[a]!.method);
    const order = (ms: string[]) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => ms.includes(m));
    if (list.length > 0)
      this.emit(order(list), `${base.replace(/\/+$/, '')}${slash}`, file, call.range, [...wrappers, ...info.guards], info.optOuts, info.handler, info.bodies);
    if (detail.length > 0)
      this.emit(
        order(detail),
        joinPaths(base, `<${lookup}>${slash}`),
        file,
        call.range,
        [...wrappers, ...info.guards],
        info.optOuts,
        info.handler,
        info.bodies,
      );
    for (const { file: clsFile, cls } of chain.classes) {
      for (const fn of clsFile.routes.functions.filter((f) => f.className === cls.name)) {
        const action = fn.decorators.find((d) => d.call && lastSegment(d.call.callee) === 'action');
        if (!action?.call) continue;
        const detailRoute = action.call.kwargs['detail']?.text === 'True';
        const urlPath = action.call.kwargs['url_path']?.str ?? fn.name;
        const methods = methodsOf(action.call.kwargs['methods']) ?? ['GET'];
        const optOuts = [...info.optOuts];
        const own = action.call.kwargs['permission_classes']
          ? classList(action.call.kwargs['permission_classes'], 'route', clsFile.facts.path, fn.line, optOuts)
          : null;
        const classGuards = own ? info.guards.filter((g) => !g.permission) : info.guards;
        const extra = [
          ...(own ?? []),
          ...classList(action.call.kwargs['throttle_classes'], 'route', clsFile.facts.path, fn.line),
          ...this.views.methodGuards(clsFile, fn),
        ];
        this.emit(
          methods,
          joinPaths(base, detailRoute ? `<${lookup}>` : '', `${urlPath}${slash}`),
          file,
          call.range,
          [...wrappers, ...classGuards, ...extra],
          optOuts,
          { file: clsFile.facts.path, fn: { name: `${cls.name}.${fn.name}`, range: fn.range } },
          [fn],
        );
      }
    }
  }

  private emit(
    methods: string[],
    path: string,
    file: PyFile,
    range: Range,
    guards: Array<Guard & { permission?: boolean }>,
    optOuts: string[],
    handler: ViewInfo['handler'],
    bodies: PyFunction[] = [],
  ): void {
    const s = this.settings;
    const all: Guard[] = guards.map(({ kind, name, scope, path: p, line }) => ({ kind, name, scope, path: p, line }));
    if (s && s.loginRequiredMiddleware && optOuts.some((o) => o.includes('login_not_required'))) {
      const i = all.findIndex((g) => g.name.endsWith('LoginRequiredMiddleware'));
      if (i >= 0) all.splice(i, 1);
    }
    this.out.push(makeEndpoint('django', methods, path, file.facts.path, range, all, optOuts, handler, { bodies }));
  }
}

/** `^users/(?P<pk>\d+)/$` → `users/(?P<pk>\d+)/`. */
function normaliseRoute(route: string): string {
  return route.replace(/^\^/, '').replace(/\$$/, '');
}
