import type { PyNode as Node } from './syntax.js';
import type { OptionValue, SessionFact } from '../../model/facts.js';
import { CSRF_CALLEE, EXPIRY_CLAIM, REQUEST_TOKEN_READ, SESSION_SETTING_NAMES, isDevOnlyPath, secondsOf } from '../../model/session-settings.js';
import { callArguments, calleeText, decoratorsOf, enclosingClass, enclosingFunction, flattenDict, nodeRange, readPyValue, unwrapParens } from './ast.js';
import { decodeLiteral } from './string-literal.js';
import type { PyFeatureInput } from './feature-input.js';
import { SESSION_USER_KEY } from '../../model/audit-events.js';
import { memoizeByString } from '../../model/memo.js';
import type { FileFacts } from '../../model/facts.js';
import { pyEscapesDecoded } from './escaped-text.js';

/**
 * Session facts of one Python file (SOC2-009): Flask/Django session and CSRF settings (module constants,
 * config classes, `app.config[...]`, `app.config.update(...)`), `set_cookie` calls with their flags, PyJWT
 * and python-jose encode/decode calls, `@csrf_exempt` views and CSRF protection set-up.
 */

/** A view acts on the cookie-authenticated user (what CSRF abuses) when it reads request.user / request.session or requires login. */
const SESSION_USE = /\brequest\.(user|session)\b|\bget_user\(request\)|\blogin\(request\b|\bcurrent_user\b/;
const LOGIN_DECORATOR = /^(login_required|permission_required|user_passes_test|staff_member_required|method_decorator\(login_required)/;
const DEV_CLASS = /(Dev|Development|Test|Testing|Local|Debug)(Config|Settings)?$/;
const DEV_CONDITION =
  /^(DEBUG|settings\.DEBUG|app\.debug|app\.testing|TESTING|app\.config\[['"](DEBUG|TESTING)['"]\])$|ENV\s*==\s*['"](dev|development|test|local)['"]/;
const SAFE_ONLY = /^(require_GET|require_safe|require_http_methods\(\[?\(?\s*['"](GET|HEAD)['"]\s*(,\s*['"](GET|HEAD|OPTIONS)['"]\s*)*,?\s*[\])]?\))$/;

function isDevOnly(node: Node, path: string): boolean {
  if (isDevOnlyPath(path)) return true;
  const cls = enclosingClass(node);
  if (cls && DEV_CLASS.test(cls.childForFieldName('name')?.text ?? '')) return true;
  for (let p = node.parent, child: Node = node; p; child = p, p = p.parent) {
    if (p.type === 'if_statement' && p.childForFieldName('consequence')?.equals(child) && DEV_CONDITION.test(p.childForFieldName('condition')?.text ?? ''))
      return true;
  }
  return false;
}

/** Settings values: timedelta(...) and second products become numbers so lifetimes compare. */
function settingValue(node: Node | null): OptionValue {
  const v = readPyValue(node);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const seconds = secondsOf(v.expr);
    if (seconds !== null) return seconds;
  }
  return v;
}

/** aiohttp route registration of a state-changing method: `router.add_post(path, h)`, `router.add_route('POST', path, h)`, `web.post(path, h)`. */
const AIOHTTP_ROUTE = /(?:^|\.)router\.add_(post|put|patch|delete)$|^(?:aiohttp\.)?web\.(post|put|patch|delete)$/;
const AIOHTTP_ADD_ROUTE = /(?:^|\.)router\.add_route$/;
/** aiohttp's Application(middlewares=[…]) or app.middlewares.append(…) with a CSRF middleware in it. */
const AIOHTTP_APP = /^(?:aiohttp\.)?(?:web\.)?Application$/;
const MIDDLEWARES_ADD = /\.middlewares\.(append|insert|extend)$/;
/** aiohttp-session storages (`EncryptedCookieStorage`, `aiohttp_session.redis_storage.RedisStorage`). */
const SESSION_STORAGE = /Storage$/;
const AIOHTTP_CSRF_SETUP = /^aiohttp_csrf\.setup$/;
/** Flask's `app.config.update(…)` / `app.config.from_mapping(…)`. */
const CONFIG_UPDATE = /\.config\.(update|from_mapping)$/;
const SET_COOKIE = /(^|\.)set_cookie$/;
const CSRF_INIT = /^csrf\.init_app$/;

/**
 * Whether a callee may be one of the calls extractPySessions reads, besides JWT calls (found through the file's
 * imports): an aiohttp-session storage, aiohttp route or app, app config update, set_cookie, CSRF set-up. A superset of
 * the tests in the loop and in aiohttpFact (each of those still decides): a callee that passes none of these is
 * skipped before its arguments are read. A branch added there needs its pattern here.
 */
const sessionCallee = memoizeByString(
  (callee: string): boolean =>
    SESSION_STORAGE.test(callee) ||
    AIOHTTP_ROUTE.test(callee) ||
    AIOHTTP_ADD_ROUTE.test(callee) ||
    AIOHTTP_APP.test(callee) ||
    MIDDLEWARES_ADD.test(callee) ||
    AIOHTTP_CSRF_SETUP.test(callee) ||
    CONFIG_UPDATE.test(callee) ||
    SET_COOKIE.test(callee) ||
    CSRF_CALLEE.test(callee) ||
    CSRF_INIT.test(callee),
);

/**
 * Words of the code the extractor reacts to without an import (a superset): `srf` in any case (every CSRF name:
 * CSRF_CALLEE's `csrf`, `CSRFProtect`, `CsrfProtect`, `doubleCsrf`, CSRF_INIT, AIOHTTP_CSRF_SETUP, the `@csrf_exempt` /
 * `@csrf.exempt` decorators, and the CSRF identifier codeMentionsCsrf needs in an aiohttp `Application(middlewares=…)`
 * or `.middlewares.append`, matched case-insensitively there), `urf` and `lusca` (CSRF_CALLEE's `csurf`, `SeaSurf`,
 * `lusca`), SET_COOKIE, `aiohttp_session` (a SESSION_STORAGE callee spelled `aiohttp_session.…`), AIOHTTP_ROUTE and
 * AIOHTTP_ADD_ROUTE (`router.add_post`, `web.post`: calleeText only drops whitespace around line breaks, so `web` and
 * the method are apart by whitespace at most), and `COOKIE`, `SESSION`, `MIDDLEWARE`: with `SRF`, one of them is in
 * every name of SESSION_SETTING_NAMES, the only names `setting` records (SESSION_SETTING_WORD, tested).
 */
const PY_SESSION_MARKERS =
  /[sS][rR][fF]|urf|lusca|COOKIE|SESSION|MIDDLEWARE|set_cookie|aiohttp_session|add_(?:p(?:ost|ut|atch)|delete|route)|web\s*\.\s*(?:post|put|patch|delete)/;
/** Every setting name holds one of these (a test keeps SESSION_SETTING_NAMES to it). */
export const SESSION_SETTING_WORD = /COOKIE|SESSION|MIDDLEWARE|CSRF/;
/** Imports that the extractor reads: JWT libraries (jwtModules, jwtFunctions) and aiohttp_session (aiohttpSession). */
const PY_SESSION_IMPORT = /^(?:jwt|jose|jose\.jwt|flask_jwt_extended|aiohttp_session(?:\..*)?)$/;

/**
 * Whether extractPySessions may record anything in this file: a necessary condition, read before any tree walk. Every
 * fact comes from a branch that needs an import in PY_SESSION_IMPORT (JWT calls, aiohttp-session storages named by an
 * import, session logins under `get_session`) or one of PY_SESSION_MARKERS in the code. A setting name can also be a
 * string key (`app.config['…']`, `app.config.update({'…': …})`: both need `config`) written with escapes, looked for
 * in the text with its escapes decoded.
 */
export function pySessionsMayApply(text: string, facts: FileFacts): boolean {
  if (facts.imports.some((i) => PY_SESSION_IMPORT.test(i.module))) return true;
  if (PY_SESSION_MARKERS.test(text)) return true;
  if (!text.includes('config')) return false;
  const decoded = pyEscapesDecoded(text);
  return decoded !== text && SESSION_SETTING_WORD.test(decoded);
}

export function extractPySessions(input: PyFeatureInput): void {
  extractPySessionsWith(input, true);
}

/** The session facts, with or without the gate (without: every file is walked; the tests compare both). */
export function extractPySessionsWith({ root, path, text, facts }: PyFeatureInput, useGate: boolean): void {
  if (useGate && !pySessionsMayApply(text, facts)) return;
  const out: SessionFact[] = [];
  /** Names imported from aiohttp_session (its storages, get_session, new_session). */
  const aiohttpSession = new Set<string>();
  for (const imp of facts.imports) if (/^aiohttp_session(\.|$)/.test(imp.module)) for (const n of imp.names) aiohttpSession.add(n.local);
  const jwtModules = new Map<string, string>();
  const jwtFunctions = new Map<string, { module: string; fn: string }>();
  for (const imp of facts.imports) {
    for (const n of imp.names) {
      if (imp.module === 'jwt' && n.imported === '*') jwtModules.set(n.local, 'pyjwt');
      if ((imp.module === 'jose' || imp.module === 'jose.jwt') && (n.imported === 'jwt' || n.imported === '*')) jwtModules.set(n.local, 'python-jose');
      if (imp.module === 'flask_jwt_extended') jwtModules.set(n.local, 'flask-jwt-extended');
      // `from jwt import decode` / `from jose.jwt import get_unverified_claims`: the function called by its bare name.
      if (/^(encode|decode|get_unverified_claims)$/.test(n.imported) && (imp.module === 'jwt' || imp.module === 'jose.jwt'))
        jwtFunctions.set(n.local, { module: imp.module === 'jwt' ? 'pyjwt' : 'python-jose', fn: n.imported });
    }
  }
  const push = (fact: Omit<SessionFact, 'devOnly'>, node: Node): void => {
    out.push({ ...fact, devOnly: isDevOnly(node, path) });
  };
  const setting = (name: string, valueNode: Node | null, at: Node): void => {
    if (!SESSION_SETTING_NAMES.has(name)) return;
    push({ kind: 'setting', api: name, name, value: settingValue(valueNode), options: {}, range: nodeRange(at) }, at);
  };

  for (const node of root.descendantsOfType(['assignment', 'call', 'function_definition', 'class_definition'])) {
    if (!node) continue;
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left) continue;
      if (left.type === 'identifier') setting(left.text, right, node);
      else if (left.type === 'subscript' && /\.config$|^config$/.test(left.childForFieldName('value')?.text ?? '')) {
        const key = left.childForFieldName('subscript');
        const name = key?.type === 'string' ? decodeLiteral(key.text) : null;
        if (name) setting(name, right, node);
      } else if (left.type === 'attribute' && /^settings\./.test(left.text)) {
        setting(left.text.slice('settings.'.length), right, node);
      }
      if (left.type === 'subscript' && aiohttpSession.has('get_session')) sessionLogin(node, left);
      continue;
    }
    if (node.type === 'function_definition' || node.type === 'class_definition') {
      const decorators = decoratorsOf(node);
      const exempt = decorators.find((d) => /^(csrf_exempt|csrf\.exempt|method_decorator\(csrf_exempt\b)/.test(d));
      if (exempt) {
        const name = node.childForFieldName('name')?.text ?? '';
        push(
          {
            kind: 'csrf-exempt',
            api: exempt,
            name,
            options: {},
            safeMethodsOnly: decorators.some((d) => SAFE_ONLY.test(d)),
            usesSession: SESSION_USE.test(node.text) || decorators.some((d) => LOGIN_DECORATOR.test(d)),
            range: nodeRange(node.childForFieldName('name') ?? node),
          },
          node,
        );
      }
      continue;
    }
    const callee = calleeText(node);
    if (!callee) continue;
    // Most calls are none of the ones below: decided once per callee text, before the arguments are read.
    const dot = callee.lastIndexOf('.');
    const direct = dot < 0 ? jwtFunctions.get(callee) : undefined;
    const module = direct?.module ?? (dot > 0 && jwtModules.size > 0 ? jwtModules.get(callee.slice(0, dot)) : undefined);
    if (!module && !sessionCallee(callee)) continue;
    const { positional, keywords } = callArguments(node);
    if (aiohttpFact(node, callee, positional, keywords)) continue;
    if (CONFIG_UPDATE.test(callee)) {
      for (const [name, value] of keywords) setting(name, value, value.parent ?? node);
      const dict = unwrapParens(positional[0] ?? null);
      if (dict?.type === 'dictionary') {
        for (const pair of dict.namedChildren) {
          const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
          const name = key?.type === 'string' ? decodeLiteral(key.text) : null;
          if (pair && name) setting(name, pair.childForFieldName('value'), pair);
        }
      }
      continue;
    }
    if (SET_COOKIE.test(callee)) {
      // `set_cookie('session', '', expires=0)` deletes the cookie: nothing travels, so its flags protect nothing.
      const value = positional[1] ?? keywords.get('value');
      const expiry = keywords.get('expires') ?? keywords.get('max_age');
      if (value?.type === 'string' && decodeLiteral(value.text) === '' && expiry && /^(0|-1)$/.test(expiry.text)) continue;
      const options: Record<string, OptionValue> = {};
      for (const [k, v] of keywords) options[k] = readPyValue(v);
      const nameNode = positional[0] ?? keywords.get('key');
      const name = nameNode?.type === 'string' ? decodeLiteral(nameNode.text) : null;
      const fact: Omit<SessionFact, 'devOnly'> = { kind: 'cookie-write', api: callee, options, range: nodeRange(node) };
      if (name) fact.name = name;
      if (node.text.includes('**')) fact.dynamicOptions = true;
      push(fact, node);
      continue;
    }
    if (CSRF_CALLEE.test(callee) || CSRF_INIT.test(callee)) {
      push({ kind: 'csrf-protection', api: callee, options: {}, range: nodeRange(node) }, node);
      continue;
    }
    if (!module) continue;
    const fn = direct?.fn ?? callee.slice(dot + 1);
    const options: Record<string, OptionValue> = {};
    for (const [k, v] of keywords) {
      if (unwrapParens(v)?.type === 'dictionary') flattenDict(v, k, options);
      else options[k] = readPyValue(v);
    }
    if (fn === 'encode') {
      const payload = unwrapParens(positional[0] ?? keywords.get('payload') ?? keywords.get('claims') ?? null);
      const fact: Omit<SessionFact, 'devOnly'> = { kind: 'jwt-sign', api: callee, module, options, range: nodeRange(node) };
      if (payload?.type === 'dictionary')
        fact.payloadHasExp = Object.keys(flattenDict(payload)).some((k) => EXPIRY_CLAIM.test(k)) || payload.text.includes('**');
      push(fact, node);
    } else if (fn === 'decode') {
      if (positional[2] && !('algorithms' in options)) options['algorithms'] = readPyValue(positional[2]);
      const unverified = options['options.verify_signature'] === false || options['verify'] === false;
      const scope = enclosingFunction(node);
      if (unverified && scope && isPredicate(scope)) {
        // `def is_saleor_token(token) -> bool: jwt.decode(token, options={"verify_signature": False})…`: a peek at
        // the claims to route the token, answering yes/no; nothing is accepted here. Judged like get_unverified_claims.
        push({ kind: 'jwt-decode', api: callee, module, options: {}, tokenFromRequest: REQUEST_TOKEN_READ.test(scope.text), range: nodeRange(node) }, node);
        continue;
      }
      push({ kind: 'jwt-verify', api: callee, module, options, range: nodeRange(node) }, node);
    } else if (fn === 'get_unverified_claims') {
      push(
        {
          kind: 'jwt-decode',
          api: callee,
          module,
          options: {},
          tokenFromRequest: REQUEST_TOKEN_READ.test(enclosingFunction(node)?.text ?? ''),
          range: nodeRange(node),
        },
        node,
      );
    }
  }
  if (out.length > 0) facts.sessionFacts = [...(facts.sessionFacts ?? []), ...out];

  /** aiohttp-session storages, state-changing aiohttp routes, CSRF middleware on the app. True when recorded. */
  function aiohttpFact(node: Node, callee: string, positional: Node[], keywords: Map<string, Node>): boolean {
    const head = callee.split('.')[0]!;
    if (SESSION_STORAGE.test(callee) && (aiohttpSession.has(head) || /^aiohttp_session\./.test(callee))) {
      const options: Record<string, OptionValue> = {};
      for (const [k, v] of keywords) options[k] = readPyValue(v);
      // max_age is in seconds; the rule compares milliseconds.
      if (typeof options['max_age'] === 'number') options['maxAge'] = options['max_age'] * 1000;
      const fact: Omit<SessionFact, 'devOnly'> = { kind: 'session-middleware', api: callee, module: 'aiohttp-session', options, range: nodeRange(node) };
      if (node.text.includes('**')) fact.dynamicOptions = true;
      push(fact, node);
      return true;
    }
    const method = AIOHTTP_ROUTE.exec(callee);
    const routeMethod = method
      ? (method[1] ?? method[2])!
      : AIOHTTP_ADD_ROUTE.test(callee) && positional[0]?.type === 'string'
        ? (decodeLiteral(positional[0].text) ?? '').toLowerCase()
        : '';
    if (/^(post|put|patch|delete)$/.test(routeMethod)) {
      const pathArg = method ? positional[0] : positional[1];
      const routePath = pathArg?.type === 'string' ? (decodeLiteral(pathArg.text) ?? '') : '';
      push({ kind: 'state-changing-route', api: `aiohttp.${routeMethod}`, name: routePath, options: {}, range: nodeRange(node) }, node);
      return true;
    }
    const middlewares = AIOHTTP_APP.test(callee) ? keywords.get('middlewares') : MIDDLEWARES_ADD.test(callee) ? node : undefined;
    if (middlewares && codeMentionsCsrf(middlewares)) {
      push({ kind: 'csrf-protection', api: callee, options: {}, range: nodeRange(node) }, node);
      return true;
    }
    if (AIOHTTP_CSRF_SETUP.test(callee)) {
      push({ kind: 'csrf-protection', api: callee, options: {}, range: nodeRange(node) }, node);
      return true;
    }
    return false;
  }

  /**
   * aiohttp-session keeps the session id across a login unless the handler calls `new_session()`: the user put
   * into a server-side session without it is session fixation.
   */
  function sessionLogin(node: Node, left: Node): void {
    const key = left.childForFieldName('subscript');
    if (left.childForFieldName('value')?.text !== 'session' || key?.type !== 'string') return;
    if (!SESSION_USER_KEY.test(decodeLiteral(key.text) ?? '')) return;
    const fn = enclosingFunction(node);
    if (!fn || !/\bget_session\s*\(/.test(fn.text)) return;
    const regenerated = /\bnew_session\s*\(|\bsession\.invalidate\s*\(/.test(fn.text);
    push({ kind: 'session-login', api: `session[${key.text}]`, options: {}, regenerated, range: nodeRange(node) }, node);
  }

  /** Identifiers naming CSRF in a middleware list (comments are not code, so `# csrf_middleware,` is not one). */
  function codeMentionsCsrf(n: Node): boolean {
    return n.descendantsOfType('identifier').some((id) => id !== null && /csrf/i.test(id.text));
  }
}

/** A function that only answers yes or no: every `return` gives True/False, a comparison or a negation. */
function isPredicate(fn: Node): boolean {
  const returns = fn.descendantsOfType('return_statement').filter((r): r is Node => r !== null);
  if (returns.length === 0) return false;
  return returns.every((r) => {
    const value = unwrapParens(r.firstNamedChild);
    return value !== null && /^(true|false|comparison_operator|not_operator)$/.test(value.type);
  });
}
