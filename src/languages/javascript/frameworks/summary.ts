import type { Node } from '@babel/types';
import type { GuardKind, HandlerSignal } from '../../../model/endpoints.js';
import {
  AUTHZ_CALLS,
  IDENTITY_CALLS,
  OWNER_PROPERTIES,
  ROLE_PROPERTIES,
  SELF_CHECKING_AUTH_CALLS,
  dataAccessOp,
  guardKindOfImport,
  guardKindOfName,
} from '../tables/guards.js';
import { AUTH_HEADER, IDENTITY_DECORATORS, IDENTITY_NAMES, IDENTITY_SEGMENT } from '../tables/identity.js';
import { isFunction as isFunctionNode, memberParts, unwrap, visitTypes, walkAst } from '../ast.js';
import type { JsFunctionSummary, JsRecordAccess } from '../../../model/js-routes.js';
import { CAPTCHA_CHECK, TOKEN_CHECK, capabilityNamesIn } from '../../../model/endpoint-public.js';
import { recordVars } from './record-vars.js';

/** What a file knows while summarising: its imports and the kinds of its module-level guard variables. */
export interface FileContext {
  text: string;
  /** Functions declared in the file by name (helpers a handler calls). */
  functions?: Map<string, Node>;
  imports: Map<string, { module: string; imported: string }>;
  /** `const limiter = rateLimit(…)`, `const auth = passport.authenticate('jwt')` at module level. */
  varKinds: Map<string, GuardKind>;
}

const REQUEST_ROOTS = new Set(['req', 'request', 'ctx', 'context', 'c', 'event', 'res', 'response']);
export const REQUEST_ID_SOURCES = new Set(['params', 'query', 'body']);
const NOT_DATA_ROOTS = new Set([
  'req',
  'request',
  'res',
  'response',
  'reply',
  'ctx',
  'console',
  'JSON',
  'Object',
  'Array',
  'Math',
  'Promise',
  'Number',
  'String',
  'Reflect',
  'map',
  'cache',
  'headers',
  'searchParams',
  'url',
  'formData',
  'localStorage',
  'sessionStorage',
  'fs',
  'path',
]);
export const SIGNATURE_CALLS = /(constructEvent\w*|verify\w*Signature|verifyWebhook\w*|timingSafeEqual|validateRequest|verifyHeader)$/;

export function shorten(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function sourceOf(node: Node, text: string): string {
  return text.slice(node.start ?? 0, node.end ?? 0);
}

/** The kind a call or reference to an imported binding carries (`rateLimit(…)`, `passport.authenticate`). */
export function importKind(parts: string[], ctx: FileContext): GuardKind | null {
  const root = parts[0]!.replace(/\(\)$/, '');
  const imp = ctx.imports.get(root);
  if (imp) return guardKindOfImport(imp.module, imp.imported, parts[1]?.replace(/\(\)$/, ''));
  return ctx.varKinds.get(root) ?? null;
}

interface BodyState {
  identityVars: Set<string>;
  requestIds: Map<string, JsRecordAccess['source']>;
}

function patternNames(node: Node | null | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.type === 'Identifier') out.push(node.name);
  else if (node.type === 'ObjectPattern') for (const p of node.properties) patternNames(p.type === 'RestElement' ? p.argument : (p.value as Node), out);
  else if (node.type === 'ArrayPattern') for (const e of node.elements) patternNames(e as Node | null, out);
  else if (node.type === 'AssignmentPattern') patternNames(node.left, out);
  return out;
}

/** `req.user`, `ctx.state.user`, `req.headers.authorization`, a variable holding the session … */
function isIdentity(node: Node, state: BodyState): boolean {
  const parts = memberParts(node);
  if (!parts) return false;
  const root = parts[0]!.replace(/\(\)$/, '');
  if (state.identityVars.has(root)) return true;
  if (IDENTITY_NAMES.test(root)) return true;
  if (!REQUEST_ROOTS.has(root)) return false;
  const rest = parts.slice(1);
  if (rest[0] === 'headers' && rest[1] && AUTH_HEADER.test(rest[1])) return true;
  if (rest[0] === 'session' && rest.length === 1) return false;
  // `req.body.userId` is what the caller sent, not who the caller is.
  if (rest.some((s) => REQUEST_ID_SOURCES.has(s))) return false;
  return rest.some((s) => IDENTITY_SEGMENT.test(s));
}

