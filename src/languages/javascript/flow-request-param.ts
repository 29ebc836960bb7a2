import type { Node } from '@babel/types';
import { functionName } from './ast.js';
import { REQUEST_PARAM_EVIDENCE as EVIDENCE } from './tables/request-params.js';
import { FUNCTION_TYPES, type NodeIndex } from './visit.js';

/** A parameter's name node: the name itself, or the name before a default (`request = {}`). */
function paramId(p: Node): Node {
  return p.type === 'AssignmentPattern' ? p.left : p;
}

/** The `request` parameter of a function (a plain name, or one with a default), or null. */
function requestParam(fn: Node): (Node & { type: 'Identifier' }) | null {
  for (const p of (fn as unknown as { params: Node[] }).params) {
    const id = paramId(p);
    if (id.type === 'Identifier' && id.name === 'request') return id;
  }
  return null;
}

/** The last name of a parameter's declared type reference (`NextRequest`, `Request` of `express.Request`). */
function typeName(param: Node): string | null {
  const type = (param as { typeAnnotation?: { typeAnnotation?: Node } | null }).typeAnnotation?.typeAnnotation;
  if (type?.type !== 'TSTypeReference') return null;
  const name = type.typeName;
  return name.type === 'Identifier' ? name.name : name.right.name;
}

/** Whether `fn` is an argument of a route registration (`router.get('/x', fn)`, `app.route(…).post(fn)`). */
function routeCallback(fn: Node, parent: Node | null): boolean {
  if (parent?.type !== 'CallExpression' || !parent.arguments.includes(fn as never)) return false;
  const callee = parent.callee;
  return (
    callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && EVIDENCE.routeMethod.pattern.test(callee.property.name)
  );
}

/**
 * The functions of a file that declare a `request` parameter, each with whether that parameter is *not* an HTTP
 * request (tables/request-params.ts): true for enhanced-resolve's `(request, resolveContext, callback)` hook, false
 * for `(request, reply)`, `GET(request: NextRequest)` or any such function of a file importing an HTTP framework.
 * Empty when no function declares one (the common case: one look at the text).
 */
export function plainRequestParams(index: NodeIndex, text: string, modules: readonly string[]): Map<Node, boolean> {
  const answers = new Map<Node, boolean>();
  if (!text.includes('request')) return answers;
  const serverFile = modules.some((m) => EVIDENCE.serverModule.pattern.test(m.startsWith('node:') ? m.slice(5) : m));
  index.each(FUNCTION_TYPES, (fn, position) => {
    const param = requestParam(fn);
    if (!param) return;
    if (serverFile) {
      answers.set(fn, false);
      return;
    }
    const parent = index.parent(position);
    const params = (fn as unknown as { params: Node[] }).params;
    const sibling = params.some((p) => {
      const id = paramId(p);
      return id !== param && id.type === 'Identifier' && EVIDENCE.siblingParam.pattern.test(id.name);
    });
    const typed = EVIDENCE.requestType.pattern.test(typeName(param) ?? '');
    const named = EVIDENCE.handlerName.pattern.test(functionName(fn, parent ?? undefined) ?? '');
    answers.set(fn, !(sibling || typed || named || routeCallback(fn, parent)));
  });
  return answers;
}
