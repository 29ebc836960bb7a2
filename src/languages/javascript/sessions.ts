import type { Node } from '@babel/types';
import type { FileFacts, OptionValue, SessionFact } from '../../model/facts.js';
import { CSRF_CALLEE, CSRF_MODULES, EXPIRY_CLAIM, REQUEST_TOKEN_READ, SESSION_MODULES, isDevOnlyPath } from '../../model/session-settings.js';
import { calleeName, flattenObject, isFunction, memberParts, propertyKey, rangeOf, sourceOf, staticString, unwrap, walkAst } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';
import { JS_NAME_ESCAPE, jsGateTexts } from './escaped-text.js';

/**
 * Session facts of one JS/TS file (SOC2-009): session middleware options, cookie writes with their flags, JWT
 * sign/verify/decode calls with options, CSRF protection, state-changing routes (a fallback signal while the
 * endpoint model is empty) and logins that put a user into the session.
 */

const COOKIE_WRITE =
  /^(?:res|response|reply|resp|ctx\.cookies|ctx\.response|event\.cookies|cookieStore|cookies\(\)|response\.cookies|res\.cookies|NextResponse\.next\(\)\.cookies)\.(cookie|setCookie|set)$/;
const ROUTE_METHOD = /^(post|put|patch|delete|del)$/;
const SESSION_LOGIN_KEY =
  /^(user|userId|user_id|uid|account|accountId|loggedIn|isLoggedIn|logged_in|authenticated|isAuthenticated|auth|username|email|role|isAdmin|admin|userid)$/i;
const DEV_TEST =
  /(NODE_ENV|\benv\b|environment|mode)\s*===?\s*['"](development|dev|test|local)['"]|['"](development|dev|test|local)['"]\s*===?\s*[\w.]*(NODE_ENV|env)|NODE_ENV\s*!==?\s*['"]production['"]|\b(isDev|isDevelopment|isTest|devMode)\b/;
const REGENERATE = /(^|\.)(regenerate|regenerateSession|regenerateAsync)$/;
const JWT_MODULES = new Set(['jsonwebtoken', 'jose', '@nestjs/jwt', 'passport-jwt', 'jws']);

function isDevBranch(ancestors: readonly Node[], node: Node, text: string): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    const child = ancestors[i + 1] ?? node;
    if ((a.type === 'IfStatement' || a.type === 'ConditionalExpression') && a.consequent === child && DEV_TEST.test(sourceOf(a.test, text))) return true;
  }
  return false;
}

/**
 * Names the extractor reacts to without an import (case-insensitive, a superset): `session` (a login written to
 * `req.session.user`), the CSRF_CALLEE names (`csrf`, `csurf`, `lusca`, `SeaSurf`, `CSRFProtect`, …), `cookie`
 * (COOKIE_WRITE's `.cookie` / `.setCookie` and its `cookies` / `cookieStore` prefixes), `jwt` (a `jwt.sign` without an
 * import, `JwtModule.register`, the `jwtFromRequest` option of a passport-jwt strategy), and ROUTE_METHOD's names as
 * whole words (a state-changing route `x.post('/path', handler)`).
 */
const JS_SESSION_NAMES = /session|csrf|csurf|lusca|seasurf|cookie|jwt|\b(?:post|put|patch|delete|del)\b/i;
/** COOKIE_WRITE's `res.set(…)` / `response.set` / `reply.set` / `resp.set` / `ctx.response.set`: both names, whole. */
const JS_SET_NAME = /\bset\b/;
const JS_RESPONSE_NAME = /\b(?:res|resp|response|reply)\b/;

/**
 * Whether extractJsSessions may record anything in this file: a necessary condition, read before any tree walk.
 * Facts come from imports (CSRF_MODULES, then SESSION_MODULES and JWT_MODULES, the only modules whose names it looks
 * up) or from the names above in the code, written as they are or with escapes (an identifier's `\u0073ession`, a
 * string key's `'s\u0065t'`): when the text has an escape that can give a letter (JS_NAME_ESCAPE), the names are also
 * looked for in the text with its escapes decoded (jsGateTexts).
 */
export function jsSessionsMayApply(text: string, facts: FileFacts): boolean {
  if (facts.imports.some((i) => CSRF_MODULES.has(i.module) || SESSION_MODULES.has(i.module) || JWT_MODULES.has(i.module))) return true;
  if (JS_SESSION_NAMES.test(text) || (JS_SET_NAME.test(text) && JS_RESPONSE_NAME.test(text))) return true;
  if (!JS_NAME_ESCAPE.test(text)) return false;
  const texts = jsGateTexts(text);
  return texts.some((t) => JS_SESSION_NAMES.test(t)) || (texts.some((t) => JS_SET_NAME.test(t)) && texts.some((t) => JS_RESPONSE_NAME.test(t)));
}

