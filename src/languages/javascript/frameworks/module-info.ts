import type { Node } from '@babel/types';
import type { GuardKind } from '../../../model/endpoints.js';
import type { ImportFact } from '../../../model/facts.js';
import { isFunction, memberParts, propertyKey, staticString, unwrap, walkAst } from '../ast.js';
import { importKind, type FileContext } from './summary.js';

/**
 * What a module declares and exports, read once per file for the framework extractors: function and variable
 * declarations by name (shadowing ignored), export names (ESM and CommonJS), and module-level guard variables.
 */
export interface ModuleInfo extends FileContext {
  functions: Map<string, Node>;
  inits: Map<string, Node>;
  /** Local name (or function node) → export names ('default', 'x', 'default.x'). */
  exportsByName: Map<string, string[]>;
  exportedNodes: Array<{ node: Node; names: string[] }>;
}

function addExport(map: Map<string, string[]>, local: string, name: string): void {
  const list = map.get(local) ?? [];
  if (!list.includes(name)) list.push(name);
  map.set(local, list);
}

function isModuleExports(node: Node): string | null {
  const parts = memberParts(node);
  if (!parts) return null;
  if (parts.length === 2 && parts[0] === 'module' && parts[1] === 'exports') return 'default';
  if (parts.length === 3 && parts[0] === 'module' && parts[1] === 'exports') return parts[2]!;
  if (parts.length === 2 && parts[0] === 'exports') return parts[1]!;
  return null;
}

export function readModule(ast: Node, text: string, imports: readonly ImportFact[]): ModuleInfo {
  const info: ModuleInfo = {
    text,
    imports: new Map(),
    varKinds: new Map(),
    functions: new Map(),
    inits: new Map(),
    exportsByName: new Map(),
    exportedNodes: [],
  };
  for (const imp of imports) for (const n of imp.names) info.imports.set(n.local, { module: imp.module, imported: n.imported });

  const exportValue = (value: Node, name: string) => {
    const v = unwrap(value);
    if (v.type === 'Identifier') addExport(info.exportsByName, v.name, name);
    else if (v.type === 'ObjectExpression') {
      for (const p of v.properties) {
        if (p.type === 'ObjectProperty') {
          const key = propertyKey(p);
          if (key === null) continue;
          const inner = name === 'default' ? [key, `default.${key}`] : [`${name}.${key}`];
          for (const k of inner) {
            const pv = unwrap(p.value as Node);
            if (pv.type === 'Identifier') addExport(info.exportsByName, pv.name, k);
            else info.exportedNodes.push({ node: pv, names: [k] });
          }
        } else if (p.type === 'ObjectMethod') {
          const key = propertyKey(p);
          if (key !== null) info.exportedNodes.push({ node: p, names: name === 'default' ? [key, `default.${key}`] : [`${name}.${key}`] });
        }
      }
    } else if (v.type === 'NewExpression' && v.callee.type === 'Identifier') addExport(info.exportsByName, `new ${v.callee.name}`, name);
    else info.exportedNodes.push({ node: v, names: [name] });
  };

  walkAst(ast, (node) => {
    switch (node.type) {
      case 'FunctionDeclaration':
        if (node.id) info.functions.set(node.id.name, node);
        break;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.init) {
          const init = unwrap(node.init);
          if (isFunction(init)) info.functions.set(node.id.name, init);
          else info.inits.set(node.id.name, init);
        }
        break;
      case 'ExportDefaultDeclaration': {
        const d = node.declaration as Node;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) addExport(info.exportsByName, d.id.name, 'default');
        else exportValue(d, 'default');
        break;
      }
      case 'ExportNamedDeclaration': {
        const d = node.declaration;
        if (d?.type === 'FunctionDeclaration' && d.id) addExport(info.exportsByName, d.id.name, d.id.name);
        else if (d?.type === 'ClassDeclaration' && d.id) addExport(info.exportsByName, d.id.name, d.id.name);
        else if (d?.type === 'VariableDeclaration')
          for (const decl of d.declarations) if (decl.id.type === 'Identifier') addExport(info.exportsByName, decl.id.name, decl.id.name);
        if (!node.source) {
          for (const s of node.specifiers) {
            if (s.type !== 'ExportSpecifier') continue;
            addExport(info.exportsByName, s.local.name, s.exported.type === 'Identifier' ? s.exported.name : s.exported.value);
          }
        }
        break;
      }
      case 'AssignmentExpression': {
        if (node.operator !== '=') break;
        const name = isModuleExports(node.left);
        if (name) exportValue(node.right, name);
        break;
      }
      default:
        break;
    }
    return undefined;
  });
  // Class instances exported (`export default new UserController()`): their methods are exported members.
  for (const [local, names] of [...info.exportsByName]) {
    if (!local.startsWith('new ')) continue;
    const cls = findClass(ast, local.slice(4));
    if (!cls) continue;
    for (const m of (cls as unknown as { body: { body: Node[] } }).body.body) {
      if ((m.type === 'ClassMethod' || m.type === 'ClassProperty') && m.key.type === 'Identifier') {
        const value = m.type === 'ClassMethod' ? m : m.value ? unwrap(m.value) : null;
        if (value && isFunction(value)) info.exportedNodes.push({ node: value, names: names.flatMap((n) => [`${n}.${(m.key as { name: string }).name}`]) });
      }
    }
  }
  // Constructor functions exported (`module.exports = AllocationsHandler`, with `this.displayAllocations = (req, res) => …`
  // in its body): routes use an instance's members (`new AllocationsHandler(db).displayAllocations`).
  for (const [local, names] of info.exportsByName) {
    const fn = info.functions.get(local);
    const body = fn && (fn as { body?: Node }).body;
    if (!body || body.type !== 'BlockStatement') continue;
    for (const st of body.body) {
      if (st.type !== 'ExpressionStatement' || st.expression.type !== 'AssignmentExpression') continue;
      const left = st.expression.left;
      const value = unwrap(st.expression.right);
      if (left.type !== 'MemberExpression' || left.object.type !== 'ThisExpression' || left.computed || left.property.type !== 'Identifier') continue;
      if (isFunction(value)) info.exportedNodes.push({ node: value, names: names.map((n) => `${n}.${(left.property as { name: string }).name}`) });
    }
  }
  for (const [name, init] of info.inits) {
    const kind = guardKindOfInit(init, info);
    if (kind) info.varKinds.set(name, kind);
  }
  return info;
}

function findClass(ast: Node, name: string): Node | null {
  let found: Node | null = null;
  walkAst(ast, (n) => {
    if (found) return false;
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id?.name === name) found = n;
    return undefined;
  });
  return found;
}

/** `rateLimit({…})`, `new RateLimiterMemory(…)`, `passport.authenticate('jwt', …)`, `jwt({…}).unless(…)`. */
function guardKindOfInit(init: Node, info: FileContext): GuardKind | null {
  let n = unwrap(init);
  while (n.type === 'CallExpression' || n.type === 'NewExpression') {
    const parts = memberParts(n.callee as Node);
    if (parts) {
      const kind = importKind(parts, info);
      if (kind) return kind;
    }
    if (n.callee.type === 'MemberExpression') n = unwrap(n.callee.object);
    else break;
  }
  return null;
}

export function exportNamesOf(info: ModuleInfo, local: string | null, node: Node | null): string[] {
  const names = local ? [...(info.exportsByName.get(local) ?? [])] : [];
  if (node) for (const e of info.exportedNodes) if (e.node === node) names.push(...e.names);
  return names;
}
