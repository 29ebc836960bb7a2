import type { Node } from '@babel/types';
import type { GuardKind } from '../../../model/endpoints.js';
import { guardKindOfImport, guardKindOfName } from '../tables/guards.js';
import { isFunction, memberParts, staticString, unwrap } from '../ast.js';
import type { ModuleInfo } from './module-info.js';
import { importKind, shorten, sourceOf, summarizeFunction } from './summary.js';
import type { JsFunctionSummary, JsGuardRef, JsImportRef } from '../../../model/js-routes.js';

/** Summaries of this file's functions, made once each. */
export class Summaries {
  private readonly byNode = new Map<Node, JsFunctionSummary>();
  constructor(private readonly info: ModuleInfo) {}

  of(fn: Node, name: string, exportedAs: string[] = []): JsFunctionSummary {
    let s = this.byNode.get(fn);
    if (!s) {
      s = summarizeFunction(fn, this.info, name, exportedAs);
      this.byNode.set(fn, s);
    } else if (exportedAs.length > 0 && s.exportedAs.length === 0) s.exportedAs = exportedAs;
    return s;
  }

  all(): JsFunctionSummary[] {
    return [...this.byNode.values()];
  }
}

export function isRelative(module: string): boolean {
  return module.startsWith('.') || module.startsWith('/') || module.startsWith('@/') || module.startsWith('~/') || module.startsWith('src/');
}

/** The import a name or `name.member` refers to, as an export name of the target module. */
export function importRefOf(node: Node, info: ModuleInfo): JsImportRef | null {
  const n = unwrap(node);
  if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require') {
    const module = staticString(n.arguments[0] as Node);
    return module !== null && isRelative(module) ? { module, name: 'default' } : null;
  }
  const parts = memberParts(n);
  if (!parts || parts.length > 2) return null;
  const root = parts[0]!.replace(/\(\)$/, '');
  const imp = info.imports.get(root);
  if (!imp || !isRelative(imp.module)) return null;
  const member = parts[1]?.replace(/\(\)$/, '');
  const base = imp.imported === '*' ? (member ? '' : 'default') : imp.imported;
  const name = member ? (base ? `${base}.${member}` : member) : base;
  return { module: imp.module, name };
}

function unique(kinds: GuardKind[]): GuardKind[] {
  return [...new Set(kinds)];
}

/**
 * What a middleware argument is as a guard: its kinds from the package it comes from, what its body does when
 * it is defined here, and its name. Null when nothing says it guards anything (`express.json()`, a handler).
 */
export function classifyGuard(node: Node, info: ModuleInfo, summaries: Summaries, depth = 0): JsGuardRef | null {
  const n = unwrap(node);
  const line = n.loc!.start.line;
  const name = shorten(sourceOf(n, info.text), 50);
  if (depth > 4) return null;
  if (isFunction(n)) {
    const checks = summaries.of(n, 'inline').checks;
    const kinds = unique(checks.map((c) => c.kind));
    return kinds.length > 0 ? { kinds, name: checks[0]!.name, line } : null;
  }
  if (
    n.type === 'CallExpression' &&
    n.callee.type === 'MemberExpression' &&
    !n.callee.computed &&
    n.callee.property.type === 'Identifier' &&
    n.callee.property.name === 'unless'
  ) {
    const inner = classifyGuard(n.callee.object, info, summaries, depth + 1);
    if (!inner) return null;
    return { ...inner, name, unless: unlessPaths(n.arguments[0] as Node | undefined) };
  }
  if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require') {
    const module = staticString(n.arguments[0] as Node);
    const kind = module === null ? null : guardKindOfImport(module, 'default');
    return kind ? { kinds: [kind], name, line } : null;
  }
  if ((n.type === 'CallExpression' || n.type === 'NewExpression') && optionalAuth(n.arguments[0] as Node | undefined))
    return { kinds: [], name, line, optionalAuth: true };
  if (OPTIONAL_AUTH_NAME.test(memberParts(n)?.join('.') ?? '')) return { kinds: [], name, line, optionalAuth: true };
  const target = n.type === 'CallExpression' || n.type === 'NewExpression' ? unwrap(n.callee as Node) : n;
  const parts = memberParts(target);
  if (!parts) return null;
  const kinds: GuardKind[] = [];
  const root = parts[0]!.replace(/\(\)$/, '');
  const last = parts[parts.length - 1]!.replace(/\(\)$/, '');
  const pkg = importKind(parts, info);
  if (pkg) kinds.push(pkg);
  if (parts.length === 1 && info.functions.has(root)) {
    kinds.push(...summaries.of(info.functions.get(root)!, root).checks.map((c) => c.kind));
  } else if (parts.length === 1 && info.inits.has(root) && !info.varKinds.has(root)) {
    const inner = classifyGuard(info.inits.get(root)!, info, summaries, depth + 1);
    if (inner) return { ...inner, name, line };
  }
  const byName = guardKindOfName(last);
  if (byName && kinds.length === 0) kinds.push(byName);
  const ref = importRefOf(target, info);
  if (kinds.length === 0 && !ref) return null;
  const guard: JsGuardRef = { kinds: unique(kinds), name, line };
  if (ref) guard.ref = ref;
  return guard;
}

/** `{ path: ['/login', /^\/public/, { url: '/x', methods: ['GET'] }] }`. */
function unlessPaths(options: Node | undefined): string[] {
  const out: string[] = [];
  if (!options) return out;
  const o = unwrap(options);
  if (o.type !== 'ObjectExpression') return out;
  for (const p of o.properties) {
    if (p.type !== 'ObjectProperty' || p.key.type !== 'Identifier' || p.key.name !== 'path') continue;
    const v = unwrap(p.value as Node);
    const items = v.type === 'ArrayExpression' ? v.elements : [v];
    for (const item of items) {
      if (!item) continue;
      const i = unwrap(item as Node);
      const s = staticString(i);
      if (s !== null) out.push(s);
      else if (i.type === 'RegExpLiteral') out.push(`re:${i.pattern}`);
      else if (i.type === 'ObjectExpression') {
        for (const q of i.properties)
          if (q.type === 'ObjectProperty' && q.key.type === 'Identifier' && q.key.name === 'url') {
            const u = unwrap(q.value as Node);
            const us = staticString(u);
            if (us !== null) out.push(us);
            else if (u.type === 'RegExpLiteral') out.push(`re:${u.pattern}`);
          }
      }
    }
  }
  return out;
}

/** `auth.optional`, `optionalAuth`, `softAuth`, `maybeAuthenticate`: the route is public on purpose. */
const OPTIONAL_AUTH_NAME = /(?:^|\.)(?:optional|optional_?auth\w*|soft_?auth\w*|maybe_?auth\w*|auth_?optional|try_?auth\w*)$/i;

/** `expressjwt({ credentialsRequired: false })`, `auth({ authRequired: false })`: identity is read, not required. */
function optionalAuth(options: Node | undefined): boolean {
  if (!options) return false;
  const o = unwrap(options);
  if (o.type !== 'ObjectExpression') return false;
  return o.properties.some((p) => {
    if (p.type !== 'ObjectProperty') return false;
    const key = p.key.type === 'Identifier' ? p.key.name : staticString(p.key as Node);
    const v = unwrap(p.value as Node);
    return (key === 'credentialsRequired' || key === 'authRequired' || key === 'required') && v.type === 'BooleanLiteral' && !v.value;
  });
}
