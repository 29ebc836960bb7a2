import type { Node } from '@babel/types';
import { isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap, walkAst } from '../ast.js';
import { classifyGuard, type Summaries } from './guards.js';
import type { ModuleInfo } from './module-info.js';
import type { JsGuardRef, JsRouteFact, JsRoutes } from '../../../model/js-routes.js';

/**
 * Next.js: API routes are files. `pages/api/**` (one default-exported handler; methods from its `req.method`
 * checks), `app/**\/route.ts` (exported GET/POST/… functions), and `middleware.ts` with its `config.matcher`.
 */

const PAGES_API = /(?:^|\/)(?:src\/)?pages\/(api\/.+)\.(?:js|jsx|ts|tsx|mjs)$/;
const APP_ROUTE = /(?:^|\/)(?:src\/)?app\/((?:.+\/)?)route\.(?:js|jsx|ts|tsx|mjs)$/;
const MIDDLEWARE = /(?:^|\/)(?:src\/)?(?:middleware|proxy)\.(?:js|ts|mjs)$/;
const NEXT_CONFIG = /(?:^|\/)next\.config\.(?:js|mjs|cjs|ts)$/;
const APP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `api/users/[id]/index` → `/api/users/[id]`; route groups `(x)` and slots `@x` leave the URL. */
export function nextRoutePath(segments: string): string {
  const parts = segments.split('/').filter((s) => s && s !== 'index' && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  return `/${parts.join('/')}`;
}

function resolveLocalFunction(node: Node, info: ModuleInfo): { fn: Node; name: string } | null {
  const n = unwrap(node);
  if (isFunction(n)) return { fn: n, name: 'handler' };
  if (n.type === 'Identifier' && info.functions.has(n.name)) return { fn: info.functions.get(n.name)!, name: n.name };
  return null;
}

/** `export default withAuth(handler)` → the wrappers as guards and the handler function. */
function unwrapHandler(node: Node, info: ModuleInfo, summaries: Summaries): { guards: JsGuardRef[]; fn: { fn: Node; name: string } | null } {
  const guards: JsGuardRef[] = [];
  let n = unwrap(node);
  while (n.type === 'CallExpression' && n.arguments.length > 0) {
    const g = classifyGuard(n.callee as Node, info, summaries);
    if (g) guards.push(g);
    n = unwrap(n.arguments[0] as Node);
  }
  return { guards, fn: resolveLocalFunction(n, info) };
}

function methodsChecked(fn: Node): string[] {
  const methods = new Set<string>();
  walkAst(fn, (n) => {
    if (n.type === 'BinaryExpression' && ['===', '=='].includes(n.operator)) {
      const sides = [n.left as Node, n.right];
      const m = sides.map((s) => memberParts(s)?.join('.')).find((p) => p && /(^|\.)method$/.test(p));
      const lit = sides.map((s) => staticString(s)).find((s) => s !== null);
      if (m && lit && APP_METHODS.includes(lit.toUpperCase())) methods.add(lit.toUpperCase());
    }
    if (n.type === 'SwitchStatement' && /(^|\.)method$/.test(memberParts(n.discriminant)?.join('.') ?? '')) {
      for (const c of n.cases) {
        const lit = c.test ? staticString(c.test) : null;
        if (lit && APP_METHODS.includes(lit.toUpperCase())) methods.add(lit.toUpperCase());
      }
    }
    return undefined;
  });
  return [...methods].sort();
}

export function extractNext(ast: Node, path: string, info: ModuleInfo, summaries: Summaries, out: JsRoutes): void {
  if (NEXT_CONFIG.test(path)) out.nextConfig = true;
  const pages = PAGES_API.exec(path);
  const app = APP_ROUTE.exec(path);
  const middleware = !pages && !app && !/(?:^|\/)(?:pages|app)\//.test(path) && MIDDLEWARE.test(path);
  if (!pages && !app && !middleware) return;
  const program = (ast as unknown as { program: { body: Node[] } }).program ?? ast;

  if (pages) {
    const routePath = nextRoutePath(pages[1]!);
    for (const stmt of program.body) {
      if (stmt.type !== 'ExportDefaultDeclaration') continue;
      const decl = stmt.declaration as Node;
      const { guards, fn } = unwrapHandler(decl, info, summaries);
      const route: JsRouteFact = { framework: 'nextjs', scope: '', order: 0, methods: [], path: routePath, range: rangeOf(stmt), guards, optOuts: [] };
      if (fn) {
        route.handler = { name: fn.name, range: rangeOf(fn.fn), summary: summaries.of(fn.fn, fn.name, ['default']) };
        route.methods = methodsChecked(fn.fn);
      }
      if (route.methods.length === 0) route.methods = ['*'];
      out.routes.push(route);
    }
    return;
  }
  if (app) {
    const routePath = nextRoutePath(app[1]!);
    const add = (method: string, at: Node, value: Node | null) => {
      const route: JsRouteFact = {
        framework: 'nextjs',
        scope: '',
        order: at.start ?? 0,
        methods: [method],
        path: routePath,
        range: rangeOf(at),
        guards: [],
        optOuts: [],
      };
      if (value) {
        const { guards, fn } = unwrapHandler(value, info, summaries);
        route.guards = guards;
        if (fn) route.handler = { name: fn.name, range: rangeOf(fn.fn), summary: summaries.of(fn.fn, fn.name, [method]) };
      }
      out.routes.push(route);
    };
    for (const stmt of program.body) {
      if (stmt.type !== 'ExportNamedDeclaration') continue;
      const d = stmt.declaration;
      if (d?.type === 'FunctionDeclaration' && d.id && APP_METHODS.includes(d.id.name)) add(d.id.name, d.id, d);
      if (d?.type === 'VariableDeclaration')
        for (const v of d.declarations) if (v.id.type === 'Identifier' && APP_METHODS.includes(v.id.name)) add(v.id.name, v.id, v.init ?? null);
      for (const s of stmt.specifiers) {
        if (s.type !== 'ExportSpecifier') continue;
        const exported = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
        if (APP_METHODS.includes(exported)) add(exported, s, stmt.source ? null : s.local);
      }
    }
    return;
  }
  // middleware.ts
  const guards: JsGuardRef[] = [];
  let matcher: string[] = [];
  for (const stmt of program.body) {
    if (stmt.type === 'ExportNamedDeclaration') {
      if (
        stmt.source &&
        stmt.specifiers.some(
          (s) => s.type === 'ExportSpecifier' && ['default', 'middleware'].includes(s.exported.type === 'Identifier' ? s.exported.name : s.exported.value),
        )
      ) {
        const mod = stmt.source.value;
        const local = stmt.specifiers[0]!.type === 'ExportSpecifier' ? (stmt.specifiers[0] as { local: { name: string } }).local.name : 'default';
        const kind = mod === 'next-auth/middleware' || /auth/i.test(local) ? 'authentication' : null;
        if (kind) guards.push({ kinds: [kind], name: `export { ${local} } from '${mod}'`, line: stmt.loc!.start.line });
      }
      const d = stmt.declaration;
      if (d?.type === 'FunctionDeclaration' && d.id?.name === 'middleware') guards.push(...middlewareGuards(d, info, summaries));
      if (d?.type === 'VariableDeclaration') {
        for (const v of d.declarations) {
          if (v.id.type !== 'Identifier' || !v.init) continue;
          if (v.id.name === 'middleware' || v.id.name === 'proxy') guards.push(...middlewareGuards(v.init, info, summaries));
          if (v.id.name === 'config') matcher = matcherOf(v.init);
        }
      }
    }
    if (stmt.type === 'ExportDefaultDeclaration') guards.push(...middlewareGuards(stmt.declaration as Node, info, summaries));
  }
  out.nextMiddleware = { guards, matcher };
}

function middlewareGuards(node: Node, info: ModuleInfo, summaries: Summaries): JsGuardRef[] {
  const { guards, fn } = unwrapHandler(node, info, summaries);
  const n = unwrap(node);
  // clerkMiddleware((auth, req) => { … auth.protect() … }): the callback's checks count.
  if (n.type === 'CallExpression')
    for (const a of n.arguments) {
      const inner = unwrap(a as Node);
      if (isFunction(inner)) {
        const s = summaries.of(inner, 'middleware');
        const kinds = [...new Set(s.checks.map((c) => c.kind))];
        if (kinds.length > 0 && !guards.some((g) => g.kinds.some((k) => kinds.includes(k))))
          guards.push({ kinds, name: s.checks[0]!.name, line: s.checks[0]!.line });
      }
    }
  if (fn) {
    const s = summaries.of(fn.fn, fn.name);
    for (const c of s.checks) guards.push({ kinds: [c.kind], name: c.name, line: c.line });
  }
  return guards;
}

function matcherOf(init: Node): string[] {
  const o = unwrap(init);
  if (o.type !== 'ObjectExpression') return [];
  for (const p of o.properties) {
    if (p.type !== 'ObjectProperty' || propertyKey(p) !== 'matcher') continue;
    const v = unwrap(p.value as Node);
    const items = v.type === 'ArrayExpression' ? v.elements : [v];
    return items
      .map((i) => {
        const e = i ? unwrap(i as Node) : null;
        if (!e) return null;
        const s = staticString(e);
        if (s !== null) return s;
        if (e.type === 'ObjectExpression')
          for (const q of e.properties) if (q.type === 'ObjectProperty' && propertyKey(q) === 'source') return staticString(q.value as Node);
        return null;
      })
      .filter((s): s is string => s !== null);
  }
  return [];
}
