import type { Range } from '../../../model/facts.js';
import type { Guard } from '../../../model/endpoints.js';
import { DRF_VIEW_BASES, METHOD_DECORATORS, VIEW_BASE_METHODS, VIEWSET_ACTIONS, VIEWSET_BASE_ACTIONS } from '../tables/django-views.js';
import { bodyGuards, calleeName, decoratorGuards as projectDecoratorGuards, findClass, guardsOfName, lastSegment, methodsOf } from './common.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyClass, PyFunction, PyValue } from '../../../model/py-routes.js';

/**
 * Django views (django.ts walks the URL confs): what a function view or a class-based view / DRF ViewSet
 * allows and how it is guarded — methods, decorators, mixins, `permission_classes`, `throttle_classes`, and
 * the project defaults of the settings module being walked.
 */

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete'];
/** Decorators read for their meaning elsewhere (methods, DRF classes), not as guards by name. */
const STRUCTURAL_DECORATORS = new Set([
  'api_view',
  'permission_classes',
  'throttle_classes',
  'authentication_classes',
  'require_http_methods',
  'action',
  'method_decorator',
  'csrf_exempt',
]);
/** How deep base classes (and, times four, URL conf includes) are followed. */
export const MAX_DEPTH = 8;

export interface Settings {
  file: PyFile;
  range: Range;
  middleware: Guard[];
  drfPermissions: Guard[];
  drfThrottles: Guard[];
  loginRequiredMiddleware: boolean;
}

export interface ClassChain {
  file: PyFile;
  classes: Array<{ file: PyFile; cls: PyClass }>;
  /** Base names not defined in the project (APIView, LoginRequiredMixin …). */
  external: string[];
}

export interface ViewInfo {
  methods: string[];
  bodies?: PyFunction[];
  guards: Guard[];
  optOuts: string[];
  handler?: { file: string; fn: { name: string; range: Range } };
}

/** `permission_classes = [IsAuthenticated]` and the like: one guard per class named. */
export function classList(v: PyValue | undefined, scope: Guard['scope'], path: string, line: number, optOuts?: string[], setting?: string): Guard[] {
  return (v?.items ?? []).flatMap((item) => {
    const name = item.str ?? calleeName(item);
    return guardsOfName(name, scope, path, line, optOuts, setting ? `${setting}: ${lastSegment(name)}` : lastSegment(name));
  });
}

export class DjangoViews {
  constructor(
    private readonly modules: PyModules,
    /** The settings of the project whose URL confs are being walked, or null. */
    private readonly settings: () => Settings | null,
  ) {}

  /** A class and its bases resolved in the project, nearest first; external base names collected. */
  classChain(file: PyFile, dotted: string): ClassChain {
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
  classView(chain: ClassChain): {
    methods: string[];
    guards: Array<Guard & { permission?: boolean }>;
    optOuts: string[];
    handler?: ViewInfo['handler'];
    bodies?: PyFunction[];
  } {
    const settings = this.settings();
    const guards: Array<Guard & { permission?: boolean }> = [];
    const optOuts: string[] = [];
    const methods = new Set<string>();
    const first = chain.classes[0];
    if (!first) {
      // A view class from a library (`auth_views.LoginView`): what its name says.
      const ext = chain.external[0] ?? '';
      return { methods: VIEW_BASE_METHODS[lastSegment(ext)] ?? ['*'], guards: [...(settings?.middleware ?? [])], optOuts: [] };
    }
    for (const ext of chain.external) {
      const last = lastSegment(ext);
      for (const m of VIEW_BASE_METHODS[last] ?? []) methods.add(m);
      if (!(last in VIEW_BASE_METHODS) && !(last in VIEWSET_BASE_ACTIONS) && !DRF_VIEW_BASES.has(last))
        guards.push(...guardsOfName(ext, 'controller', first.file.facts.path, first.cls.line, optOuts, last));
    }
    const attr = (n: string) => chain.classes.find((c) => c.cls.attrs[n]);
    const permissions = attr('permission_classes');
    const throttles = attr('throttle_classes');
    const drf = this.isDrf(chain);
    if (permissions)
      guards.push(
        ...classList(permissions.cls.attrs['permission_classes'], 'controller', permissions.file.facts.path, permissions.cls.line, optOuts).map((g) => ({
          ...g,
          permission: true,
        })),
      );
    else if (drf && settings) guards.push(...settings.drfPermissions.map((g) => ({ ...g, permission: true })));
    if (throttles) guards.push(...classList(throttles.cls.attrs['throttle_classes'], 'controller', throttles.file.facts.path, throttles.cls.line));
    else if (drf && settings) guards.push(...settings.drfThrottles);
    const required = attr('permission_required');
    if (required)
      guards.push({
        kind: 'authorization',
        name: `permission_required = ${required.cls.attrs['permission_required']!.text}`,
        scope: 'controller',
        path: required.file.facts.path,
        line: required.cls.line,
      });
    for (const { file, cls } of chain.classes) {
      for (const d of cls.decorators) guards.push(...this.decoratorGuards(d, 'controller', file, cls.line, optOuts));
      for (const fn of file.routes.functions.filter((f) => f.className === cls.name)) {
        if (HTTP_VERBS.includes(fn.name)) methods.add(fn.name.toUpperCase());
        if (HTTP_VERBS.includes(fn.name) || fn.name === 'dispatch' || VIEWSET_ACTIONS[fn.name] || fn.name === 'get_queryset' || fn.name === 'get_object')
          guards.push(...this.methodGuards(file, fn));
      }
    }
    if (settings) guards.push(...settings.middleware);
    const bodies = chain.classes.flatMap(({ file, cls }) => file.routes.functions.filter((f) => f.className === cls.name));
    return {
      methods: methods.size > 0 ? [...methods].sort(byVerb) : ['*'],
      guards,
      optOuts,
      handler: { file: first.file.facts.path, fn: { name: first.cls.name, range: first.cls.range } },
      bodies,
    };
  }

  /** `@method_decorator(login_required)` and body checks of a view method. */
  methodGuards(file: PyFile, fn: PyFunction): Guard[] {
    const out: Guard[] = [];
    for (const d of fn.decorators) out.push(...this.decoratorGuards(d, 'route', file, fn.line, []));
    out.push(...bodyGuards(fn, file.facts.path));
    return out;
  }

  private decoratorGuards(d: PyValue, scope: Guard['scope'], file: PyFile, line: number, optOuts: string[]): Guard[] {
    const path = file.facts.path;
    const name = calleeName(d);
    const last = lastSegment(name);
    if (last === 'method_decorator' && d.call?.args[0]) {
      const inner = d.call.args[0];
      return (inner.items ?? [inner]).flatMap((i) => guardsOfName(calleeName(i), scope, path, line, optOuts, `@method_decorator(${i.text})`));
    }
    if (last === 'csrf_exempt') optOuts.push('csrf_exempt');
    if (STRUCTURAL_DECORATORS.has(last)) return [];
    return projectDecoratorGuards(this.modules, file, d, scope, line, optOuts);
  }

  functionView(file: PyFile, fn: PyFunction): ViewInfo {
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
        guards.push(...classList(d.call?.args[0], 'route', path, fn.line, optOuts));
      } else if (last === 'throttle_classes') {
        throttles = true;
        guards.push(...classList(d.call?.args[0], 'route', path, fn.line));
      } else guards.push(...this.decoratorGuards(d, 'route', file, fn.line, optOuts));
    }
    const s = this.settings();
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
