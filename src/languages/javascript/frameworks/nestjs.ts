import type { Node } from '@babel/types';
import { NEST_DECORATORS, guardKindOfName, nestGuardKind } from '../tables/guards.js';
import { memberParts, propertyKey, rangeOf, staticString, unwrap } from '../ast.js';
import type { NodeIndex } from '../visit.js';
import { classifyGuard, importRefOf, type Summaries } from './guards.js';
import { guardClassesOf, type NestGuardClass } from './nest-guards.js';
import type { ModuleInfo } from './module-info.js';
import { shorten, sourceOf } from './summary.js';
import type { JsGuardRef, JsNestFacts, JsNestRouteFilter, JsRouteFact, JsRoutes } from '../../../model/js-routes.js';

/**
 * NestJS: `@Controller` classes and their method decorators, `@UseGuards` on class and method, metadata
 * decorators (`@Roles`, `@Public`, `@Throttle`, `@SkipThrottle`), and the application-wide parts: global guards
 * (`useGlobalGuards`, `APP_GUARD` providers), global prefix, `consumer.apply(mw).forRoutes(…)`.
 */

const METHOD_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  All: '*',
  Options: 'OPTIONS',
  Head: 'HEAD',
};

interface Decorator {
  name: string;
  args: Node[];
  node: Node;
}

function decoratorsOf(node: Node): Decorator[] {
  const list = (node as unknown as { decorators?: Array<{ expression: Node }> }).decorators ?? [];
  return list.map((d) => {
    const e = unwrap(d.expression);
    const callee = e.type === 'CallExpression' ? (e.callee as Node) : e;
    const parts = memberParts(callee);
    return { name: parts ? parts[parts.length - 1]! : '', args: e.type === 'CallExpression' ? (e.arguments as Node[]) : [], node: d as unknown as Node };
  });
}

function firstPath(args: Node[]): string {
  const a = args[0] ? unwrap(args[0]) : null;
  if (!a) return '';
  const s = staticString(a);
  if (s !== null) return s;
  if (a.type === 'ArrayExpression') return staticString(a.elements[0] as Node) ?? '';
  if (a.type === 'ObjectExpression') {
    for (const p of a.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === 'path') return firstPath([p.value as Node]);
  }
  return '';
}

function objectProperty(node: Node | undefined, key: string): Node | undefined {
  const n = node ? unwrap(node) : null;
  if (n?.type !== 'ObjectExpression') return undefined;
  for (const p of n.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === key) return unwrap(p.value as Node);
  return undefined;
}

/** A string (or the first of an array of strings) in an options object: `{ version: '1' }`, `{ path: 'health' }`. */
function optionString(node: Node | undefined, key: string): string | undefined {
  const v = objectProperty(node, key);
  if (!v) return undefined;
  if (v.type === 'ArrayExpression') return staticString(v.elements[0] as Node) ?? undefined;
  return staticString(v) ?? undefined;
}

/** `@Version('2')` on a method. */
function versionOf(decorators: Decorator[]): { version?: string } {
  const d = decorators.find((x) => x.name === 'Version');
  const a = d?.args[0] ? unwrap(d.args[0]) : null;
  const v = a ? (staticString(a) ?? (a.type === 'ArrayExpression' ? staticString(a.elements[0] as Node) : null)) : null;
  return v !== null && v !== undefined ? { version: v } : {};
}

/** A guard class or instance in `@UseGuards(…)`, `useGlobalGuards(…)`, `APP_GUARD`. */
function guardClass(node: Node, info: ModuleInfo, local: ReadonlyMap<string, NestGuardClass> = new Map()): JsGuardRef {
  const n = unwrap(node);
  const inner = n.type === 'NewExpression' ? unwrap(n.callee as Node) : n;
  const callee = inner.type === 'CallExpression' ? unwrap(inner.callee as Node) : inner;
  const parts = memberParts(callee);
  const name = parts ? parts[parts.length - 1]! : '';
  const ref: JsGuardRef = { kinds: [nestGuardKind(name)], name: shorten(sourceOf(n, info.text), 50), line: n.loc!.start.line };
  // The guard's code decides when it is read: in this file, or in the relative module it is imported from.
  const own = parts?.length === 1 ? local.get(name) : undefined;
  if (own) {
    ref.kinds = [...own.kinds];
    ref.reason = own.reason;
  } else if (inner === callee) {
    const imported = importRefOf(callee, info);
    if (imported) ref.ref = imported;
  }
  return ref;
}

