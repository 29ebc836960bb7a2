import type { Range } from '../../../model/facts.js';
import type { Endpoint, Guard, HttpApp } from '../../../model/endpoints.js';
import { DRF_VIEW_BASES, METHOD_DECORATORS, VIEW_BASE_METHODS, VIEWSET_ACTIONS, VIEWSET_BASE_ACTIONS } from '../tables/guards.js';
import { bodyGuards, calleeName, findClass, guardsOfName, joinPaths, lastSegment, makeEndpoint, methodsOf } from './common.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyAssignment, PyCall, PyClass, PyFunction, PyValue } from '../../../model/py-routes.js';

/**
 * Django and Django REST framework: urls.py `path`/`re_path`/`url`/`include` from ROOT_URLCONF down,
 * function and class views, DRF routers and ViewSets, decorators, mixins, `permission_classes`, and project
 * defaults from settings (`REST_FRAMEWORK`, `MIDDLEWARE`).
 */

const URL_FUNCTIONS = new Set(['path', 're_path', 'url']);
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete'];
/** Decorators read for their meaning elsewhere (methods, DRF classes), not as guards by name. */
const STRUCTURAL_DECORATORS = new Set(['api_view', 'permission_classes', 'throttle_classes', 'authentication_classes', 'require_http_methods', 'action', 'method_decorator', 'csrf_exempt']);
const MAX_DEPTH = 8;

interface Settings {
  file: PyFile;
  range: Range;
  middleware: Guard[];
  drfPermissions: Guard[];
  drfThrottles: Guard[];
  loginRequiredMiddleware: boolean;
}

interface ClassChain {
  file: PyFile;
  classes: Array<{ file: PyFile; cls: PyClass }>;
  /** Base names not defined in the project (APIView, LoginRequiredMixin …). */
  external: string[];
}

interface ViewInfo {
  methods: string[];
  bodies?: PyFunction[];
  guards: Guard[];
  optOuts: string[];
  handler?: { file: string; fn: { name: string; range: Range } };
}

export class DjangoResolver {
  /** One per Django project (a settings module with ROOT_URLCONF); the one being walked is `settings`. */
  private readonly projects: Settings[];
  private settings: Settings | null = null;
  private readonly out: Endpoint[] = [];

  constructor(private readonly modules: PyModules) {
    this.projects = this.readSettings();
  }