export function extractJsSessions(input: JsFeatureInput): void {
  extractJsSessionsWith(input, true);
}

/** The session facts, with or without the gate (without: every file is walked; the tests compare both). */
export function extractJsSessionsWith({ ast, index, text, path, facts }: JsFeatureInput, useGate: boolean): void {
  if (useGate && !jsSessionsMayApply(text, facts)) return;
  const out: SessionFact[] = [];
  const moduleOf = new Map<string, { module: string; imported: string }>();
  for (const imp of facts.imports) {
    for (const n of imp.names) moduleOf.set(n.local, { module: imp.module, imported: n.imported });
    if (CSRF_MODULES.has(imp.module)) {
      out.push({
        kind: 'csrf-protection',
        api: imp.module,
        module: imp.module,
        options: {},
        devOnly: false,
        range: { start: { line: imp.line, column: 1 }, end: { line: imp.line, column: 1 } },
      });
    }
  }
  // A server whose OAuth callback is hard-coded to http://localhost runs only on a developer's machine (a one-off
  // token helper): its session settings are development-only, reported at low severity like a dev config.
  const devPath = isDevOnlyPath(path) || LOCAL_CALLBACK.test(text);
  const push = (fact: Omit<SessionFact, 'devOnly'>, node: Node, ancestors: readonly Node[]): void => {
    out.push({ ...fact, devOnly: devPath || isDevBranch(ancestors, node, text) });
  };
  const optionsOf = (node: Node | undefined): { options: Record<string, OptionValue>; dynamicOptions?: boolean } => {
    const { options, dynamic } = flattenObject(node, text);
    return dynamic ? { options, dynamicOptions: true } : { options };
  };
  const jwtModule = (root: string): string | undefined => {
    const m = moduleOf.get(root)?.module;
    return m && JWT_MODULES.has(m) ? m : undefined;
  };

  index.visit(ast.program, ['AssignmentExpression', 'CallExpression', 'NewExpression'], (node, ancestors) => {
    if (node.type === 'AssignmentExpression') {
      const parts = memberParts(node.left);
      if (parts && parts.length === 3 && /^(req|request|ctx)$/.test(parts[0]!) && parts[1] === 'session' && SESSION_LOGIN_KEY.test(parts[2]!)) {
        const fns = ancestors.filter(isFunction);
        const scope = fns[fns.length - 1];
        const inRegenerate = ancestors.some((a) => a.type === 'CallExpression' && REGENERATE.test(calleeName(a) ?? ''));
        // A promisified regenerate awaited earlier in the same function also counts (comments never do).
        let regenerated = inRegenerate;
        if (!regenerated && scope) {
          walkAst(scope, (n) => {
            if (n.type === 'CallExpression' && REGENERATE.test(calleeName(n) ?? '')) regenerated = true;
            return regenerated ? false : undefined;
          });
        }
        push({ kind: 'session-login', api: parts.join('.'), options: {}, regenerated, range: rangeOf(node) }, node, ancestors);
      }
      return undefined;
    }
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined;
    const callee = calleeName(node);
    if (!callee) return undefined;
    const args = node.arguments as Node[];
    const parts = callee.split('.');
    const root = parts[0]!;
    const last = parts[parts.length - 1]!;

    // Session middleware: session({...}), cookieSession({...}), fastify.register(fastifySession, {...}), getIronSession(req, res, {...}).
    const registered = last === 'register' && args[0]?.type === 'Identifier' ? moduleOf.get(args[0].name)?.module : undefined;
    const direct = moduleOf.get(root)?.module;
    const sessionModule =
      registered && SESSION_MODULES.has(registered) ? registered : direct && SESSION_MODULES.has(direct) && node.type === 'CallExpression' ? direct : undefined;
    if (sessionModule) {
      const optionArg = registered ? args[1] : callee === 'getIronSession' ? args[2] : args[0];
      push({ kind: 'session-middleware', api: callee, module: sessionModule, ...optionsOf(optionArg), range: rangeOf(node) }, node, ancestors);
      return undefined;
    }
    if (CSRF_CALLEE.test(callee) && node.type === 'CallExpression') {
      push({ kind: 'csrf-protection', api: callee, options: {}, range: rangeOf(node) }, node, ancestors);
      return undefined;
    }

    const cookieCall = COOKIE_WRITE.test(callee) || (last === 'set' && /cookies\(\)$/.test(parts.slice(0, -1).join('.')));
    if (cookieCall && args.length > 0) {
      const first = unwrap(args[0]!);
      if (first.type === 'ObjectExpression') {
        const { options, dynamicOptions } = optionsOf(first);
        const name = typeof options['name'] === 'string' ? options['name'] : undefined;
        push(
          { kind: 'cookie-write', api: callee, options, ...(dynamicOptions ? { dynamicOptions } : {}), ...(name ? { name } : {}), range: rangeOf(node) },
          node,
          ancestors,
        );
      } else {
        const name = staticString(first);
        const opts = args[2];
        const fact: Omit<SessionFact, 'devOnly'> = { kind: 'cookie-write', api: callee, ...(opts ? optionsOf(opts) : { options: {} }), range: rangeOf(node) };
        if (name !== null) fact.name = name;
        if (args[1] && staticString(args[1]) === '') fact.value = '';
        push(fact, node, ancestors);
      }
      return undefined;
    }

    if (node.type === 'CallExpression' && parts.length === 2 && ROUTE_METHOD.test(last) && args.length >= 2 && staticString(args[0]) !== null) {
      push({ kind: 'state-changing-route', api: callee, name: staticString(args[0])!, options: {}, range: rangeOf(node) }, node, ancestors);
      return undefined;
    }

    // JWT: jsonwebtoken (default/namespace import or named sign/verify/decode), jose, @nestjs/jwt, passport-jwt.
    const named = moduleOf.get(callee);
    const jwtLib = parts.length === 2 ? jwtModule(root) : named && JWT_MODULES.has(named.module) ? named.module : undefined;
    const fn = parts.length === 2 ? last : (named?.imported ?? last);
    if (jwtLib === 'jsonwebtoken' || (parts.length === 2 && root === 'jwt' && !jwtLib && /^(sign|verify|decode)$/.test(last))) {
      const module = jwtLib ?? 'jwt';
      if (fn === 'sign') {
        const payload = args[0] ? boundObject(unwrap(args[0]), ancestors) : undefined;
        const fact: Omit<SessionFact, 'devOnly'> = {
          kind: 'jwt-sign',
          api: callee,
          module,
          ...(args[2] ? optionsOf(args[2]) : { options: {} }),
          range: rangeOf(node),
        };
        if (payload?.type === 'ObjectExpression')
          fact.payloadHasExp =
            payload.properties.some((p) => p.type !== 'SpreadElement' && EXPIRY_CLAIM.test(propertyKey(p as Node & { key: Node }) ?? '')) ||
            payload.properties.some((p) => p.type === 'SpreadElement');
        push(fact, node, ancestors);
      } else if (fn === 'verify') {
        push(
          {
            kind: 'jwt-verify',
            api: callee,
            module,
            ...optionsOf(args[2] && unwrap(args[2]).type === 'ObjectExpression' ? args[2] : undefined),
            range: rangeOf(node),
          },
          node,
          ancestors,
        );
      } else if (fn === 'decode') {
        push(
          { kind: 'jwt-decode', api: callee, module, options: {}, tokenFromRequest: readsRequestToken(ancestors, text), range: rangeOf(node) },
          node,
          ancestors,
        );
      }
      return undefined;
    }
    if (jwtLib === 'jose' || moduleOf.get(root)?.module === 'jose') {
      if (node.type === 'NewExpression' && fn === 'UnsecuredJWT') {
        push({ kind: 'jwt-unsecured', api: callee, module: 'jose', options: {}, range: rangeOf(node) }, node, ancestors);
      } else if (callee === 'UnsecuredJWT.decode') {
        push({ kind: 'jwt-unsecured', api: callee, module: 'jose', options: {}, range: rangeOf(node) }, node, ancestors);
      } else if (node.type === 'NewExpression' && fn === 'SignJWT') {
        const chain = chainText(ancestors, node, text);
        const payload = args[0] ? unwrap(args[0]) : undefined;
        const payloadHasExp =
          /\.setExpirationTime\(/.test(chain) ||
          (payload?.type === 'ObjectExpression' &&
            payload.properties.some((p) => p.type !== 'SpreadElement' && EXPIRY_CLAIM.test(propertyKey(p as Node & { key: Node }) ?? '')));
        push({ kind: 'jwt-sign', api: 'SignJWT', module: 'jose', options: {}, payloadHasExp, range: rangeOf(node) }, node, ancestors);
      } else if (fn === 'jwtVerify') {
        push({ kind: 'jwt-verify', api: callee, module: 'jose', ...optionsOf(args[2]), range: rangeOf(node) }, node, ancestors);
      } else if (fn === 'decodeJwt') {
        push(
          { kind: 'jwt-decode', api: callee, module: 'jose', options: {}, tokenFromRequest: readsRequestToken(ancestors, text), range: rangeOf(node) },
          node,
          ancestors,
        );
      }
      return undefined;
    }
    if ((callee === 'JwtModule.register' || callee === 'JwtModule.registerAsync') && args[0]) {
      push({ kind: 'jwt-sign', api: callee, module: '@nestjs/jwt', ...optionsOf(args[0]), range: rangeOf(node) }, node, ancestors);
      return undefined;
    }
    // `this.jwtService.signAsync(payload, { secret, expiresIn })`: @nestjs/jwt's JwtService, injected where the file
    // imports it. Its options decide the expiry when the module registers none (the rule reads them project-wide).
    if (parts.length === 3 && root === 'this' && /^sign(Async)?$/.test(last) && moduleOf.get('JwtService')?.module === '@nestjs/jwt') {
      const opts = args[1] && unwrap(args[1]).type === 'ObjectExpression' ? optionsOf(args[1]) : { options: {}, dynamicOptions: args[1] !== undefined };
      push({ kind: 'jwt-sign', api: `JwtService.${last}`, module: '@nestjs/jwt', ...opts, range: rangeOf(node) }, node, ancestors);
      return undefined;
    }
    // passport-jwt strategies: new JwtStrategy({ ignoreExpiration }) or NestJS super({ jwtFromRequest, ignoreExpiration }).
    if ((callee === 'super' || /(^|\.)(JwtStrategy|Strategy)$/.test(callee)) && args[0] && unwrap(args[0]).type === 'ObjectExpression') {
      const { options } = flattenObject(args[0], text);
      if ('jwtFromRequest' in options)
        push(
          { kind: 'jwt-verify', api: callee === 'super' ? 'PassportStrategy(JwtStrategy)' : callee, module: 'passport-jwt', options, range: rangeOf(node) },
          node,
          ancestors,
        );
    }
    return undefined;
  });

  if (out.length > 0) facts.sessionFacts = [...(facts.sessionFacts ?? []), ...out];
}

/** The innermost function around a decode reads a token the client sent (header, cookie, query). */
/**
 * `const payload = { username }; jwt.sign(payload, key)`: a payload named by a `const` of the enclosing function
 * (one of its top-level statements) is that object literal; anything else is left as it is.
 */
function boundObject(node: Node, ancestors: readonly Node[]): Node {
  if (node.type !== 'Identifier') return node;
  const fn = [...ancestors].reverse().find((a) => isFunction(a));
  const body = fn && 'body' in fn && fn.body && (fn.body as Node).type === 'BlockStatement' ? (fn.body as Node & { body: Node[] }).body : [];
  for (const stmt of body) {
    if (stmt.type !== 'VariableDeclaration' || stmt.kind !== 'const') continue;
    for (const d of stmt.declarations) if (d.id.type === 'Identifier' && d.id.name === node.name && d.init?.type === 'ObjectExpression') return d.init;
  }
  return node;
}

const LOCAL_CALLBACK = /\b(?:callback_?url|redirect_?uri)["']?\s*[:=]\s*[`'"]http:\/\/(?:localhost|127\.0\.0\.1)[:/]/i;

function readsRequestToken(ancestors: readonly Node[], text: string): boolean {
  const fns = ancestors.filter(isFunction);
  const fn = fns[fns.length - 1];
  return fn !== undefined && REQUEST_TOKEN_READ.test(sourceOf(fn, text));
}

/** The source text of a method chain a node starts: `new SignJWT(p).setProtectedHeader(h).setExpirationTime('2h').sign(k)`. */
function chainText(ancestors: readonly Node[], node: Node, text: string): string {
  let top: Node = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (
      (a.type === 'MemberExpression' && a.object === top) ||
      (a.type === 'CallExpression' && a.callee === top) ||
      (a.type === 'AwaitExpression' && a.argument === top)
    )
      top = a;
    else break;
  }
  return sourceOf(top, text);
}
