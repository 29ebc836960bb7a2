import type { Node } from '@babel/types';
import type { ImportBinding } from '../../flow/summaries.js';
import { isFunction, memberParts, propertyKey, unwrap } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';
import type { NodeIndex } from './visit.js';

/** What the taint walk reads of a file's shape: its top-level functions and exports, class field types, bound names. */

/** A type annotation naming a class: `: UsersService` → `UsersService`. */
export function typeName(annotation: unknown): string | null {
  const t = (annotation as { typeAnnotation?: Node } | null | undefined)?.typeAnnotation;
  return t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier' ? t.typeName.name : null;
}

/**
 * The declared types of each top-level class's fields: constructor parameter properties
 * (`constructor(private readonly users: UsersService)`) and typed properties (`@Inject() users: UsersService`).
 */
export function classFieldTypes(program: Node & { type: 'Program' }): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const addClass = (cls: Node, name: string | undefined): void => {
    if (!name || (cls.type !== 'ClassDeclaration' && cls.type !== 'ClassExpression')) return;
    const fields = new Map<string, string>();
    for (const m of cls.body.body) {
      if (m.type === 'ClassProperty' && m.key.type === 'Identifier') {
        const type = typeName(m.typeAnnotation);
        if (type) fields.set(m.key.name, type);
      } else if (m.type === 'ClassMethod' && m.kind === 'constructor') {
        for (const p of m.params) {
          if (p.type !== 'TSParameterProperty') continue;
          const param = p.parameter;
          const id = param.type === 'AssignmentPattern' ? param.left : param;
          const type = id.type === 'Identifier' ? typeName(id.typeAnnotation) : null;
          if (id.type === 'Identifier' && type) fields.set(id.name, type);
        }
      }
    }
    if (fields.size > 0) out.set(name, fields);
  };
  for (const stmt of program.body) {
    const d = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as Node | null) : stmt;
    if (!d) continue;
    if (d.type === 'ClassDeclaration') addClass(d, d.id?.name);
    else if (d.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) addClass(unwrap(v.init), v.id.name);
  }
  return out;
}

/** `a`, `{ a, b: c, ...d }`, `[e = 1, ...f]`, `private g`: the identifiers a pattern binds. */
export function boundNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p.argument : (p.value as Node)));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? boundNames(e) : []));
    case 'RestElement':
      return boundNames(pattern.argument);
    case 'TSParameterProperty':
      return boundNames(pattern.parameter as Node);
    default:
      return [];
  }
}

/** A block (or statement) that always leaves: ends with return or throw. */
export function exits(node: Node): boolean {
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (node.type === 'BlockStatement') {
    const last = node.body[node.body.length - 1];
    return last !== undefined && exits(last);
  }
  if (node.type === 'ExpressionStatement') return exits(node.expression);
  // `return res.status(400).end()` is a ReturnStatement; a bare `res.status(400).end()` keeps going.
  return false;
}

export function isExpression(node: Node): boolean {
  return /Expression$|Literal$|^Identifier$/.test(node.type) && node.type !== 'ExpressionStatement';
}

/** Local bindings of imports: `import { exec } from 'child_process'` → exec ↦ child_process.exec. */
export function importBindings(input: JsFeatureInput): Map<string, ImportBinding> {
  const map = new Map<string, ImportBinding>();
  for (const fact of input.facts.imports) for (const n of fact.names) map.set(n.local, { module: fact.module, imported: n.imported });
  return map;
}

export interface TopLevelFunction {
  name: string;
  node: Node;
}