  apps(): HttpApp[] {
    return this.projects.map((s) => ({ framework: 'django', file: s.file.facts.path, range: s.range, guards: [...s.middleware, ...s.drfPermissions, ...s.drfThrottles] }));
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
      const siblings = this.modules.files.filter((f) => f === main || (dir(f) === dir(main) && !has(f, 'ROOT_URLCONF') && (has(f, 'MIDDLEWARE') || has(f, 'REST_FRAMEWORK'))));
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
        settings.drfPermissions.push(...this.classList(a.value.dict['DEFAULT_PERMISSION_CLASSES'], 'app', path, a.line, undefined, 'DEFAULT_PERMISSION_CLASSES'));
        settings.drfThrottles.push(...this.classList(a.value.dict['DEFAULT_THROTTLE_CLASSES'], 'app', path, a.line, undefined, 'DEFAULT_THROTTLE_CLASSES'));
      }
    }
  }

  /** Guards of a list of classes given as names or dotted strings (`[IsAuthenticated]`, `('rest_framework.permissions.IsAdminUser',)`). */
  private classList(v: PyValue | undefined, scope: Guard['scope'], path: string, line: number, optOuts?: string[], setting?: string): Guard[] {
    return (v?.items ?? []).flatMap((item) => {
      const name = item.str ?? calleeName(item);
      return guardsOfName(name, scope, path, line, optOuts, setting ? `${setting}: ${lastSegment(name)}` : lastSegment(name));
    });
  }

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
    for (const conf of confs) if (!included.has(conf.facts.path) && !reached.has(conf.facts.path) && !walked.has(conf.facts.path)) this.walkConf(conf, '', [], new Set());
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
      const route = normaliseRoute(call.args[0]?.str ?? call.kwargs['route']?.str ?? '');
      const view = call.args[1] ?? call.kwargs['view'];
      if (view) this.view(file, joinPaths(prefix, route), view, range, wrappers, seen);
      return;
    }
    if (value.dotted?.endsWith('.urls')) this.router(file, value.dotted.slice(0, -'.urls'.length), prefix, wrappers);
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
      const guards: Guard[] = (['authentication', 'authorization'] as const).map((kind) => ({ kind, name: 'Django admin (staff login)', scope: 'route', path: file.facts.path, line: range.start.line }));
      this.out.push(makeEndpoint('django', ['*'], path, file.facts.path, range, [...wrappers, ...guards], []));
      return;
    }
    if (call && last === 'as_view') {
      const clsName = call.callee.slice(0, call.callee.lastIndexOf('.'));
      const actions = call.args[0]?.dict;
      const chain = this.classChain(file, clsName);
      const info = this.classView(chain);
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
      const info = fn ? this.functionView(target.file, fn) : { methods: ['*'], guards: [], optOuts: [] };
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
      const base = normaliseRoute(call.args[0]?.str ?? '');
      const viewset = calleeName(call.args[1]);
      const chain = this.classChain(home, viewset);
      this.viewSet(home, chain, joinPaths(prefix, base), call, wrappers, slash);
    }
  }

  private viewSet(file: PyFile, chain: ClassChain, base: string, call: PyCall, wrappers: Guard[], slash: string): void {
    const info = this.classView(chain);
    const lookup = chain.classes.map((c) => c.cls.attrs['lookup_url_kwarg']?.str ?? c.cls.attrs['lookup_field']?.str).find((l) => l !== undefined) ?? 'pk';
    const actions = new Set<string>();
    for (const ext of chain.external) for (const a of VIEWSET_BASE_ACTIONS[lastSegment(ext)] ?? []) actions.add(a);
    for (const { cls } of chain.classes) for (const m of cls.methods) if (VIEWSET_ACTIONS[m]) actions.add(m);
    const list = [...actions].filter((a) => !VIEWSET_ACTIONS[a]!.detail).map((a) => VIEWSET_ACTIONS[a]!.method);
    const detail = [...actions].filter((a) => VIEWSET_ACTIONS[a]!.detail).map((a) => VIEWSET_ACTIONS[a]!.method);
    const order = (ms: string[]) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => ms.includes(m));
    if (list.length > 0) this.emit(order(list), `${base.replace(/\/+$/, '')}${slash}`, file, call.range, [...wrappers, ...info.guards], info.optOuts, info.handler, info.bodies);
    if (detail.length > 0) this.emit(order(detail), joinPaths(base, `<${lookup}>${slash}`), file, call.range, [...wrappers, ...info.guards], info.optOuts, info.handler, info.bodies);
    for (const { file: clsFile, cls } of chain.classes) {
      for (const fn of clsFile.routes.functions.filter((f) => f.className === cls.name)) {
        const action = fn.decorators.find((d) => d.call && lastSegment(d.call.callee) === 'action');
        if (!action?.call) continue;
        const detailRoute = action.call.kwargs['detail']?.text === 'True';
        const urlPath = action.call.kwargs['url_path']?.str ?? fn.name;
        const methods = methodsOf(action.call.kwargs['methods']) ?? ['GET'];
        const optOuts = [...info.optOuts];
        const own = action.call.kwargs['permission_classes'] ? this.classList(action.call.kwargs['permission_classes'], 'route', clsFile.facts.path, fn.line, optOuts) : null;
        const classGuards = own ? info.guards.filter((g) => !g.permission) : info.guards;
        const extra = [...(own ?? []), ...this.classList(action.call.kwargs['throttle_classes'], 'route', clsFile.facts.path, fn.line), ...this.methodGuards(clsFile, fn)];
        this.emit(methods, joinPaths(base, detailRoute ? `<${lookup}>` : '', `${urlPath}${slash}`), file, call.range, [...wrappers, ...classGuards, ...extra], optOuts, { file: clsFile.facts.path, fn: { name: `${cls.name}.${fn.name}`, range: fn.range } }, [fn]);
      }
    }
  }

  private emit(methods: string[], path: string, file: PyFile, range: Range, guards: Array<Guard & { permission?: boolean }>, optOuts: string[], handler: ViewInfo['handler'], bodies: PyFunction[] = []): void {
    const s = this.settings;
    const all: Guard[] = guards.map(({ kind, name, scope, path: p, line }) => ({ kind, name, scope, path: p, line }));
    if (s && s.loginRequiredMiddleware && optOuts.some((o) => o.includes('login_not_required'))) {
      const i = all.findIndex((g) => g.name.endsWith('LoginRequiredMiddleware'));
      if (i >= 0) all.splice(i, 1);
    }
    this.out.push(makeEndpoint('django', methods, path, file.facts.path, range, all, optOuts, handler, { bodies }));
  }

  /** A class and its bases resolved in the project, nearest first; external base names collected. */
  private classChain(file: PyFile, dotted: string): ClassChain {
    const chain: ClassChain = { file, classes: [], external: [] };
    const visit = (from: PyFile, name: string, depth: number) => {
      if (depth > MAX_DEPTH) return;
      const target = this.modules.resolve(from, name);
      const cls = target?.kind === 'symbol' ? findClass(target.file, target.name) : undefined;
      if (!target || target.kind !== 'symbol' || !cls) {
        chain.external.push(name);
        return;
      }
      if (chain.classes.some((c) => c.cls === cls)) return;
      chain.classes.push({ file: target.file, cls });
      for (const base of cls.bases) visit(target.file, calleeName(base), depth + 1);
    };
    visit(file, dotted, 0);
    return chain;
  }

  private isDrf(chain: ClassChain): boolean {
    return chain.external.some((e) => DRF_VIEW_BASES.has(lastSegment(e)));
  }

  /** Guards, methods and handler of a class-based view or ViewSet. */
  private classView(chain: ClassChain): { methods: string[]; guards: Array<Guard & { permission?: boolean }>; optOuts: string[]; handler?: ViewInfo['handler']; bodies?: PyFunction[] } {
    const guards: Array<Guard & { permission?: boolean }> = [];
    const optOuts: string[] = [];
    const methods = new Set<string>();
    const first = chain.classes[0];
    if (!first) {
      // A view class from a library (`auth_views.LoginView`): what its name says.
      const ext = chain.external[0] ?? '';
      return { methods: VIEW_BASE_METHODS[lastSegment(ext)] ?? ['*'], guards: [...(this.settings?.middleware ?? [])], optOuts: [] };
    }
    for (const ext of chain.external) {
      const last = lastSegment(ext);
      for (const m of VIEW_BASE_METHODS[last] ?? []) methods.add(m);
      if (!(last in VIEW_BASE_METHODS) && !(last in VIEWSET_BASE_ACTIONS) && !DRF_VIEW_BASES.has(last)) guards.push(...guardsOfName(ext, 'controller', first.file.facts.path, first.cls.line, optOuts, last));
    }
    const attr = (n: string) => chain.classes.find((c) => c.cls.attrs[n]);
    const permissions = attr('permission_classes');
    const throttles = attr('throttle_classes');
    const drf = this.isDrf(chain);
    if (permissions) guards.push(...this.classList(permissions.cls.attrs['permission_classes'], 'controller', permissions.file.facts.path, permissions.cls.line, optOuts).map((g) => ({ ...g, permission: true })));
    else if (drf && this.settings) guards.push(...this.settings.drfPermissions.map((g) => ({ ...g, permission: true })));
    if (throttles) guards.push(...this.classList(throttles.cls.attrs['throttle_classes'], 'controller', throttles.file.facts.path, throttles.cls.line));
    else if (drf && this.settings) guards.push(...this.settings.drfThrottles);
    const required = attr('permission_required');
    if (required) guards.push({ kind: 'authorization', name: `permission_required = ${required.cls.attrs['permission_required']!.text}`, scope: 'controller', path: required.file.facts.path, line: required.cls.line });
    for (const { file, cls } of chain.classes) {
      for (const d of cls.decorators) guards.push(...this.decoratorGuards(d, 'controller', file.facts.path, cls.line, optOuts));
      for (const fn of file.routes.functions.filter((f) => f.className === cls.name)) {
        if (HTTP_VERBS.includes(fn.name)) methods.add(fn.name.toUpperCase());
        if (HTTP_VERBS.includes(fn.name) || fn.name === 'dispatch' || VIEWSET_ACTIONS[fn.name] || fn.name === 'get_queryset' || fn.name === 'get_object') guards.push(...this.methodGuards(file, fn));
      }
    }
    if (this.settings) guards.push(...this.settings.middleware);
    const bodies = chain.classes.flatMap(({ file, cls }) => file.routes.functions.filter((f) => f.className === cls.name));
    return { methods: methods.size > 0 ? [...methods].sort(byVerb) : ['*'], guards, optOuts, handler: { file: first.file.facts.path, fn: { name: first.cls.name, range: first.cls.range } }, bodies };
  }

  /** `@method_decorator(login_required)` and body checks of a view method. */
  private methodGuards(file: PyFile, fn: PyFunction): Guard[] {
    const out: Guard[] = [];
    for (const d of fn.decorators) out.push(...this.decoratorGuards(d, 'route', file.facts.path, fn.line, []));
    out.push(...bodyGuards(fn, file.facts.path));
    return out;
  }

  private decoratorGuards(d: PyValue, scope: Guard['scope'], path: string, line: number, optOuts: string[]): Guard[] {
    const name = calleeName(d);
    const last = lastSegment(name);
    if (last === 'method_decorator' && d.call?.args[0]) {
      const inner = d.call.args[0];
      return (inner.items ?? [inner]).flatMap((i) => guardsOfName(calleeName(i), scope, path, line, optOuts, `@method_decorator(${i.text})`));
    }
    if (last === 'csrf_exempt') optOuts.push('csrf_exempt');
    if (STRUCTURAL_DECORATORS.has(last)) return [];
    return guardsOfName(name, scope, path, line, optOuts, `@${d.text}`);
  }

  private functionView(file: PyFile, fn: PyFunction): ViewInfo {
    const path = file.facts.path;
    const optOuts: string[] = [];
    const guards: Guard[] = [];
    let methods: string[] | null = null;
    let drf = false;
    let permissions = false;
    let throttles = false;
    for (const d of fn.decorators) {
      const last = lastSegment(calleeName(d));
      if (last === 'api_view') {
        drf = true;
        methods = methodsOf(d.call?.args[0] ?? d.call?.kwargs['http_method_names']) ?? ['GET'];
      } else if (last === 'require_http_methods') methods = methodsOf(d.call?.args[0]) ?? methods;
      else if (METHOD_DECORATORS[last]) methods = METHOD_DECORATORS[last]!;
      else if (last === 'permission_classes') {
        permissions = true;
        guards.push(...this.classList(d.call?.args[0], 'route', path, fn.line, optOuts));
      } else if (last === 'throttle_classes') {
        throttles = true;
        guards.push(...this.classList(d.call?.args[0], 'route', path, fn.line));
      } else guards.push(...this.decoratorGuards(d, 'route', path, fn.line, optOuts));
    }
    const s = this.settings;
    if (s && drf && !permissions) guards.push(...s.drfPermissions);
    if (s && drf && !throttles) guards.push(...s.drfThrottles);
    if (s) guards.push(...s.middleware);
    guards.push(...bodyGuards(fn, path));
    return { methods: methods ?? ['*'], guards, optOuts, handler: { file: path, fn: { name: fn.name, range: fn.range } }, bodies: [fn] };
  }
}

const VERB_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
function byVerb(a: string, b: string): number {
  return VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b);
}

/** `^users/(?P<pk>\d+)/$` → `users/(?P<pk>\d+)/`. */
function normaliseRoute(route: string): string {
  return route.replace(/^\^/, '').replace(/\$$/, '');
}