function decoratorGuards(decorators: Decorator[], info: ModuleInfo, local?: ReadonlyMap<string, NestGuardClass>): { guards: JsGuardRef[]; optOuts: string[] } {
  const guards: JsGuardRef[] = [];
  const optOuts: string[] = [];
  for (const d of decorators) {
    const line = d.node.loc!.start.line;
    if (d.name === 'UseGuards') {
      for (const a of d.args) guards.push({ ...guardClass(a, info, local), name: `@UseGuards(${shorten(sourceOf(a, info.text), 40)})` });
      continue;
    }
    if (d.name === 'UsePipes') {
      if (d.args.some((a) => /Validation|Zod|Joi|Schema/.test(sourceOf(a, info.text)))) guards.push({ kinds: ['validation'], name: '@UsePipes', line });
      continue;
    }
    if (d.name === 'UseInterceptors') {
      for (const a of d.args)
        if (guardKindOfName(memberParts(unwrap(a).type === 'NewExpression' ? (unwrap(a) as { callee: Node }).callee : a)?.pop() ?? '') === 'audit')
          guards.push({ kinds: ['audit'], name: `@UseInterceptors(${shorten(sourceOf(a, info.text), 40)})`, line });
      continue;
    }
    const known = NEST_DECORATORS.find((k) => k.name.test(d.name));
    if (!known) continue;
    if (known.optOut) optOuts.push(d.name);
    if (known.kind) {
      guards.push({ kinds: [known.kind], name: `@${d.name}`, line });
      if (known.kind === 'authentication' && d.args.length > 0)
        guards.push({ kinds: ['authorization'], name: `@${d.name}(${shorten(d.args.map((a) => sourceOf(a, info.text)).join(', '), 30)})`, line });
    }
  }
  return { guards, optOuts };
}

function routeFilter(node: Node, info: ModuleInfo): JsNestRouteFilter | null {
  const n = unwrap(node);
  const s = staticString(n);
  if (s !== null) return { path: s };
  if (n.type === 'Identifier') return { controller: n.name };
  if (n.type === 'ObjectExpression') {
    const f: JsNestRouteFilter = {};
    for (const p of n.properties) {
      if (p.type !== 'ObjectProperty') continue;
      const key = propertyKey(p);
      if (key === 'path') f.path = staticString(p.value as Node) ?? '';
      if (key === 'method') f.method = memberParts(p.value as Node)?.pop() ?? sourceOf(p.value as Node, info.text);
    }
    return f;
  }
  return null;
}

