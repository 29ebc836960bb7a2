import type { Node } from '@babel/types';
import type { Framework } from '../../../model/endpoints.js';
import { isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap } from '../ast.js';
import { FUNCTION_TYPES, type NodeIndex } from '../visit.js';
import { classifyGuard, importRefOf, type Summaries } from './guards.js';
import { exportNamesOf, type ModuleInfo } from './module-info.js';
import type { JsGuardRef, JsImportRef, JsRouteFact, JsRoutes, JsScopeFact, JsUseFact } from '../../../model/js-routes.js';
import { FASTIFY_HOOKS, HTTP_METHODS, WRAPPER, chainDepth, creation, pathOf, pluginParam, type Owner } from './router-parts.js';

/**
 * Express, Koa (koa-router) and Fastify: apps, routers and plugins, the routes declared on them, and the
 * middleware, hooks and mounts between them. One walk; cross-file mounts stay as import references.
 */

export function extractRouters(ast: Node, index: NodeIndex, info: ModuleInfo, summaries: Summaries, out: JsRoutes): void {
  const scopes = new Map<string, JsScopeFact>();
  const pluginFns = new Map<Node, { param: string; id: string }>();
  const creationScopes = new Map<Node, string>();
  const fastifyFile = [...info.imports.values()].some((i) => i.module === 'fastify' || i.module === 'fastify-plugin');

  // Pass 1: apps, routers and plugin functions.
  index.visit(ast, ['CallExpression', 'NewExpression', ...FUNCTION_TYPES], (node, ancestors) => {
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && !creationScopes.has(node)) {
      const c = creation(node, info);
      if (c) {
        // The whole chain `Router().use(a).use(b)` is the router; so is the variable or export holding it.
        let outer: Node = node;
        for (let i = ancestors.length - 1; i >= 1; i -= 2) {
          const member = ancestors[i]!;
          const call = ancestors[i - 1]!;
          if (member.type === 'MemberExpression' && member.object === outer && call.type === 'CallExpression' && call.callee === member) outer = call;
          else break;
        }
        const holder = ancestors[ancestors.length - 1 - chainDepth(ancestors, outer)];
        // `const app = new Koa()`, or a parameter default `function init(app: Koa = new Koa())`.
        const local =
          holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' && holder.init && unwrap(holder.init) === outer
            ? holder.id.name
            : holder?.type === 'AssignmentPattern' && holder.left.type === 'Identifier' && unwrap(holder.right) === outer
              ? holder.left.name
              : null;
        const id = local ?? `${c.kind}@${node.loc!.start.line}:${node.loc!.start.column + 1}`;
        const exportedAs = exportNamesOf(info, local, outer);
        const scope: JsScopeFact = { id, kind: c.kind, framework: c.framework, range: rangeOf(node), prefix: c.prefix, exportedAs };
        if (holder?.type === 'AssignmentPattern' && local !== null) scope.parameterDefault = true;
        scopes.set(id, scope);
        creationScopes.set(node, id);
      }
    }
    if (isFunction(node) && node.type !== 'ClassMethod') {
      const param = pluginParam(node);
      if (!param) return undefined;
      const id = `plugin@${node.loc!.start.line}`;
      const parent = ancestors[ancestors.length - 1];
      let local: string | null = node.type === 'FunctionDeclaration' && node.id ? node.id.name : null;
      if (!local && parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') local = parent.id.name;
      let exported = exportNamesOf(info, local, node);
      let transparent = false;
      // export default fp(async (fastify) => …) / module.exports = fp(plugin)
      const wrapper = parent && parent.type === 'CallExpression' ? parent : null;
      if (wrapper) {
        const wp = memberParts(wrapper.callee as Node);
        const wimp = wp ? info.imports.get(wp[0]!) : undefined;
        if (wimp?.module === 'fastify-plugin') transparent = true;
        exported = [...exported, ...exportNamesOf(info, null, wrapper)];
        const grand = ancestors[ancestors.length - 2];
        if (grand?.type === 'VariableDeclarator' && grand.id.type === 'Identifier') exported.push(...exportNamesOf(info, grand.id.name, null));
        if (grand?.type === 'VariableDeclarator' && grand.id.type === 'Identifier' && !local) local = grand.id.name;
      }
      const framework: Framework = fastifyFile || ['fastify', 'instance', 'server'].includes(param) ? 'fastify' : 'express';
      const scope: JsScopeFact = { id, kind: 'plugin', framework, range: rangeOf(node), prefix: '', exportedAs: [...new Set(exported)] };
      if (transparent) scope.transparent = true;
      scopes.set(id, scope);
      if (local) scopes.set(`local:${local}`, scope);
      pluginFns.set(node, { param, id });
    }
    return undefined;
  });

  // `module.exports = function () { router.get(…); return router }`: the exported factory's router is the export.
  index.visit(ast, ['ReturnStatement'], (node, ancestors) => {
    if (node.type !== 'ReturnStatement' || !node.argument) return undefined;
    const arg = unwrap(node.argument as Node);
    if (arg.type !== 'Identifier') return undefined;
    const scope = scopes.get(arg.name);
    if (!scope || scope.kind !== 'router') return undefined;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const fn = ancestors[i]!;
      if (!isFunction(fn)) continue;
      const parent = ancestors[i - 1];
      const local =
        fn.type === 'FunctionDeclaration' && fn.id
          ? fn.id.name
          : parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier'
            ? parent.id.name
            : null;
      const names = exportNamesOf(info, local, fn);
      if (names.length > 0) scope.exportedAs = [...new Set([...scope.exportedAs, ...names])];
      break;
    }
    return undefined;
  });

  const ownerOf = (obj: Node, ancestors: readonly Node[]): Owner | null => {
    const n = unwrap(obj);
    if (n.type === 'CallExpression' || n.type === 'NewExpression') {
      const id = creationScopes.get(n);
      if (id) return { id, framework: scopes.get(id)!.framework };
      // Router().use(a).get(…): the chain's base
      if (
        n.callee.type === 'MemberExpression' &&
        n.callee.property.type === 'Identifier' &&
        (HTTP_METHODS.has(n.callee.property.name) || n.callee.property.name === 'use')
      )
        return ownerOf(n.callee.object, ancestors);
      return null;
    }
    if (n.type !== 'Identifier') return null;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const p = pluginFns.get(ancestors[i]!);
      if (p && p.param === n.name) return { id: p.id, framework: scopes.get(p.id)!.framework };
    }
    const s = scopes.get(n.name);
    return s && !s.id.startsWith('plugin@') ? { id: s.id, framework: s.framework } : null;
  };

  /** A mounted router/plugin: a scope of this file, or a relative import. */
  const mountTarget = (arg: Node, ancestors: readonly Node[]): JsUseFact['target'] | null => {
    let n = unwrap(arg);
    // koa: router.routes() / router.middleware()
    if (
      n.type === 'CallExpression' &&
      n.callee.type === 'MemberExpression' &&
      n.callee.property.type === 'Identifier' &&
      ['routes', 'middleware'].includes(n.callee.property.name)
    )
      n = unwrap(n.callee.object);
    if (n.type === 'CallExpression' && memberParts(n.callee as Node)?.[0]?.match(/^(fp|fastifyPlugin)$/) && n.arguments[0]) n = unwrap(n.arguments[0] as Node);
    // require('./routes/app')(passport): a module whose export builds and returns its router.
    if (n.type === 'CallExpression' && unwrap(n.callee as Node).type === 'CallExpression') {
      const ref = importRefOf(n.callee as Node, info);
      if (ref) return { ref };
    }
    if (isFunction(n) && pluginFns.has(n)) return { local: pluginFns.get(n)!.id };
    if (n.type === 'Identifier') {
      const own = ownerOf(n, ancestors);
      if (own && scopes.get(own.id)?.kind === 'router') return { local: own.id };
      const plugin = scopes.get(`local:${n.name}`);
      if (plugin) return { local: plugin.id };
    }
    const ref = importRefOf(n, info);
    return ref ? { ref } : null;
  };

  const guardsOf = (args: Node[]): JsGuardRef[] => {
    const guards: JsGuardRef[] = [];
    for (const a of args) {
      const n = unwrap(a);
      if (n.type === 'ArrayExpression') guards.push(...guardsOf(n.elements.filter(Boolean) as Node[]));
      else {
        const g = classifyGuard(n, info, summaries);
        if (g) guards.push(g);
      }
    }
    return guards;
  };

  const handlerOf = (arg: Node | undefined): JsRouteFact['handler'] | undefined => {
    if (!arg) return undefined;
    let n = unwrap(arg);
    // asyncHandler(fn), catchAsync(fn), wrap(fn)
    while (
      n.type === 'CallExpression' &&
      n.arguments.length === 1 &&
      (isFunction(unwrap(n.arguments[0] as Node)) || WRAPPER.test(memberParts(n.callee as Node)?.pop() ?? ''))
    )
      n = unwrap(n.arguments[0] as Node);
    if (isFunction(n)) return { range: rangeOf(n), summary: summaries.of(n, 'handler') };
    const parts = memberParts(n.type === 'CallExpression' ? (n.callee as Node) : n);
    const name = parts?.join('.');
    if (parts?.length === 1 && info.functions.has(parts[0]!)) {
      const fn = info.functions.get(parts[0]!)!;
      return { name: parts[0]!, range: rangeOf(n), summary: summaries.of(fn, parts[0]!, exportNamesOf(info, parts[0]!, fn)) };
    }
    const h: JsRouteFact['handler'] = { range: rangeOf(n) };
    if (name) h.name = name;
    const ref = importRefOf(n.type === 'CallExpression' ? (n.callee as Node) : n, info) ?? instanceMemberRef(parts, info);
    if (ref) h.ref = ref;
    return h;
  };

  const addRoute = (owner: Owner, method: string, path: string, at: Node, middleware: Node[], handler: Node | undefined, extraGuards: JsGuardRef[] = []) => {
    const m = method === 'del' ? 'DELETE' : method === 'all' ? '*' : method.toUpperCase();
    const route: JsRouteFact = {
      framework: owner.framework,
      scope: owner.id,
      order: at.start ?? 0,
      methods: [m],
      path,
      range: rangeOf(at),
      guards: [...guardsOf(middleware), ...extraGuards],
      optOuts: [],
    };
    const h = handlerOf(handler);
    if (h) route.handler = h;
    // `app.put('/api/Cards/:id', security.denyAll())`: a guard in the last position still guards.
    const last = handler ? classifyGuard(handler, info, summaries) : null;
    if (last && last.kinds.length > 0 && !(handler && isFunction(unwrap(handler)))) route.guards.push(last);
    out.routes.push(route);
  };

  /** Fastify route options: preHandler / onRequest / preValidation hooks, `schema`, `config.rateLimit`. */
  const optionGuards = (opts: Node): JsGuardRef[] => {
    const o = unwrap(opts);
    if (o.type !== 'ObjectExpression') return [];
    const guards: JsGuardRef[] = [];
    for (const p of o.properties) {
      if (p.type !== 'ObjectProperty') continue;
      const key = propertyKey(p);
      if (key && FASTIFY_HOOKS.has(key)) guards.push(...guardsOf([p.value as Node]));
      if (key === 'schema') guards.push({ kinds: ['validation'], name: 'schema', line: p.loc!.start.line });
      if (key === 'config') {
        const c = unwrap(p.value as Node);
        if (c.type === 'ObjectExpression' && c.properties.some((q) => q.type === 'ObjectProperty' && propertyKey(q) === 'rateLimit')) {
          guards.push({ kinds: ['rate-limit'], name: 'config.rateLimit', line: p.loc!.start.line });
        }
      }
    }
    return guards;
  };

  // Pass 2: routes, middleware, hooks and mounts.
  index.visit(ast, ['CallExpression'], (node, ancestors) => {
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.computed || node.callee.property.type !== 'Identifier') {
      // routes(app) / require('./routes')(app)
      if (node.type === 'CallExpression' && node.arguments.length >= 1) {
        const owner = ownerOf(node.arguments[0] as Node, ancestors);
        if (owner) {
          const target = mountTarget(node.callee as Node, ancestors);
          if (target) out.uses.push({ scope: owner.id, order: node.start ?? 0, prefix: '', guards: [], target, line: node.loc!.start.line });
        }
      }
      return undefined;
    }
    const prop = node.callee.property.name;
    const obj = unwrap(node.callee.object);
    const args = node.arguments as Node[];

    // app.route('/x').get(…).post(…)
    if (HTTP_METHODS.has(prop) && obj.type === 'CallExpression') {
      let base: Node = obj;
      while (
        base.type === 'CallExpression' &&
        base.callee.type === 'MemberExpression' &&
        base.callee.property.type === 'Identifier' &&
        HTTP_METHODS.has(base.callee.property.name)
      )
        base = unwrap(base.callee.object);
      if (
        base.type === 'CallExpression' &&
        base.callee.type === 'MemberExpression' &&
        base.callee.property.type === 'Identifier' &&
        base.callee.property.name === 'route'
      ) {
        const owner = ownerOf(base.callee.object, ancestors);
        const path = pathOf(base.arguments[0] as Node, info.inits);
        if (owner && path !== null) addRoute(owner, prop, path, node.callee.property, args.slice(0, -1), args[args.length - 1]);
        return undefined;
      }
    }
    const owner = ownerOf(obj, ancestors);
    if (!owner) return undefined;
    const line = node.loc!.start.line;

    if (HTTP_METHODS.has(prop)) {
      let rest = args;
      // koa-router named routes: router.get('name', '/path', …)
      if (owner.framework === 'koa' && pathOf(rest[1], info.inits) !== null && staticString(rest[1]) !== null) rest = rest.slice(1);
      const path = pathOf(rest[0], info.inits);
      if (path === null || rest.length < 2) return undefined;
      const middle = rest.slice(1, -1);
      let extra: JsGuardRef[] = [];
      let mw = middle;
      if (owner.framework === 'fastify' && middle.length > 0 && unwrap(middle[0]!).type === 'ObjectExpression') {
        extra = optionGuards(middle[0]!);
        mw = middle.slice(1);
      }
      // At the method name: in a chain `fastify.post(…).get(…)` each route has its own line.
      addRoute(owner, prop, path, node.callee.property, mw, rest[rest.length - 1], extra);
      return undefined;
    }
    if (prop === 'route' && args[0] && unwrap(args[0]).type === 'ObjectExpression') {
      const o = unwrap(args[0]) as Node & { properties: Node[] };
      let methods: string[] = [];
      let url: string | null = null;
      let handler: Node | undefined;
      for (const p of o.properties) {
        if (p.type !== 'ObjectProperty') continue;
        const key = propertyKey(p);
        const v = unwrap(p.value as Node);
        if (key === 'method')
          methods = v.type === 'ArrayExpression' ? (v.elements.map((e) => staticString(e as Node)).filter(Boolean) as string[]) : [staticString(v) ?? '*'];
        if (key === 'url' || key === 'path') url = pathOf(v, info.inits);
        if (key === 'handler') handler = v;
      }
      if (url === null) return undefined;
      const guards = optionGuards(o);
      const route: JsRouteFact = {
        framework: owner.framework,
        scope: owner.id,
        order: node.start ?? 0,
        methods: methods.map((m) => m.toUpperCase()),
        path: url,
        range: rangeOf(node),
        guards,
        optOuts: [],
      };
      const h = handlerOf(handler);
      if (h) route.handler = h;
      out.routes.push(route);
      return undefined;
    }
    if (prop === 'use') {
      let prefix = '';
      let rest = args;
      // koa-mount: `app.use(mount('/api', api))` mounts `api` under `/api` (Outline mounts its whole API so).
      const only = rest.length === 1 ? unwrap(rest[0]!) : null;
      if (only?.type === 'CallExpression' && only.callee.type === 'Identifier' && only.callee.name === 'mount' && only.arguments.length >= 1) {
        rest = only.arguments as Node[];
      }
      const p0 = rest[0] ? pathOf(rest[0], info.inits) : null;
      if (p0 !== null) {
        prefix = p0;
        rest = rest.slice(1);
      }
      const last = rest[rest.length - 1];
      const target = last ? mountTarget(last, ancestors) : null;
      const targetIsScope = target && 'local' in target;
      const guardArgs = targetIsScope ? rest.slice(0, -1) : rest;
      const use: JsUseFact = { scope: owner.id, order: node.start ?? 0, prefix, guards: guardsOf(guardArgs), line };
      if (target) use.target = target;
      if (target && 'ref' in target)
        use.guards = use.guards.filter((g) => !(g.ref && g.ref.module === target.ref.module && g.ref.name === target.ref.name) || g.kinds.length > 0);
      out.uses.push(use);
      return undefined;
    }
    if (prop === 'addHook' && FASTIFY_HOOKS.has(staticString(args[0]) ?? '')) {
      out.uses.push({ scope: owner.id, order: node.start ?? 0, prefix: '', guards: guardsOf(args.slice(1)), line });
      return undefined;
    }
    if (prop === 'register' && args[0]) {
      let prefix = '';
      const opts = args[1] ? unwrap(args[1]) : null;
      let global = true;
      if (opts?.type === 'ObjectExpression') {
        for (const p of opts.properties) {
          if (p.type !== 'ObjectProperty') continue;
          if (propertyKey(p) === 'prefix') prefix = staticString(p.value as Node) ?? '';
          // @fastify/rate-limit with `global: false` only limits routes that opt in with `config.rateLimit`.
          if (
            propertyKey(p) === 'global' &&
            unwrap(p.value as Node).type === 'BooleanLiteral' &&
            (unwrap(p.value as Node) as { value: boolean }).value === false
          )
            global = false;
        }
      }
      const target = mountTarget(args[0], ancestors);
      const use: JsUseFact = { scope: owner.id, order: node.start ?? 0, prefix, guards: [], line };
      if (target) use.target = target;
      else if (global) {
        const g = classifyGuard(args[0], info, summaries);
        if (g) use.guards.push(g);
      }
      out.uses.push(use);
      return undefined;
    }
    if (prop === 'prefix' && scopes.get(owner.id)?.framework === 'koa') {
      const p = staticString(args[0]);
      if (p !== null) scopes.get(owner.id)!.prefix = p;
    }
    return undefined;
  });

  for (const [key, s] of scopes) if (!key.startsWith('local:')) out.scopes.push(s);
}

/** `handler.displayAllocations` where `const handler = new AllocationsHandler(db)` and the constructor is imported from a project module. */
function instanceMemberRef(parts: string[] | null | undefined, info: ModuleInfo): JsImportRef | null {
  if (parts?.length !== 2) return null;
  const init = info.inits.get(parts[0]!);
  if (init?.type !== 'NewExpression' || init.callee.type !== 'Identifier') return null;
  const base = importRefOf(init.callee, info);
  return base ? { module: base.module, name: `${base.name}.${parts[1]!.replace(/\(\)$/, '')}` } : null;
}
