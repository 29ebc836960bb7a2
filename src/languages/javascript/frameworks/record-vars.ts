import type { Node } from '@babel/types';
import { isFunction, memberParts, unwrap, visitTypes } from '../ast.js';
import { dataAccessOp } from '../tables/guards.js';
import type { JsRecordAccess } from '../../../model/js-routes.js';

export interface RecordVar {
  call: string;
  source: JsRecordAccess['source'];
  name: string;
}

type FindId = (node: Node) => { source: JsRecordAccess['source']; name: string } | null;

/**
 * Variables that hold a record read by an identifier from the request, so a later `user.save()`,
 * `user.update(…)` or `order.destroy()` is a change of that record (dvna's `User.find({ where: { id:
 * req.body.id } }).then(user => { …; user.save() })`): `const x = await Model.findOne(…)` and the first
 * parameter of a `.then(x => …)` chained on such a read.
 */
export function recordVars(fn: Node, findId: FindId): Map<string, RecordVar> {
  const out = new Map<string, RecordVar>();
  const readOf = (node: Node | null | undefined): RecordVar | null => {
    if (!node) return null;
    let n = unwrap(node);
    if (n.type === 'AwaitExpression') n = unwrap(n.argument);
    if (n.type !== 'CallExpression') return null;
    const parts = memberParts(n.callee as Node);
    const last = parts?.[parts.length - 1]?.replace(/\(\)$/, '');
    if (!parts || parts.length < 2 || !last || dataAccessOp(last) !== 'read') return null;
    for (const a of n.arguments as Node[]) {
      const id = findId(a);
      if (id) return { call: parts.join('.'), ...id };
    }
    return null;
  };
  visitTypes(fn, ['VariableDeclarator', 'CallExpression'], (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') {
      const read = readOf(n.init);
      if (read) out.set(n.id.name, read);
    }
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.property.type === 'Identifier' && n.callee.property.name === 'then') {
      const read = readOf(n.callee.object);
      const cb = n.arguments[0] ? unwrap(n.arguments[0] as Node) : null;
      const param = cb && isFunction(cb) ? (cb as { params: Node[] }).params[0] : undefined;
      if (read && param?.type === 'Identifier') out.set(param.name, read);
    }
    return undefined;
  });
  return out;
}