function mentionsIdentity(node: Node, state: BodyState): boolean {
  let found = false;
  walkAst(node, (n) => {
    if (found) return false;
    if (
      (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression' || n.type === 'Identifier' || n.type === 'CallExpression') &&
      isIdentity(n, state)
    ) {
      found = true;
      return false;
    }
    return undefined;
  });
  return found;
}

function mentionsRole(node: Node): boolean {
  let found = false;
  walkAst(node, (n) => {
    if (found) return false;
    if (
      (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') &&
      !n.computed &&
      n.property.type === 'Identifier' &&
      ROLE_PROPERTIES.test(n.property.name)
    )
      found = true;
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      const parts = memberParts(n.callee as Node);
      const last = parts?.[parts.length - 1];
      if (last && (AUTHZ_CALLS.test(last) || (/^includes$/.test(last) && mentionsRoleWord(n.callee as Node)))) found = true;
    }
    return undefined;
  });
  return found;
}

function mentionsRoleWord(node: Node): boolean {
  const parts = memberParts(node);
  return !!parts && parts.some((p) => ROLE_PROPERTIES.test(p));
}

function answers401(node: Node | null | undefined): boolean {
  if (!node) return false;
  let found = false;
  walkAst(node, (n) => {
    if (found || isFunctionNode(n)) return false;
    if (n.type === 'NumericLiteral' && n.value === 401) found = true;
    return undefined;
  });
  return found;
}

/** An answer that refuses the request: 401/403 anywhere, a throw, `next(err)`, a redirect, `unauthorized()`. */
function rejects(node: Node | null | undefined): boolean {
  if (!node) return false;
  let found = false;
  walkAst(node, (n) => {
    if (found) return false;
    if (n.type === 'NumericLiteral' && (n.value === 401 || n.value === 403)) found = true;
    else if (n.type === 'ThrowStatement') found = true;
    else if (n.type === 'CallExpression') {
      const parts = memberParts(n.callee as Node);
      const last = parts?.[parts.length - 1] ?? '';
      if (last === 'next' && n.arguments.length > 0) found = true;
      if (/^(redirect|unauthorized|forbidden|Unauthorized|Forbidden|permanentRedirect)$/.test(last)) found = true;
    } else if (n.type === 'Identifier' && /^(Unauthorized|Forbidden)\w*$/.test(n.name)) found = true;
    return undefined;
  });
  return found;
}

function requestSource(node: Node, state: BodyState): { source: JsRecordAccess['source']; name: string } | null {
  const n = unwrap(node);
  if (n.type === 'Identifier') {
    const source = state.requestIds.get(n.name);
    return source ? { source, name: n.name } : null;
  }
  const parts = memberParts(n);
  if (!parts) return null;
  if (parts[0] === 'params' && parts.length === 2) return { source: 'params', name: parts[1]! };
  const i = parts.findIndex((p) => REQUEST_ID_SOURCES.has(p));
  if (i <= 0 || i !== parts.length - 2) return null;
  const root = parts[0]!;
  if (!REQUEST_ROOTS.has(root) && !(root === 'context' || root === 'props')) return null;
  return { source: parts[i] as JsRecordAccess['source'], name: parts[i + 1]! };
}

/** Identifiers taken from the request somewhere inside `node`. */
function findRequestId(node: Node, state: BodyState): { source: JsRecordAccess['source']; name: string } | null {
  let hit: { source: JsRecordAccess['source']; name: string } | null = null;
  walkAst(node, (n) => {
    if (hit) return false;
    if (n.type === 'Identifier' || n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      hit = requestSource(n, state);
      if (hit) return false;
    }
    return undefined;
  });
  return hit;
}

/** The arguments of a call and of every call it is chained on (`knex('t').where({ id }).del()`). */
function chainArgs(call: Node): Node[] {
  const out: Node[] = [];
  let n: Node | null = call;
  while (
    n &&
    (n.type === 'CallExpression' ||
      n.type === 'OptionalCallExpression' ||
      n.type === 'MemberExpression' ||
      n.type === 'OptionalMemberExpression' ||
      n.type === 'AwaitExpression')
  ) {
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') {
      out.push(...(n.arguments as Node[]));
      n = n.callee as Node;
    } else if (n.type === 'AwaitExpression') n = n.argument;
    else n = n.object as Node;
  }
  return out;
}

