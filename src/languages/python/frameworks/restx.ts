import type { Endpoint, Guard } from '../../../model/endpoints.js';
import { AppObjects, type AppObject, calleeName, decoratorGuards, findClass, joinPaths, lastSegment, makeEndpoint, pathValue } from './common.js';
import type { FlaskResolver } from './flask.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyClass, PyValue } from '../../../model/py-routes.js';

/**
 * flask-restx / flask-restplus / flask-restful: `Api(blueprint_or_app, prefix=)`, `Namespace(name, path=)` mounted by
 * `api.add_namespace(ns, path)` (or made by `api.namespace(…)`), `Resource` classes declared by `@ns.route('/x')` or
 * `api.add_resource(Resource, '/x', …)`. Each HTTP method of the class (`get`, `post` …) is an endpoint at
 * blueprint prefix + api prefix + namespace path + route, guarded by the Flask chain, the class's `decorators` and
 * `method_decorators` (a list, or a dict by method name) and the method's own decorators and body.
 */

type RestObject = AppObject<'api' | 'namespace'>;

const RESOURCE_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Mount {
  api: RestObject;
  path: string;
}

export class RestxResolver {
  private readonly objects: AppObjects<'api' | 'namespace'>;
  /** Namespace key → where it is mounted. */
  private readonly mounts = new Map<string, Mount[]>();
  /** Api key → the Flask objects it is bound to (`Api(bp)`, `api.init_app(app)`). */
  private readonly bindings = new Map<string, Array<{ file: PyFile; value: PyValue }>>();

  constructor(
    private readonly modules: PyModules,
    private readonly constants: Map<string, string | null>,
    private readonly flask: FlaskResolver,
  ) {
    this.objects = new AppObjects(modules, { Api: 'api', Namespace: 'namespace', namespace: 'namespace' });
    for (const obj of this.objects.all()) {
      const last = lastSegment(obj.call.callee);
      if (obj.kind === 'api') {
        const target = obj.call.args[0] ?? obj.call.kwargs['app'];
        if (target) this.push(this.bindings, obj.key, { file: obj.file, value: target });
      } else if (last === 'namespace') {
        const api = this.objects.owner(obj.file, obj.call.callee);
        if (api?.kind === 'api') this.push(this.mounts, obj.key, { api, path: this.namespacePath(obj) });
      }
    }
    for (const file of modules.files) {
      for (const call of file.routes.calls) {
        const last = lastSegment(call.callee);
        const owner = this.objects.owner(file, call.callee);
        if (owner?.kind !== 'api' || !call.args[0]) continue;
        if (last === 'init_app') this.push(this.bindings, owner.key, { file, value: call.args[0] });
        if (last === 'add_namespace') {
          const ns = this.objects.find(file, calleeName(call.args[0]));
          const explicit = pathValue(call.args[1] ?? call.kwargs['path'], constants);
          if (ns?.kind === 'namespace') this.push(this.mounts, ns.key, { api: owner, path: explicit ?? this.namespacePath(ns) });
        }
      }
    }
  }

  private push<T>(map: Map<string, T[]>, key: string, value: T): void {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  }

  /** `Namespace('users', path='/u')`: its own path, else `/<name>`. */
  private namespacePath(ns: RestObject): string {
    const own = pathValue(ns.call.kwargs['path'], this.constants);
    if (own !== null) return own;
    const name = ns.call.args[0] ?? ns.call.kwargs['name'];
    return name?.str !== undefined ? `/${name.str}` : (pathValue(name, this.constants) ?? '');
  }

  endpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const file of this.modules.files) {
      // `@ns.route('/a', '/b')` on a Resource class.
      for (const cls of file.routes.classes) {
        for (const d of cls.decorators) {
          if (!d.call || lastSegment(d.call.callee) !== 'route') continue;
          const owner = this.objects.owner(file, d.call.callee);
          if (!owner) continue;
          for (const url of d.call.args) out.push(...this.resource(owner, pathValue(url, this.constants) ?? '', file, cls));
        }
      }
      // `api.add_resource(Resource, '/a', '/b')`.
      for (const call of file.routes.calls) {
        if (lastSegment(call.callee) !== 'add_resource' || !call.args[0]) continue;
        const owner = this.objects.owner(file, call.callee);
        const target = owner ? this.modules.resolve(file, calleeName(call.args[0])) : null;
        const cls = target?.kind === 'symbol' ? findClass(target.file, target.name) : undefined;
        if (!owner || target?.kind !== 'symbol' || !cls) continue;
        for (const url of call.args.slice(1)) out.push(...this.resource(owner, pathValue(url, this.constants) ?? '', target.file, cls));
      }
    }
    return out;
  }

  /**
   * One endpoint per HTTP method of the class, at each place its api or namespace is mounted. The endpoint is
   * placed at the method: that is the handler, and where a guard decorator goes.
   */
  private resource(owner: RestObject, url: string, file: PyFile, cls: PyClass): Endpoint[] {
    const out: Endpoint[] = [];
    const mounts: Mount[] = owner.kind === 'api' ? [{ api: owner, path: '' }] : (this.mounts.get(owner.key) ?? []);
    const classScope = this.classGuards(file, cls);
    for (const fn of file.routes.functions.filter((f) => f.className === cls.name && RESOURCE_METHODS.includes(f.name))) {
      const own = this.flask.functionGuards(fn, file);
      const guards = [...classScope.all, ...(classScope.byMethod.get(fn.name) ?? []), ...own.guards];
      const optOuts = [...classScope.optOuts, ...own.optOuts];
      const method = fn.name.toUpperCase();
      for (const mount of mounts) {
        const rule = joinPaths(pathValue(mount.api.call.kwargs['prefix'], this.constants) ?? '', mount.path, url);
        const bound = (this.bindings.get(mount.api.key) ?? [])
          .map((b) => this.flask.object(b.file, calleeName(b.value)))
          .filter((o): o is NonNullable<typeof o> => o !== null);
        if (bound.length === 0) {
          out.push(
            makeEndpoint('flask', [method], rule, file.facts.path, fn.range, guards, optOuts, { file: file.facts.path, fn }, { bodies: [fn], unmounted: true }),
          );
          continue;
        }
        for (const flaskObj of bound) out.push(...this.flask.build(flaskObj, [method], rule, file, fn.range, file, fn, { guards, optOuts }, [fn]));
      }
    }
    return out;
  }

  /** `decorators = [...]` (the whole view) and `method_decorators` (a list, or a dict by method name). */
  private classGuards(file: PyFile, cls: PyClass): { all: Guard[]; byMethod: Map<string, Guard[]>; optOuts: string[] } {
    const optOuts: string[] = [];
    const all: Guard[] = [];
    const byMethod = new Map<string, Guard[]>();
    const read = (d: PyValue): Guard[] => decoratorGuards(this.modules, file, d, 'controller', cls.line, optOuts);
    for (const d of cls.attrs['decorators']?.items ?? []) all.push(...read(d));
    const md = cls.attrs['method_decorators'];
    for (const d of md?.items ?? []) all.push(...read(d));
    for (const [method, list] of Object.entries(md?.dict ?? {})) byMethod.set(method.toLowerCase(), (list.items ?? [list]).flatMap(read));
    return { all, byMethod, optOuts };
  }
}
