import type { Node } from '@babel/types';
import { isFunction, memberParts, propertyKey, staticString, unwrap } from './ast.js';

/**
 * Development defaults the code refuses in production (issue 15, SOC2-002): a secret assigned after a throw that
 * runs when the app is in production, written before it or in a same-file helper called just before it. medusa's
 * ConfigManager: `if (!http.jwtSecret) { this.rejectErrors('…'); http.jwtSecret = 'supersecret' }`, where
 * `rejectErrors` throws when `this.#isProduction`. Such a value never runs in production: it is found, ranked low.
 */

/** Names of a production flag: `isProduction`, `this.#isProduction`, `IS_PROD`, `inProduction`, `isProductionMode()`. */
const PRODUCTION_NAME = /^(?:is|in)?_?prod(?:uction)?(?:_?(?:mode|env(?:ironment)?|build))?(?:\(\))?$/i;
const PRODUCTION_VALUE = /^(?:production|prod)$/i;

/** How many statements before the value (per enclosing block) may hold the guard: "just before it". */
const SIBLINGS_BEFORE = 3;

/** Last static name of a member chain or call (`this.#isProduction` → `isProduction`, `isProd()` → `isProd()`). */
function lastName(node: Node): string | null {
  const parts = memberParts(node);
  return parts ? parts[parts.length - 1]! : null;
}

/**
 * Whether the test is true in production (`true`), true outside it (`false`: `!isProduction`, `NODE_ENV !== 'production'`),
 * or says nothing of it (`null`).
 */
export function productionPolarity(test: Node): boolean | null {
  const n = unwrap(test);
  switch (n.type) {
    case 'UnaryExpression': {
      if (n.operator !== '!') return null;
      const inner = productionPolarity(n.argument);
      return inner === null ? null : !inner;
    }
    case 'LogicalExpression': {
      const sides = [productionPolarity(n.left), productionPolarity(n.right)];
      if (sides.includes(true) && !sides.includes(false)) return true;
      if (sides.includes(false) && !sides.includes(true)) return false;
      return null;
    }
    case 'BinaryExpression': {
      const literal = [n.left as Node, n.right].map((side) => staticString(side)).find((s) => s !== null && PRODUCTION_VALUE.test(s));
      if (literal === undefined) return null;
      if (n.operator === '===' || n.operator === '==') return true;
      return n.operator === '!==' || n.operator === '!=' ? false : null;
    }
    case 'CallExpression': {
      // `['production', 'prod'].includes(process.env.NODE_ENV)`
      const callee = unwrap(n.callee as Node);
      if (callee.type === 'MemberExpression' && lastName(callee) === 'includes' && unwrap(callee.object).type === 'ArrayExpression') {
        const array = unwrap(callee.object) as Node & { elements: Array<Node | null> };
        return array.elements.some((e) => e !== null && PRODUCTION_VALUE.test(staticString(e) ?? '')) ? true : null;
      }
      const name = lastName(n);
      return name !== null && PRODUCTION_NAME.test(name) ? true : null;
    }
    case 'Identifier':
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const name = lastName(n);
      return name !== null && PRODUCTION_NAME.test(name) ? true : null;
    }
    default:
      return null;
  }
}

/** A branch that throws (or exits) on its way: `throw new Error(…)`, `{ log(…); throw … }`, `process.exit(1)`. */
function throws(branch: Node | null | undefined): boolean {
  if (!branch) return false;
  const statements = branch.type === 'BlockStatement' ? branch.body : [branch];
  return statements.some((s) => {
    if (s.type === 'ThrowStatement') return true;
    if (s.type !== 'ExpressionStatement') return false;
    const e = unwrap(s.expression);
    return e.type === 'CallExpression' && memberParts(e.callee as Node)?.join('.') === 'process.exit';
  });
}

/** `if (isProduction) throw …` or `if (!isProduction) { warn } else { throw … }`. */
export function isProductionThrow(node: Node): boolean {
  if (node.type !== 'IfStatement') return false;
  const polarity = productionPolarity(node.test);
  return (polarity === true && throws(node.consequent)) || (polarity === false && throws(node.alternate));
}

/** The name of the function a node sits in (method, function declaration, or a function assigned to a name); null at top level. */
export function enclosingFunctionName(ancestors: readonly Node[]): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    if (!isFunction(node)) continue;
    if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || node.type === 'ObjectMethod') {
      return propertyKey(node as Node & { key: Node; computed?: boolean });
    }
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
      if (node.id) return node.id.name;
    }
    const parent = ancestors[i - 1];
    if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
    if (parent && (parent.type === 'ClassProperty' || parent.type === 'ClassPrivateProperty' || parent.type === 'ObjectProperty')) {
      return propertyKey(parent as Node & { key: Node; computed?: boolean });
    }
    return null;
  }
  return null;
}

/** The statements of a block-like node, or null. */
function statementsOf(node: Node): Node[] | null {
  if (node.type === 'BlockStatement' || node.type === 'Program' || node.type === 'StaticBlock') return node.body;
  if (node.type === 'SwitchCase') return node.consequent;
  return null;
}

/**
 * Whether a statement, run before the value, throws in production: `if (isProduction) throw …` itself, or a call
 * statement to a same-file production thrower (`this.rejectErrors(…)`, `await assertNotProduction(…)`). A thrower
 * nested in another branch (`if (!a) { rejectErrors(…) }`) guards that branch only, not what follows it.
 */
function guards(statement: Node, throwers: ReadonlySet<string>): boolean {
  if (isProductionThrow(statement)) return true;
  if (statement.type !== 'ExpressionStatement') return false;
  let e = unwrap(statement.expression);
  if (e.type === 'AwaitExpression') e = unwrap(e.argument);
  if (e.type !== 'CallExpression' && e.type !== 'OptionalCallExpression') return false;
  const parts = memberParts(e.callee as Node);
  if (!parts) return false;
  // A plain call or a call on `this`: the helper of the same file, not a method of some other object.
  const own = parts.length === 1 || (parts.length === 2 && parts[0] === 'this');
  return own && throwers.has(parts[parts.length - 1]!);
}

/**
 * Whether the value at the end of `chain` (its ancestors, outermost first, then the value's own node) is refused in
 * production: one of the few statements before it, in its block or an enclosing block of the same function, throws
 * in production. `throwers` names the file's functions that throw in production.
 */
export function refusedInProduction(chain: readonly Node[], throwers: ReadonlySet<string>): boolean {
  for (let i = chain.length - 2; i >= 0; i--) {
    const node = chain[i]!;
    if (isFunction(node)) return false;
    const statements = statementsOf(node);
    if (!statements) continue;
    const at = statements.indexOf(chain[i + 1]!);
    for (let j = at - 1; j >= 0 && j >= at - SIBLINGS_BEFORE; j--) if (guards(statements[j]!, throwers)) return true;
  }
  return false;
}