/** Top-level functions, function-valued consts and class methods (as `Class.method`), and the exported names. */
export function topLevelFunctions(program: Node & { type: 'Program' }): { functions: TopLevelFunction[]; exported: Set<string> } {
  const functions: TopLevelFunction[] = [];
  const exported = new Set<string>();
  const addClass = (cls: Node & { id?: { name: string } | null; body: { body: Node[] } }, name: string | undefined): void => {
    const className = name ?? cls.id?.name;
    if (!className) return;
    for (const m of cls.body.body) {
      if ((m.type === 'ClassMethod' || m.type === 'ClassPrivateMethod') && m.kind === 'method') {
        const key = propertyKey(m as Node & { key: Node; computed?: boolean });
        if (key) functions.push({ name: `${className}.${key}`, node: m });
      } else if (m.type === 'ClassProperty' && m.value && isFunction(m.value)) {
        const key = propertyKey(m);
        if (key) functions.push({ name: `${className}.${key}`, node: m.value });
      }
    }
  };
  const declaration = (node: Node, isExported: boolean): void => {
    if (node.type === 'FunctionDeclaration' && node.id) {
      functions.push({ name: node.id.name, node });
      constructorMethods(node.id.name, node, functions);
      if (isExported) exported.add(node.id.name);
    } else if (node.type === 'ClassDeclaration' && node.id) {
      addClass(node, undefined);
      if (isExported) exported.add(node.id.name);
    } else if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) {
        if (d.id.type !== 'Identifier' || !d.init) continue;
        const init = unwrap(d.init);
        if (isFunction(init)) {
          functions.push({ name: d.id.name, node: init });
          constructorMethods(d.id.name, init, functions);
        } else if (init.type === 'ClassExpression') addClass(init, d.id.name);
        if (isExported) exported.add(d.id.name);
      }
    }
  };
  for (const stmt of program.body) {
    if (stmt.type === 'ExportNamedDeclaration') {
      if (stmt.declaration) declaration(stmt.declaration, true);
      for (const s of stmt.specifiers) if (s.type === 'ExportSpecifier') exported.add(s.local.name);
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const d = stmt.declaration as Node;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) declaration(d, true);
      else if (isFunction(d)) functions.push({ name: 'default', node: d });
      else if (d.type === 'Identifier') exported.add(d.name);
      exported.add('default');
    } else if (stmt.type === 'ExpressionStatement' && stmt.expression.type === 'AssignmentExpression') {
      commonJsExports(stmt.expression, functions, exported);
      prototypeMethod(stmt.expression, functions);
    } else {
      declaration(stmt, false);
    }
  }
  return { functions, exported };
}

/** `module.exports = { a, b }`, `module.exports.a = function …`, `exports.a = (…) => …`. */
export function commonJsExports(node: Node & { type: 'AssignmentExpression' }, functions: TopLevelFunction[], exported: Set<string>): void {
  const left = memberParts(node.left as Node);
  if (!left) return;
  const target = left.join('.');
  const right = unwrap(node.right);
  if (target === 'module.exports') {
    if (right.type === 'Identifier') exported.add(right.name);
    if (right.type !== 'ObjectExpression') return;
    for (const p of right.properties) {
      if (p.type === 'ObjectMethod') {
        const key = propertyKey(p);
        if (key) functions.push({ name: key, node: p }), exported.add(key);
      } else if (p.type === 'ObjectProperty') {
        const key = propertyKey(p);
        const value = unwrap(p.value as Node);
        if (!key) continue;
        exported.add(key);
        if (value.type === 'Identifier') exported.add(value.name);
        else if (isFunction(value)) functions.push({ name: key, node: value });
      }
    }
    return;
  }
  const name = left[0] === 'module' && left[1] === 'exports' && left.length === 3 ? left[2] : left[0] === 'exports' && left.length === 2 ? left[1] : null;
  if (!name) return;
  exported.add(name);
  if (isFunction(right)) functions.push({ name, node: right });
  else if (right.type === 'Identifier') exported.add(right.name);
}

/**
 * A constructor function's methods: `function UserDAO(db) { this.find = function (id) { … } }` (statements of
 * its body, one level) → `UserDAO.find`, summarised like a class method.
 */
function constructorMethods(owner: string, fn: Node, functions: TopLevelFunction[]): void {
  const body = (fn as unknown as { body: Node }).body;
  if (body.type !== 'BlockStatement') return;
  for (const stmt of body.body) {
    if (stmt.type !== 'ExpressionStatement' || stmt.expression.type !== 'AssignmentExpression') continue;
    const left = memberParts(stmt.expression.left as Node);
    const right = unwrap(stmt.expression.right);
    if (left && left.length === 2 && left[0] === 'this' && isFunction(right)) functions.push({ name: `${owner}.${left[1]}`, node: right });
  }
}

