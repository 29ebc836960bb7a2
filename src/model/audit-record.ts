import type { AuditFunction, CallRef } from './audit-facts.js';
import { memoizeByString } from './memo.js';
import {
  COOKIE_CLEAR_CALL,
  COOKIE_SET_CALL,
  CURRENT_PASSWORD,
  LOGIN_FUNCTION,
  SESSION_COOKIE,
  SESSION_END_CALL,
  SESSION_POP_CALL,
  SESSION_USER_KEY,
  USER_MODEL,
  eventOfCall,
  eventOfFunctionName,
  eventOfWrite,
  isCredentialCheck,
} from './audit-events.js';
import { logStrengthOf } from './audit-logging.js';
import { classifyWrite, isAuditModel, type WriteMatch } from './audit-writes.js';
import type { Range } from './facts.js';

/**
 * The language-neutral half of the audit extractors: how a classified call is recorded on its function. The JS
 * and Python extractors read their trees and call these, so both record the same facts the same way.
 */

/** Token issuance seen in a function, waiting to learn whether the function is a login. */
export type PendingTokens = Map<AuditFunction, { api: string; range: Range }>;

/** How a credential check that guards a password change is shown: the check of the current password. */
export const CURRENT_PASSWORD_CHECK = '(current password check)';

/**
 * Records a logging call or a security-event call; false when the call is neither. `callText` is the call as
 * written: a credential check of the current password (`check_password(old_password)`) is a password change.
 */
export function recordLogOrEvent(
  fn: AuditFunction,
  callee: string,
  range: Range,
  tokens: PendingTokens,
  callRef: () => CallRef | null,
  callText?: () => string,
): boolean {
  const strength = logStrengthOf(callee);
  if (strength) {
    fn.logs.push({ strength, api: callee, line: range.start.line });
    return true;
  }
  const event = eventOfCall(callee);
  if (event === 'token-issue') {
    if (!tokens.has(fn)) tokens.set(fn, { api: callee, range });
    return true;
  }
  if (!event) return false;
  if (event === 'login' && isCredentialCheck(callee) && callText && CURRENT_PASSWORD.test(callText())) {
    fn.events.push({ kind: 'password-change', api: `${callee} ${CURRENT_PASSWORD_CHECK}`, via: 'call', range });
    return true;
  }
  fn.events.push({ kind: event, api: callee, via: 'call', range });
  // `login(…)` may be the project's own function: keep the call so the chain goes on (the rule decides).
  const ref = callRef();
  if (ref) fn.calls.push(ref);
  return true;
}

/** Hand-written session starts and ends seen in a function, resolved at the end of the file. */
export interface SessionMarks {
  /** The user put into the session or a session/token cookie set; `credential`: the function compares a password. */
  login?: { api: string; range: Range; credential: boolean };
  end?: { api: string; range: Range };
}
export type PendingSessions = Map<AuditFunction, SessionMarks>;

function mark(sessions: PendingSessions, fn: AuditFunction): SessionMarks {
  const known = sessions.get(fn);
  if (known) return known;
  const m: SessionMarks = {};
  sessions.set(fn, m);
  return m;
}

/**
 * A call that starts or ends a session by hand (`session.clear()`, `session.pop('user_id')`, `res.clearCookie('token')`,
 * `response.set_cookie('session', …)`); `firstString` gives the first argument when it is a string, and is asked only for a
 * session call (sessionCallRole). True when recorded.
 */
export function noteSessionCall(
  fn: AuditFunction,
  callee: string,
  firstString: () => string | null,
  range: Range,
  sessions: PendingSessions,
  credential: () => boolean,
): boolean {
  const role = sessionCallRole(callee);
  if (role === undefined) return false;
  if (role === 'end') {
    mark(sessions, fn).end ??= { api: callee, range };
    return true;
  }
  const firstArg = firstString();
  if (role === 'pop' && firstArg !== null && SESSION_USER_KEY.test(firstArg)) {
    mark(sessions, fn).end ??= { api: callee, range };
    return true;
  }
  if (firstArg !== null && SESSION_COOKIE.test(firstArg)) {
    if (role === 'cookie-clear') {
      mark(sessions, fn).end ??= { api: `${callee}('${firstArg}')`, range };
      return true;
    }
    if (role === 'cookie-set') {
      mark(sessions, fn).login ??= { api: `${callee}('${firstArg}')`, range, credential: credential() };
      return true;
    }
  }
  return false;
}

/**
 * Which of noteSessionCall's call patterns the callee is (they exclude each other: each ends in its own method names),
 * remembered per callee text; undefined for most calls, whose first argument is then never read.
 */
export const sessionCallRole: (callee: string) => 'end' | 'pop' | 'cookie-clear' | 'cookie-set' | undefined = memoizeByString((callee) =>
  SESSION_END_CALL.test(callee)
    ? 'end'
    : SESSION_POP_CALL.test(callee)
      ? 'pop'
      : COOKIE_CLEAR_CALL.test(callee)
        ? 'cookie-clear'
        : COOKIE_SET_CALL.test(callee)
          ? 'cookie-set'
          : undefined,
);

/** `req.session = null` (cookie-session): the session ended. */
export function noteSessionEnd(fn: AuditFunction, api: string, range: Range, sessions: PendingSessions): void {
  mark(sessions, fn).end ??= { api, range };
}

/** `session['user_id'] = …` / `req.session.userId = …`: the user put into the session. */
export function noteSessionUser(fn: AuditFunction, key: string, api: string, range: Range, sessions: PendingSessions, credential: () => boolean): void {
  if (!SESSION_USER_KEY.test(key)) return;
  mark(sessions, fn).login ??= { api, range, credential: credential() };
}

