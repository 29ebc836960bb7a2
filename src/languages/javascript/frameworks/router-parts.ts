import type { Node } from '@babel/types';
import type { Framework } from '../../../model/endpoints.js';
import { memberParts, propertyKey, staticString, unwrap, walkAst } from '../ast.js';
import type { ModuleInfo } from './module-info.js';

/** The pieces routers.ts reads routes with: what creates an app or router, plugin functions, route paths. */

export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
/** Error-forwarding wrappers around a handler: `asyncHandler(getUser())`, `catchAsync(fn)`. */
export const WRAPPER = /^(?:async\w*|catch\w*|wrap\w*|safe\w*|tryCatch|handleAsync|errorBoundary)$/i;
export const FASTIFY_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
const APP_FACTORIES: Record<string, Framework> = { express: 'express', fastify: 'fastify', koa: 'koa' };

export interface Owner {
  id: string;
  framework: Framework;
}

function importOf(info: ModuleInfo, name: string): { module: string; imported: string } | undefined {
  return info.imports.get(name);
}

/** What a `new X()` / `x()` creates: an app or router of a framework, or null. */
export function creation(node: Node, info: ModuleInfo): { kind: 'app' | 'router'; framework: Framework; prefix: string } | null {
  const n = unwrap(node);
  if (n.type !== 'CallExpression' && n.type !== 'NewExpression') return null;
  const callee = unwrap(n.callee as Node);
  // require('fastify')({ … }), require('express').Router()
  if (callee.type === 'CallExpression' && callee.callee.type === 'Identifier' && callee.callee.name === 'require') {
    const mod = staticString(callee.arguments[0] as Node);
    if (mod && APP_FACTORIES[mod]) return { kind: 'app', framework: APP_FACTORIES[mod]!, prefix: '' };
    return null;
  }
  // require('express').Router(): the router factory of a required express (dvna's route modules).
  if (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'Router' &&
    callee.object.type === 'CallExpression' &&
    callee.object.callee.type === 'Identifier' &&
    callee.object.callee.name === 'require' &&
    staticString(callee.object.arguments[0] as Node) === 'express'
  )
    return { kind: 'router', framework: 'express', prefix: '' };
  const parts = memberParts(callee);
  if (!parts) return null;
  const first = parts[0]!;
  if (parts.length === 2 && parts[0]!.startsWith('require(')) return null;
  const imp = importOf(info, first);
  if (!imp) return null;
  const whole = imp.imported === 'default' || imp.imported === '*';
  if (imp.module === 'express') {
    if (parts.length === 1 && whole) return { kind: 'app', framework: 'express', prefix: '' };
    if ((parts.length === 2 && whole && parts[1] === 'Router') || (parts.length === 1 && imp.imported === 'Router'))
      return { kind: 'router', framework: 'express', prefix: '' };
  }
  if (imp.module === 'fastify' && parts.length === 1) return { kind: 'app', framework: 'fastify', prefix: '' };
  if (imp.module === 'koa' && parts.length === 1) return { kind: 'app', framework: 'koa', prefix: '' };
  if ((imp.module === '@koa/router' || imp.module === 'koa-router') && parts.length === 1) {
    let prefix = '';
    const opts = n.arguments[0] ? unwrap(n.arguments[0] as Node) : null;
    if (opts?.type === 'ObjectExpression') {
      for (const p of opts.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === 'prefix') prefix = staticString(p.value as Node) ?? '';
    }
    return { kind: 'router', framework: 'koa', prefix };
  }
  return null;
}

/** A function whose first parameter has routes, hooks or mounts called on it: a Fastify plugin or a `routes(app)` module. */
export function pluginParam(fn: Node): string | null {
  const { params, body } = fn as unknown as { params: Node[]; body?: Node | null };
  const p = params[0];
  // An overload signature or abstract method (`TSDeclareFunction`, `TSDeclareMethod`) has no body to call on it.
  if (!p || p.type !== 'Identifier' || !body) return null;
  const name = p.name;
  if (name === 'req' || name === 'request' || name === 'ctx') return null;
  let used = false;
  walkAst(body, (n) => {
    if (used) return false;
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.computed) return undefined;
    const obj = unwrap(n.callee.object);
    const prop = n.callee.property.type === 'Identifier' ? n.callee.property.name : '';
    if (obj.type !== 'Identifier' || obj.name !== name) return undefined;
    const firstArg = n.arguments[0] ? unwrap(n.arguments[0] as Node) : null;
    // A route path starts with `/` (or is `*`): `configService.get('app.name', { infer: true })` declares nothing.
    const first = firstArg ? staticString(firstArg) : null;
    if (HTTP_METHODS.has(prop) && n.arguments.length >= 2 && first !== null && (first.startsWith('/') || first === '*' || first === '')) used = true;
    if (prop === 'route' || prop === 'register' || prop === 'addHook') used = true;
    return undefined;
  });
  return used ? name : null;
}

/**
 * A route path: a literal, a regular expression, or a template literal / `+` concatenation whose parts are
 * resolved through the module's constants (`${PREFIX}/users` with `const PREFIX = '/api'`). A part that cannot
 * be known is kept as written in braces (`{version}/things`), never dropped. A bare unknown identifier is no path.
 */
export function pathOf(node: Node | undefined, inits?: ReadonlyMap<string, Node>): string | null {
  if (!node) return null;
  const n = unwrap(node);
  const s = staticString(n);
  if (s !== null) return s;
  if (n.type === 'RegExpLiteral') return `/${n.pattern}/`;
  if (n.type === 'TemplateLiteral' || (n.type === 'BinaryExpression' && n.operator === '+')) return pathPart(n, inits, 0);
  if (n.type === 'Identifier' && inits) {
    const init = inits.get(n.name);
    const v = init ? staticString(unwrap(init)) : null;
    if (v !== null) return v;
  }
  return null;
}

function pathPart(node: Node, inits: ReadonlyMap<string, Node> | undefined, depth: number): string {
  const n = unwrap(node);
  const s = staticString(n);
  if (s !== null) return s;
  if (depth > 4) return '{…}';
  if (n.type === 'TemplateLiteral') {
    return n.quasis.map((q, i) => (q.value.cooked ?? '') + (n.expressions[i] ? pathPart(n.expressions[i] as Node, inits, depth + 1) : '')).join('');
  }
  if (n.type === 'BinaryExpression' && n.operator === '+') return pathPart(n.left as Node, inits, depth + 1) + pathPart(n.right, inits, depth + 1);
  if (n.type === 'Identifier') {
    const init = inits?.get(n.name);
    const u = init ? unwrap(init) : null;
    if (u && (staticString(u) !== null || u.type === 'TemplateLiteral' || (u.type === 'BinaryExpression' && u.operator === '+')))
      return pathPart(u, inits, depth + 1);
    return `{${n.name}}`;
  }
  const parts = memberParts(n);
  return parts ? `{${parts.join('.')}}` : '{…}';
}

/** How many ancestors (from the innermost) `outer` sits below its own expression chain. */
export function chainDepth(ancestors: readonly Node[], outer: Node): number {
  const i = ancestors.indexOf(outer);
  return i === -1 ? 0 : ancestors.length - i;
}