/** `UserDAO.prototype.find = function (id) { … }` → `UserDAO.find`. */
function prototypeMethod(node: Node & { type: 'AssignmentExpression' }, functions: TopLevelFunction[]): void {
  const left = memberParts(node.left as Node);
  const right = unwrap(node.right);
  if (left && left.length === 3 && left[1] === 'prototype' && isFunction(right)) functions.push({ name: `${left[0]}.${left[2]}`, node: right });
}

/**
 * Names holding an instance of a class or constructor function: `const dao = new UserDAO(db)` → dao ↦ UserDAO,
 * `this.repo = new Repo(db)` → this.repo ↦ Repo. One map per file (names are not scoped: a name reused for
 * another class keeps the first).
 */
export function instanceNames(index: NodeIndex): Map<string, string> {
  const out = new Map<string, string>();
  const add = (target: Node, value: Node | null | undefined): void => {
    if (!value) return;
    const init = unwrap(value);
    if (init.type !== 'NewExpression' || init.callee.type !== 'Identifier') return;
    const parts = memberParts(target);
    if (parts && parts.length <= 2 && !out.has(parts.join('.'))) out.set(parts.join('.'), init.callee.name);
  };
  index.each(['VariableDeclarator'], (n) => {
    const { id, init } = n as Node & { id: Node; init: Node | null };
    add(id, init);
    // A map the code builds itself (`const cache = {}`, `new Map()`): marked with a leading space, never a class name.
    const value = init ? unwrap(init) : null;
    if (id.type === 'Identifier' && !out.has(id.name) && (value?.type === 'ObjectExpression' || value?.type === 'ArrayExpression')) out.set(id.name, ' fresh');
  });
  index.each(['AssignmentExpression'], (n) => add((n as Node & { left: Node }).left, (n as Node & { right: Node }).right));
  return out;
}

/** An object-literal argument's property `key`, if any. */
function optionValue(args: Node[], key: string): Node | null {
  for (const a of args) {
    const n = unwrap(a);
    if (n.type !== 'ObjectExpression') continue;
    for (const p of n.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === key) return p.value as Node;
  }
  return null;
}

/**
 * `res.sendFile(p, { root: './files' })`: the `root` option names a folder of its own (a literal part other than
 * `.`, `..` or `/`: `'./files'`, `path.join(__dirname, 'public')`). `__dirname`, `process.cwd()`, `'.'` or a value
 * from elsewhere are not: the app's own folder holds its source and secrets.
 */
export function confinedByOption(args: Node[], option: string): boolean {
  const value = optionValue(args, option);
  if (!value) return false;
  const literals: string[] = [];
  const collect = (n: Node): void => {
    if (n.type === 'StringLiteral') literals.push(n.value);
    else if (n.type === 'TemplateLiteral') {
      for (const q of n.quasis) literals.push(q.value.cooked ?? '');
      for (const e of n.expressions) collect(e as Node);
    } else if (n.type === 'CallExpression') for (const a of n.arguments) collect(a as Node);
    else if (n.type === 'BinaryExpression' && n.operator === '+') {
      collect(n.left as Node);
      collect(n.right);
    }
  };
  collect(unwrap(value));
  return literals.some((l) => l.split(/[\\/]+/).some((segment) => segment !== '' && !/^\.+$/.test(segment)));
}

/** `Model.update({ … }, { where: … })`: Sequelize's (values, options), the values bound as parameters, not a filter. */
export function sequelizeUpdate(callee: string, args: Node[]): boolean {
  if (!/(?:^|\.)update$/.test(callee) || args.length !== 2) return false;
  const options = unwrap(args[1]!);
  return options.type === 'ObjectExpression' && options.properties.some((p) => p.type === 'ObjectProperty' && propertyKey(p) === 'where');
}
