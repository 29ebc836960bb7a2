import type { JsFeatureInput } from '../feature-input.js';
import type { Node } from '@babel/types';
import { isFunction, propertyKey } from '../ast.js';
import { Summaries, classifyGuard } from './guards.js';
import { exportNamesOf, readModule } from './module-info.js';
import { extractNest } from './nestjs.js';
import { guardClassesOf } from './nest-guards.js';
import { extractNext } from './nextjs.js';
import { extractRouters } from './routers.js';
import type { JsFunctionSummary, JsRoutes } from '../../../model/js-routes.js';

const FRAMEWORK_MODULES = /^(express|fastify|fastify-plugin|koa|@koa\/router|koa-router|@nestjs\/|next(\/|$)|next-auth)/;
const NEXT_FILE = /(?:^|\/)(?:src\/)?(?:pages\/api\/|app\/(?:.+\/)?route\.|middleware\.|proxy\.|next\.config\.)/;

/**
 * The JS/TS endpoint feature: fills `facts.jsRoutes` for files that use a web framework, declare file-based
 * Next.js routes, or export functions other files may use as handlers or middleware.
 */
export function extractJsRoutes(input: JsFeatureInput): void {
  const { ast, index, path, text, facts } = input;
  const usesFramework = facts.imports.some((i) => FRAMEWORK_MODULES.test(i.module)) || NEXT_FILE.test(path);
  const info = readModule(ast, text, facts.imports);
  const summaries = new Summaries(info);
  const out: JsRoutes = { scopes: [], uses: [], routes: [], functions: [] };
  if (usesFramework || /\b(get|post|put|patch|delete|use|route|register)\s*\(/.test(text)) {
    extractRouters(ast, index, info, summaries, out);
    extractNest(ast, index, info, summaries, out);
    extractNext(ast, path, info, summaries, out);
  }
  // Exported functions: handlers and middleware that routes in other files refer to.
  for (const [local, names] of info.exportsByName) {
    const fn = info.functions.get(local);
    if (fn) summaries.of(fn, local, names);
  }
  for (const e of info.exportedNodes) {
    const n = e.node;
    if (
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'FunctionDeclaration' ||
      n.type === 'ObjectMethod' ||
      n.type === 'ClassMethod'
    ) {
      summaries.of(n, e.names[0]!, exportNamesOf(info, null, n));
    }
  }
  // Exported guard values: `export const auth = passport.authenticate('jwt')`, `export default { required: jwt({…}) }`.
  const values: JsFunctionSummary[] = [];
  const addValue = (node: Node, local: string, names: string[]) => {
    const g = classifyGuard(node, info, summaries);
    if (!g || (g.kinds.length === 0 && !g.optionalAuth)) return;
    const value: JsFunctionSummary = {
      exportedAs: names,
      name: local,
      line: g.line,
      checks: g.kinds.map((kind) => ({ kind, name: g.name, line: g.line })),
      ownership: false,
      verifiesSignature: false,
    };
    if (g.optionalAuth) value.optionalAuth = true;
    values.push(value);
  };
  for (const [local, names] of info.exportsByName) {
    const init = info.inits.get(local);
    if (!init) continue;
    if (init.type === 'ObjectExpression') {
      for (const p of init.properties) {
        const key = p.type === 'ObjectProperty' || p.type === 'ObjectMethod' ? propertyKey(p) : null;
        if (key === null) continue;
        const value = p.type === 'ObjectProperty' ? (p.value as Node) : p;
        const memberNames = names.flatMap((n) => (n === 'default' ? [key, `default.${key}`] : [`${n}.${key}`]));
        if (isFunction(value)) summaries.of(value, `${local}.${key}`, memberNames);
        else addValue(value, `${local}.${key}`, memberNames);
      }
    } else addValue(init, local, names);
  }
  // Exported NestJS guard classes, classified by their `canActivate` for the controllers that import them.
  if (facts.imports.some((i) => i.module.startsWith('@nestjs/'))) {
    const classes: Node[] = [];
    index.visit(ast, ['ClassDeclaration'], (n) => {
      classes.push(n);
    });
    for (const [name, guard] of guardClassesOf(classes, text)) {
      const names = info.exportsByName.get(name);
      if (!names) continue;
      const line = classes.find((c) => (c as { id?: { name: string } | null }).id?.name === name)?.loc?.start.line ?? 1;
      values.push({ exportedAs: names, name, line, checks: [], ownership: false, verifiesSignature: false, nestGuard: guard });
    }
  }
  const reexports: NonNullable<JsRoutes['reexports']> = [];
  for (const node of ast.program.body) {
    if (node.type === 'ExportNamedDeclaration' && node.source && node.source.value.startsWith('.')) {
      for (const sp of node.specifiers) {
        if (sp.type !== 'ExportSpecifier') continue;
        reexports.push({
          module: node.source.value,
          imported: sp.local.name,
          exported: sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value,
        });
      }
    } else if (node.type === 'ExportAllDeclaration' && node.source.value.startsWith('.')) {
      reexports.push({ module: node.source.value, imported: '*', exported: '*' });
    }
  }
  if (reexports.length > 0) out.reexports = reexports;
  out.functions = [...values, ...summaries.all()].filter(
    // A handler another file routes to keeps what makes it public by design (`res.render('dashboard')`, a redirect).
    (s) => s.exportedAs.length > 0 && (s.checks.length > 0 || s.access || s.ownership || s.verifiesSignature || s.nestGuard || s.signals),
  );
  if (out.scopes.length + out.uses.length + out.routes.length + out.functions.length > 0 || out.nest || out.nextMiddleware || out.nextConfig || out.reexports)
    facts.jsRoutes = out;
}