const OP_RANK = { read: 1, update: 2, delete: 3 } as const;

/** The request-derived parameters of a NestJS handler (`@Param('id') id`) and its current-user parameters. */
function decoratedParams(fn: Node, state: BodyState): void {
  const params = (fn as unknown as { params?: Node[] }).params ?? [];
  for (const p of params) {
    const decorators = (p as unknown as { decorators?: Array<{ expression: Node }> }).decorators ?? [];
    const target = p.type === 'TSParameterProperty' ? p.parameter : p;
    const names = patternNames(target as Node);
    for (const d of decorators) {
      const call = d.expression;
      const callee = call.type === 'CallExpression' ? memberParts(call.callee as Node)?.join('.') : memberParts(call)?.join('.');
      if (!callee) continue;
      const source = callee === 'Param' ? 'params' : callee === 'Query' ? 'query' : callee === 'Body' ? 'body' : null;
      if (source) for (const name of names) state.requestIds.set(name, source);
      else if (IDENTITY_DECORATORS.test(callee)) for (const name of names) state.identityVars.add(name);
      else if (callee === 'Req' || callee === 'Request')
        for (const name of names) if (name !== 'req' && name !== 'request') state.identityVars.add(`${name}.user`);
    }
  }
}

/**
 * Reads a route handler or middleware: the checks it makes, the records it loads by an identifier from the
 * request, and whether the current user constrains them.
 */