export function extractNest(ast: Node, index: NodeIndex, info: ModuleInfo, summaries: Summaries, out: JsRoutes): void {
  const isNestFile = [...info.imports.values()].some((i) => i.module.startsWith('@nestjs/'));
  if (!isNestFile) return;
  const nest: JsNestFacts = { globalGuards: [], middleware: [] };
  const classes: Node[] = [];
  index.visit(ast, ['ClassDeclaration'], (node) => {
    classes.push(node);
  });
  const local = guardClassesOf(classes, info.text);

  index.visit(ast, ['ClassDeclaration', 'ClassExpression', 'CallExpression', 'ObjectExpression'], (node) => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      const decorators = decoratorsOf(node);
      const controller = decorators.find((d) => d.name === 'Controller');
      if (!controller || !node.id) return undefined;
      const cls = decoratorGuards(decorators, info, local);
      const ctl: NonNullable<JsRouteFact['controller']> = {
        name: node.id.name,
        prefix: firstPath(controller.args),
        guards: cls.guards,
        optOuts: cls.optOuts,
        line: node.loc!.start.line,
      };
      const ctlVersion = optionString(controller.args[0], 'version');
      if (ctlVersion !== undefined) ctl.version = ctlVersion;
      for (const m of node.body.body) {
        if (m.type !== 'ClassMethod') continue;
        const md = decoratorsOf(m);
        const verb = md.find((d) => d.name in METHOD_DECORATORS);
        if (!verb) continue;
        const own = decoratorGuards(md, info, local);
        const name = m.key.type === 'Identifier' ? m.key.name : 'handler';
        out.routes.push({
          framework: 'nestjs',
          scope: '',
          order: m.start ?? 0,
          methods: [METHOD_DECORATORS[verb.name]!],
          path: firstPath(verb.args),
          range: rangeOf(verb.node),
          guards: own.guards,
          handler: { name: `${node.id.name}.${name}`, range: rangeOf(m.key), summary: summaries.of(m, `${node.id.name}.${name}`) },
          optOuts: own.optOuts,
          controller: ctl,
          ...versionOf(md),
        });
      }
      return undefined;
    }
    if (node.type === 'CallExpression') {
      const parts = memberParts(node.callee as Node);
      if (!parts) return undefined;
      const last = parts[parts.length - 1]!;
      const args = node.arguments as Node[];
      if (parts.join('.') === 'NestFactory.create') nest.app = rangeOf(node);
      if (last === 'useGlobalGuards')
        for (const a of args) nest.globalGuards.push({ ...guardClass(a, info, local), name: `useGlobalGuards(${shorten(sourceOf(a, info.text), 40)})` });
      if (last === 'useGlobalPipes' && args.some((a) => /Validation|Zod/.test(sourceOf(a, info.text))))
        nest.globalGuards.push({ kinds: ['validation'], name: 'useGlobalPipes(ValidationPipe)', line: node.loc!.start.line });
      if (last === 'setGlobalPrefix') {
        nest.globalPrefix = staticString(args[0]) ?? '';
        const exclude = args[1] ? objectProperty(args[1], 'exclude') : undefined;
        if (exclude?.type === 'ArrayExpression') {
          const paths = exclude.elements
            .map((e) => (e ? (staticString(e as Node) ?? optionString(e as Node, 'path')) : undefined))
            .filter((p) => p !== undefined);
          if (paths.length > 0) nest.globalPrefixExclude = paths.map((p) => p.replace(/^\/+/, ''));
        }
      }
      if (last === 'enableVersioning' && /VersioningType\.URI|['"]uri['"]/i.test(args[0] ? sourceOf(args[0], info.text) : 'VersioningType.URI')) {
        const defaultVersion = optionString(args[0], 'defaultVersion');
        nest.uriVersioning = { prefix: optionString(args[0], 'prefix') ?? 'v', ...(defaultVersion !== undefined ? { defaultVersion } : {}) };
      }
      if (last === 'use' && parts.length === 2 && parts[0] !== 'consumer') {
        for (const a of args) {
          const g = classifyGuard(a, info, summaries);
          if (g) nest.globalGuards.push(g);
        }
      }
      if (last === 'forRoutes' || last === 'exclude') {
        // consumer.apply(A, B).exclude(…).forRoutes(…)
        let call: Node = node;
        const filters: { forRoutes: JsNestRouteFilter[]; exclude: JsNestRouteFilter[] } = { forRoutes: [], exclude: [] };
        let applied: Node[] | null = null;
        while (call.type === 'CallExpression' && call.callee.type === 'MemberExpression' && call.callee.property.type === 'Identifier') {
          const p = call.callee.property.name;
          if (p === 'forRoutes' || p === 'exclude')
            for (const a of call.arguments) {
              const f = routeFilter(a as Node, info);
              if (f) filters[p].push(f);
            }
          if (p === 'apply') {
            applied = call.arguments as Node[];
            break;
          }
          call = unwrap(call.callee.object);
        }
        if (last === 'forRoutes' && applied) {
          const guards: JsGuardRef[] = [];
          for (const a of applied) {
            const g = classifyGuard(a, info, summaries);
            if (g) guards.push(g);
          }
          if (guards.length > 0) nest.middleware.push({ guards, ...filters });
        }
      }
      return undefined;
    }
    // providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }]
    if (node.type === 'ObjectExpression') {
      let provide = false;
      let use: Node | null = null;
      for (const p of node.properties) {
        if (p.type !== 'ObjectProperty') continue;
        const key = propertyKey(p);
        if (key === 'provide' && memberParts(p.value as Node)?.join('.') === 'APP_GUARD') provide = true;
        if (key === 'useClass' || key === 'useExisting') use = p.value as Node;
      }
      if (provide && use) nest.globalGuards.push({ ...guardClass(use, info, local), name: `APP_GUARD ${shorten(sourceOf(use, info.text), 40)}` });
    }
    return undefined;
  });
  if (nest.app || nest.globalGuards.length > 0 || nest.globalPrefix !== undefined || nest.middleware.length > 0 || nest.uriVersioning) out.nest = nest;
}