const AMBIGUOUS_ACCOUNT = /^accounts?$/i;

/**
 * Records a data write (a write to an audit model is an audit record instead). A model guessed from a variable
 * name (`access_token.delete()`) makes an account event only when it says `user`.
 */
export function recordWrite(fn: AuditFunction, match: WriteMatch, api: string, range: Range, guessed = false, credential: () => boolean = () => true): void {
  if (isAuditModel(match.model)) {
    fn.logs.push({ strength: 'audit', api, line: range.start.line });
    return;
  }
  fn.writes.push({ orm: match.orm, op: match.op, api, range, ...(match.model ? { model: match.model } : {}) });
  // An `Account` is often a billing, brokerage or social-login account: a login account only where a password is handled.
  if (AMBIGUOUS_ACCOUNT.test(match.model ?? '') && !credential()) return;
  const kind = guessed && !USER_MODEL.test(match.model ?? '') ? null : eventOfWrite(match.model, match.op);
  if (kind) fn.events.push({ kind, api, via: 'write', range });
}

/** Middleware names that check a request's credentials (`authenticateToken`, `requireAuth`, `verify_jwt`). */
const AUTH_GUARD =
  /^_*(authenticate_?(token|jwt|request|user)|is_?authenticated|is_?logged_?in|require_?(auth|login|user|session)|verify_?(token|jwt|session)|check_?(auth|token|jwt|session)|ensure_?(auth|authenticated|logged_?in)|auth_?(guard|middleware|required))$/i;

/**
 * After a file: a token issued in a login function is the login; a function's name gives its first write a
 * meaning; a credential check in a password change (by the function's name, or a password-change call in it) is
 * that password change, not a login.
 */
export function finishEvents(
  functions: readonly AuditFunction[],
  tokens: PendingTokens,
  nameApi: (fn: AuditFunction) => string,
  sessions: PendingSessions = new Map(),
): void {
  for (const fn of functions) {
    const marks = sessions.get(fn);
    // The user put into the session after a password compare (or in a login function) is the login; a session
    // cleared in a function that then logs someone in is its reset, otherwise it is the logout.
    if (marks?.login && (marks.login.credential || LOGIN_FUNCTION.test(fn.name)) && !fn.events.some((e) => e.kind === 'login'))
      fn.events.push({ kind: 'login', api: marks.login.api, via: 'write', range: marks.login.range });
    // A login handler that first clears the session (`do_login`: `session.pop('username')`, then a lookup and a cookie
    // set by helpers) resets it for the login it performs: the login is the event, at the handler.
    if (marks?.end && !marks.login && LOGIN_FUNCTION.test(fn.name) && !fn.events.some((e) => e.kind === 'login' || e.kind === 'logout'))
      fn.events.push({ kind: 'login', api: nameApi(fn), via: 'name', range: marks.end.range });
    // An auth guard that clears the cookie of a token it rejects (`authenticateToken`: the token's user is gone)
    // turns a request away; nobody logs out there.
    if (marks?.end && !marks.login && !AUTH_GUARD.test(fn.name) && !fn.events.some((e) => e.kind === 'login' || e.kind === 'logout'))
      fn.events.push({ kind: 'logout', api: marks.end.api, via: 'write', range: marks.end.range });
    if (!LOGIN_FUNCTION.test(fn.name)) passwordChangeChecks(fn);
    const token = tokens.get(fn);
    if (token && LOGIN_FUNCTION.test(fn.name) && !fn.events.some((e) => e.kind === 'login')) {
      fn.events.push({ kind: 'login', api: token.api, via: 'call', range: token.range });
    }
    const named = eventOfFunctionName(fn.name);
    if (named && fn.writes.length > 0 && !fn.events.some((e) => e.kind === named)) {
      fn.events.push({ kind: named, api: nameApi(fn), via: 'name', range: fn.writes[0]!.range });
    }
  }
}

/**
 * `change_password(request)` checking `request.user.check_password(…)` and then calling `set_password`: the check
 * belongs to the password change. With a password-change call in the function, that call is the event and the
 * check is dropped (one event, one finding); otherwise the check is the password change.
 */
function passwordChangeChecks(fn: AuditFunction): void {
  const changeCall = fn.events.some((e) => e.kind === 'password-change' && e.via === 'call' && !e.api.endsWith(CURRENT_PASSWORD_CHECK));
  const changeName = eventOfFunctionName(fn.name) === 'password-change';
  const hasCurrentCheck = fn.events.some((e) => e.api.endsWith(CURRENT_PASSWORD_CHECK));
  if (!changeCall && !changeName && !hasCurrentCheck) return;
  for (let i = fn.events.length - 1; i >= 0; i--) {
    const e = fn.events[i]!;
    // `authenticate(username, password)` looks a user up: a login even here, unless it checks the current password.
    const check = e.kind === 'login' && e.via === 'call' && isCredentialCheck(e.api) && !/(?:^|\.)authenticate$/.test(e.api);
    const currentCheck = e.kind === 'password-change' && e.api.endsWith(CURRENT_PASSWORD_CHECK);
    if (!check && !currentCheck) continue;
    if (changeCall) fn.events.splice(i, 1);
    else if (check) fn.events[i] = { ...e, kind: 'password-change', api: `${e.api} ${CURRENT_PASSWORD_CHECK}` };
  }
}

/** A call that records something: a logger (above debug level), an audit helper, or a write to an audit model. */
export function isRecordingCall(language: 'javascript' | 'python', parts: string[], argumentModel?: string): boolean {
  const strength = logStrengthOf(parts.join('.'));
  if (strength === 'audit' || strength === 'logger') return true;
  const write = classifyWrite(language, parts);
  return write !== null && isAuditModel(write.model ?? argumentModel);
}