export function summarizeFunction(fn: Node, ctx: FileContext, name: string, exportedAs: string[] = []): JsFunctionSummary {
  const state: BodyState = { identityVars: new Set(), requestIds: new Map() };
  decoratedParams(fn, state);
  const checks: JsFunctionSummary['checks'] = [];
  const seen = new Set<string>();
  const addCheck = (kind: GuardKind, what: string, line: number) => {
    const key = `${kind}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    checks.push({ kind, name: shorten(what), line });
  };
  let access: JsRecordAccess | undefined;
  let ownership = false;
  let verifiesSignature = false;

  // First pass: variables that hold the current user or an identifier from the request.
  visitTypes(fn, ['Decorator', 'VariableDeclarator'], (n) => {
    if (n.type === 'Decorator') return false;
    if (n.type !== 'VariableDeclarator' || !n.init) return undefined;
    let init = unwrap(n.init);
    if (init.type === 'AwaitExpression') init = unwrap(init.argument);
    const names = patternNames(n.id);
    if (init.type === 'CallExpression') {
      const parts = memberParts(init.callee as Node);
      const last = parts?.[parts.length - 1]?.replace(/\(\)$/, '');
      if (last && (IDENTITY_CALLS.test(last) || (parts && importKind(parts, ctx) === 'authentication'))) for (const v of names) state.identityVars.add(v);
      if (last && /^(parseInt|Number|String|parseFloat|BigInt|ObjectId|toString)$/.test(last)) {
        const src = findRequestId(init, state);
        if (src && n.id.type === 'Identifier') state.requestIds.set(n.id.name, src.source);
      }
    }
    if (mentionsIdentity(init, state) && !findRequestId(init, state)) for (const v of names) state.identityVars.add(v);
    // `const { userId } = req.session`: who the caller is, kept on the server.
    const held = memberParts(init);
    if (n.id.type === 'ObjectPattern' && held?.length === 2 && REQUEST_ROOTS.has(held[0]!) && /^(?:session|user)$/.test(held[1]!))
      for (const v of names) if (IDENTITY_SEGMENT.test(v)) state.identityVars.add(v);
    // `const { id } = req.params`, `const id = req.params.id`, `const { id } = await params`
    const parts = memberParts(init);
    if (parts) {
      const last = parts[parts.length - 1]!;
      if (
        REQUEST_ID_SOURCES.has(last) &&
        (parts.length === 1 || REQUEST_ROOTS.has(parts[0]!) || parts[0] === 'context' || parts[0] === 'props') &&
        n.id.type === 'ObjectPattern'
      ) {
        for (const v of names) state.requestIds.set(v, last as JsRecordAccess['source']);
      } else {
        const src = requestSource(init, state);
        if (src && n.id.type === 'Identifier') state.requestIds.set(n.id.name, src.source);
      }
    }
    return undefined;
  });

  const records = recordVars(fn, (node) => findRequestId(node, state));
  visitTypes(fn, ['Decorator', 'IfStatement', 'ConditionalExpression', 'TryStatement', 'CallExpression', 'OptionalCallExpression', 'NewExpression'], (n) => {
    if (n.type === 'Decorator') return false;
    if (n.type === 'IfStatement' || n.type === 'ConditionalExpression') {
      const test = n.test;
      const refuses = rejects(n.consequent) || rejects(n.alternate);
      const testText = `if (${shorten(sourceOf(test, ctx.text), 40)})`;
      if (comparesOwner(test, state)) {
        ownership = true;
        // Comparing with the current user needs one: a refusal here also keeps anonymous callers out.
        if (refuses) addCheck('authentication', testText, test.loc!.start.line);
        return undefined;
      }
      // `if (!(await userOwnsPost(id))) return 403`: a local helper that reads the session decides.
      const helper = refuses ? localHelperCall(test, ctx) : null;
      if (helper) {
        addCheck('authentication', testText, test.loc!.start.line);
        if (helper.owner) ownership = true;
        return undefined;
      }
      if (refuses && mentionsRole(test)) addCheck('authorization', testText, test.loc!.start.line);
      else if (refuses && mentionsIdentity(test, state)) addCheck('authentication', testText, test.loc!.start.line);
      // 401 means "authenticate first" whatever the condition says.
      else if (answers401(n.consequent) || answers401(n.alternate)) addCheck('authentication', testText, test.loc!.start.line);
      return undefined;
    }
    if (n.type === 'TryStatement' && n.handler && answers401(n.handler.body)) {
      addCheck('authentication', 'catch → 401', n.handler.loc!.start.line);
      return undefined;
    }
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression' || n.type === 'NewExpression') {
      const parts = memberParts(n.callee as Node);
      if (!parts) return undefined;
      const dotted = parts.join('.').replace(/\(\)/g, '()');
      const last = parts[parts.length - 1]!.replace(/\(\)$/, '');
      const line = n.loc!.start.line;
      // `jwt.verify(token, key)` throws on a bad token; with a callback it refuses nothing by itself.
      const callback = n.arguments.length > 0 && isFunctionNode(n.arguments[n.arguments.length - 1] as Node);
      if (SELF_CHECKING_AUTH_CALLS.some((c) => c.pattern.test(dotted))) {
        if (!callback) addCheck('authentication', `${dotted}()`, line);
      } else if (AUTHZ_CALLS.test(last) && n.type !== 'NewExpression') addCheck('authorization', `${dotted}()`, line);
      else {
        const kind = importKind(parts, ctx);
        if (kind && !(kind === 'authentication' && IDENTITY_CALLS.test(last))) addCheck(kind, `${dotted}()`, line);
        else if (!kind && !IDENTITY_CALLS.test(last) && guardKindOfName(last) === 'authentication' && parts.length <= 2)
          addCheck('authentication', `${dotted}()`, line);
        else if (!kind && guardKindOfName(last) === 'rate-limit' && parts.length <= 2) addCheck('rate-limit', `${dotted}()`, line);
      }
      if (SIGNATURE_CALLS.test(dotted)) verifiesSignature = true;
      // `await verifySlackRequest(req)`: a helper of this file that checks the signature.
      else if (parts.length === 1 && helperVerifiesSignature(parts[0]!, ctx)) verifiesSignature = true;
      const op = n.type === 'NewExpression' ? null : dataAccessOp(last);
      const root = parts[0]!.replace(/\(\)$/, '');
      // `user.save()` on a record read by a request id changes that record.
      const record = op && op !== 'read' && parts.length === 2 ? records.get(root) : undefined;
      if (record && op && (!access || OP_RANK[op] > OP_RANK[access.op])) access = { op, ...record, line };
      if (op && parts.length >= 2 && !NOT_DATA_ROOTS.has(root) && !state.identityVars.has(root)) {
        const args = chainArgs(n);
        let src: ReturnType<typeof findRequestId> = null;
        for (const a of args) if ((src = findRequestId(a, state))) break;
        // Constrained by the current user, or by an owner column (`where: { id, UserId }`).
        if (args.some((a) => mentionsIdentity(a, state) || hasOwnerKey(a))) ownership = true;
        if (src && (!access || OP_RANK[op] > OP_RANK[access.op])) access = { op, call: dotted, source: src.source, name: src.name, line };
      }
    }
    return undefined;
  });
  const summary: JsFunctionSummary = { exportedAs, name, line: fn.loc!.start.line, checks, ownership, verifiesSignature };
  if (access) summary.access = access;
  const text = sourceOf(fn, ctx.text);
  const signals = publicSignals(text);
  if (signals.length > 0) summary.signals = signals;
  const names = capabilityNamesIn(text);
  if (names.length > 0) summary.capabilityNames = names;
  return summary;
}

const REDIRECT = /\b(?:redirect|permanentRedirect)\(/;
const RESPONDS = /\.(?:json|send|sendFile|render|write|end|status)\(|\bnew Response\(|\bResponse\.json\(|\breturn\s+(?!\w*\.?redirect\b|redirect\()[\w{[]/;
const WRITES = /\.(?:save|destroy|delete|create|update|insert|upsert|remove)\w*\(/;

/** `redirect` when the body only redirects (short, no other response, no write); `captcha` when it checks one. */
function publicSignals(text: string): HandlerSignal[] {
  const out: HandlerSignal[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (REDIRECT.test(text) && lines.length <= 8 && !RESPONDS.test(text) && !WRITES.test(text)) out.push('redirect');
  if (CAPTCHA_CHECK.test(text)) out.push('captcha');
  if (TOKEN_CHECK.test(text)) out.push('token-check');
  if (CONSTANT_HANDLER.test(text)) out.push('constant');
  if (STATIC_PAGE_HANDLER.test(text)) out.push('static-page');
  if (STATIC_FILE_HANDLER.test(text) && lines.length <= 5 && !WRITES.test(text)) out.push('static-file');
  return out;
}

/**
 * `(req, res) => { res.send('Bot is running!') }`: a handler whose only statement sends a constant text (a
 * keep-alive page). A JSON literal (`res.json({ ok: true })`) is not taken: a stub body is no proof of nothing.
 */
export const CONSTANT_HANDLER =
  /^(?:async\s+)?(?:function\s*\w*\s*)?\([^)]*\)\s*(?:=>)?\s*\{?\s*(?:return\s+)?\w+(?:\.status\(\d+\))?\.(?:send|end)\(\s*(?:'[^'\\]*'|"[^"\\]*"|`[^`$\\]*`)\s*\)\s*;?\s*\}?\s*$/;
export const CONSTANT_HANDLER_SAMPLES = {
  must: ["(req, res) => {\n  res.send('Bot is running!')\n}", "(req, res) => res.status(200).send('ok')", 'function (req, res) { res.end("alive"); }'],
  mustNot: [
    '(req, res) => res.json(req.user)',
    "(req, res) => { db.save(); res.send('ok') }",
    '(req, res) => res.send(`hi ${req.query.name}`)',
    '(req, res) => res.json({ ok: true })',
  ],
};
/** `(req, res) => { res.render('dashboard'); }`: a template rendered with no data from the handler. */
export const STATIC_PAGE_HANDLER =
  /^(?:async\s+)?(?:function\s*\w*\s*)?\([^)]*\)\s*(?:=>)?\s*\{?\s*(?:return\s+)?\w+\.render\(\s*(?:'[^'\\]*'|"[^"\\]*")\s*\)\s*;?\s*\}?\s*$/;

/** `response.sendFile(path, { root: './files' })`: express resolves the name under a fixed folder (static serving). */
const STATIC_FILE_HANDLER = /\.sendFile\(\s*[\w.]+\s*,\s*\{\s*root\s*:/;

const HELPER_SIGNATURE = /\b(?:constructEvent\w*|timingSafeEqual|verify\w*Signature|verifyWebhook\w*|verifyHeader)\s*\(/;

function helperVerifiesSignature(name: string, ctx: FileContext): boolean {
  const helper = ctx.functions?.get(name);
  return helper !== undefined && HELPER_SIGNATURE.test(sourceOf(helper, ctx.text));
}

/** `post.authorId !== req.user.id`, `order.user.equals(req.user._id)`, `String(doc.owner) === userId`. */
function comparesOwner(test: Node, state: BodyState): boolean {
  let found = false;
  walkAst(test, (n) => {
    if (found) return false;
    if (n.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(n.operator)) {
      const l = n.left as Node;
      const r = n.right;
      if ((mentionsIdentity(l, state) && mentionsOwner(r)) || (mentionsIdentity(r, state) && mentionsOwner(l))) found = true;
    }
    if (n.type === 'CallExpression') {
      const parts = memberParts(n.callee as Node);
      if (parts && parts[parts.length - 1] === 'equals' && n.arguments.some((a) => mentionsIdentity(a as Node, state))) found = true;
    }
    return undefined;
  });
  return found;
}

function mentionsOwner(node: Node): boolean {
  let found = false;
  walkAst(node, (n) => {
    if (found) return false;
    const parts = n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression' || n.type === 'Identifier' ? memberParts(n) : null;
    if (parts && parts.some((p) => OWNER_PROPERTIES.test(p))) found = true;
    return undefined;
  });
  return found;
}

/** `{ where: { id, userId: … } }`: the query names an owner column. */
function hasOwnerKey(node: Node): boolean {
  let found = false;
  walkAst(node, (n) => {
    if (found || isFunctionNode(n)) return false;
    if (n.type === 'ObjectProperty' && !n.computed && n.key.type === 'Identifier' && OWNER_PROPERTIES.test(n.key.name)) found = true;
    return undefined;
  });
  return found;
}

/** A call in `test` to a function of this file whose body reads the current user; `owner` when it filters by an owner column. */
function localHelperCall(test: Node, ctx: FileContext): { owner: boolean } | null {
  let hit: { owner: boolean } | null = null;
  walkAst(test, (n) => {
    if (hit) return false;
    if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier') return undefined;
    const fn = ctx.functions?.get(n.callee.name);
    if (!fn) return undefined;
    const state: BodyState = { identityVars: new Set(), requestIds: new Map() };
    walkAst(fn, (m) => {
      if (m.type === 'VariableDeclarator' && m.init) {
        let init = unwrap(m.init);
        if (init.type === 'AwaitExpression') init = unwrap(init.argument);
        const parts = init.type === 'CallExpression' ? memberParts(init.callee as Node) : null;
        const last = parts?.[parts.length - 1]?.replace(/\(\)$/, '');
        if (last && IDENTITY_CALLS.test(last)) for (const v of patternNames(m.id)) state.identityVars.add(v);
      }
      return undefined;
    });
    if (mentionsIdentity((fn as unknown as { body: Node }).body, state)) hit = { owner: hasOwnerKey((fn as unknown as { body: Node }).body) };
    return undefined;
  });
  return hit;
}
