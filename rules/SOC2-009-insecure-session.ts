import {
  DJANGO_CSRF_MIDDLEWARE,
  DJANGO_SESSION_MIDDLEWARE,
  MAX_SESSION_SECONDS,
  SCRIPT_READABLE_IGNORED,
  defineRule,
  isSessionCookieName,
  looksLikeTestPath,
  settingRuleFor,
  type FileFacts,
  type Match,
  type OptionValue,
  type SessionFact,
  type SettingProblem,
  type Severity,
} from '../src/rule-api.js';

type MessageId =
  | 'cookieNotSecure'
  | 'cookieSecureMissing'
  | 'cookieScriptReadable'
  | 'sameSiteNone'
  | 'longLifetime'
  | 'cookieFlags'
  | 'jwtNone'
  | 'jwtNoVerify'
  | 'jwtDecodeOnly'
  | 'jwtUnsecured'
  | 'jwtIgnoreExpiration'
  | 'jwtNoExpiry'
  | 'settingInsecureCookie'
  | 'settingScriptReadable'
  | 'settingSameSiteNone'
  | 'settingLongLifetime'
  | 'csrfDisabled'
  | 'csrfMiddlewareMissing'
  | 'djangoSecureMissing'
  | 'csrfExempt'
  | 'noCsrf'
  | 'sessionFixation';

/** Session middlewares whose cookie is not Secure unless told (express-session's documented default). */
const SECURE_DEFAULT_OFF = new Set(['express-session', 'aiohttp-session']);
/** Express session stacks whose state-changing routes need CSRF protection. */
const EXPRESS_SESSIONS = new Set(['express-session', 'cookie-session', 'client-sessions', 'aiohttp-session']);
const MAX_SESSION_MS = MAX_SESSION_SECONDS * 1000;

const SETTING_MESSAGES: Record<SettingProblem, { id: MessageId; severity: Severity }> = {
  'insecure-cookie': { id: 'settingInsecureCookie', severity: 'high' },
  'script-readable-cookie': { id: 'settingScriptReadable', severity: 'high' },
  'samesite-none': { id: 'settingSameSiteNone', severity: 'medium' },
  'long-lifetime': { id: 'settingLongLifetime', severity: 'medium' },
  'csrf-disabled': { id: 'csrfDisabled', severity: 'high' },
};

function option(options: Record<string, OptionValue>, ...keys: string[]): OptionValue | undefined {
  for (const k of keys) if (k in options) return options[k];
  return undefined;
}

const SECURE_KEYS = ['cookie.secure', 'secure', 'cookieOptions.secure'];
const HTTPONLY_KEYS = ['cookie.httpOnly', 'httpOnly', 'httponly', 'cookieOptions.httpOnly'];
const SAMESITE_KEYS = ['cookie.sameSite', 'sameSite', 'samesite', 'cookieOptions.sameSite'];
const MAXAGE_KEYS = ['cookie.maxAge', 'maxAge', 'cookieOptions.maxAge'];

const isNoneSameSite = (v: OptionValue | undefined): boolean => typeof v === 'string' && v.toLowerCase() === 'none';

export default defineRule<MessageId>({
  id: 'SOC2-009',
  slug: 'insecure-session',
  title: 'Insecure session, cookie, JWT or CSRF configuration',
  description:
    "Session cookies without Secure and HttpOnly, sessions that live for months, JWTs accepted without a verified signature or expiry, missing CSRF protection and session ids kept across login let an attacker steal or ride a user's session. SOC 2 CC6.2 expects authenticated sessions to be managed securely and CC6.7 expects credentials in transit to be protected.",
  remediation:
    'Set Secure, HttpOnly and SameSite=Lax (or Strict) on session and token cookies, keep session lifetimes short (hours, not months), verify JWTs with an explicit algorithm list and an expiry, keep CSRF protection on for cookie-authenticated state-changing requests, and regenerate the session id at login.',
  severity: 'high',
  confidence: 'medium',
  controls: ['CC6.2', 'CC6.7'],
  cwe: ['CWE-614', 'CWE-1004', 'CWE-1275', 'CWE-347', 'CWE-613', 'CWE-352'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    cookieNotSecure:
      'Session cookie set with `secure: false` ({{api}}): it is sent over plain HTTP and can be sniffed. Set `secure: true` (with `trust proxy` behind a TLS proxy).',
    cookieSecureMissing:
      '{{module}} session cookie has no `secure` option and defaults to being sent over plain HTTP. Set `cookie.secure: true` (or tie it to production).',
    cookieScriptReadable: 'Session cookie set with `httpOnly: false` ({{api}}): any injected script can read and exfiltrate it. Leave HttpOnly on.',
    sameSiteNone:
      "Session cookie uses `sameSite: 'none'` without `secure: true`: browsers reject it or send it cross-site over HTTP. Use Lax/Strict, or add Secure.",
    longLifetime: 'Session cookie lives {{days}} days ({{api}}). Keep sessions to hours or days and re-authenticate after that.',
    cookieFlags: 'Cookie `{{name}}` carries a session or token but is set without {{missing}} ({{api}}).',
    jwtNone: 'JWT accepts or produces the `none` algorithm ({{api}}): tokens without a signature pass. List only the algorithms you sign with.',
    jwtNoVerify: 'JWT signature verification is turned off ({{api}}): any forged token is accepted.',
    jwtDecodeOnly:
      '`{{api}}` decodes a token the client sent without verifying its signature, and this file never verifies one. Use verify (jwt.verify / jwtVerify) before trusting the claims.',
    jwtUnsecured: 'jose `UnsecuredJWT` creates or reads tokens with no signature (`alg: none`).',
    jwtIgnoreExpiration: 'JWT expiry is not checked ({{api}}): a stolen token works forever. Remove `ignoreExpiration` / `verify_exp: False`.',
    jwtNoExpiry: 'JWT signed without an expiry ({{api}}): the token never expires. Set `expiresIn` / `exp` / `setExpirationTime`.',
    settingInsecureCookie: '`{{name}}` is off: the cookie is sent over plain HTTP. Set it to True in production settings.',
    settingScriptReadable: '`{{name}}` is off: scripts can read the session cookie. Leave it True.',
    settingSameSiteNone: '`{{name}}` is None: the cookie is sent on cross-site requests. Use "Lax" or "Strict".',
    settingLongLifetime: '`{{name}}` keeps sessions for {{days}} days. Keep sessions to hours or days.',
    csrfDisabled: '`{{name}}` turns CSRF protection off for every form.',
    djangoSecureMissing:
      "Django sessions are on (SessionMiddleware) but no settings module sets SESSION_COOKIE_SECURE, so the session cookie is sent over plain HTTP (Django's default is False). Set SESSION_COOKIE_SECURE = True in production settings.",
    csrfMiddlewareMissing: 'Django MIDDLEWARE has SessionMiddleware but no CsrfViewMiddleware: cookie-authenticated POSTs are not protected against CSRF.',
    csrfExempt:
      'View `{{name}}` is exempt from CSRF protection ({{api}}) and accepts state-changing requests. Remove the exemption or authenticate it without cookies.',
    noCsrf:
      '{{module}} authenticates by cookie and the app has state-changing routes ({{routes}}), but no CSRF protection (csurf, csrf-csrf, lusca, a CSRF middleware on the app) or SameSite=Lax/Strict cookie was found in the project.',
    sessionFixation:
      '`{{api}}` logs the user in without a new session id (`req.session.regenerate()`, aiohttp-session `new_session()`): a session id planted before login stays valid after it (session fixation).',
  },
  *check({ files, endpoints }) {
    const hasCsrf = files.some((f) => (f.sessionFacts ?? []).some((s) => s.kind === 'csrf-protection'));
    const setsSecureSession = files.some((f) => (f.sessionFacts ?? []).some((s) => s.kind === 'setting' && s.name === 'SESSION_COOKIE_SECURE'));
    const routes = stateChangingRoutes(files, endpoints);
    // `JwtModule.register({})` sets no default expiry; when every JwtService sign call passes `expiresIn`, every token expires.
    const nestSigns = files
      .flatMap((f) => (looksLikeTestPath(f.path) ? [] : (f.sessionFacts ?? [])))
      .filter((s) => s.kind === 'jwt-sign' && s.api.startsWith('JwtService.'));
    const nestSignsExpire = nestSigns.length > 0 && nestSigns.every((s) => !s.dynamicOptions && option(s.options, 'expiresIn') !== undefined);
    for (const file of files) {
      // Test code configures throw-away sessions and tokens; it still counts above as CSRF/route evidence.
      if (looksLikeTestPath(file.path)) continue;
      const facts = file.sessionFacts ?? [];
      const verifiesHere = facts.some(
        (s) => s.kind === 'jwt-verify' && option(s.options, 'options.verify_signature') !== false && option(s.options, 'verify') !== false,
      );
      for (const fact of facts) {
        if (!setsSecureSession && !fact.devOnly && fact.kind === 'setting' && isDjangoSessionMiddleware(fact)) {
          yield { ...match(file, fact, 'djangoSecureMissing', 'medium', {}, 'medium'), anchor: 'django-session-cookie-secure-missing' };
        }
        for (const m of checkFact(file, fact, verifiesHere)) {
          if (m.messageId === 'jwtNoExpiry' && fact.api.startsWith('JwtModule') && nestSignsExpire) continue;
          const lowered = fact.devOnly;
          yield lowered ? { ...m, severity: 'low', properties: { ...m.properties, devOnly: true } } : m;
        }
        if (fact.kind === 'session-middleware' && fact.module && EXPRESS_SESSIONS.has(fact.module) && !hasCsrf && routes.length > 0) {
          const sameSite = option(fact.options, ...SAMESITE_KEYS);
          const mitigated = typeof sameSite === 'string' ? /^(lax|strict)$/i.test(sameSite) : sameSite === true;
          if (!mitigated) {
            yield {
              messageId: 'noCsrf',
              data: { module: fact.module, routes: routes.slice(0, 3).join(', ') + (routes.length > 3 ? ', …' : '') },
              path: file.path,
              range: fact.range,
              anchor: `no-csrf:${fact.module}`,
              severity: fact.devOnly ? 'low' : 'medium',
              confidence: 'medium',
            };
          }
        }
      }
    }
  },
});

function isDjangoSessionMiddleware(fact: SessionFact): boolean {
  return (fact.name === 'MIDDLEWARE' || fact.name === 'MIDDLEWARE_CLASSES') && Array.isArray(fact.value) && fact.value.includes(DJANGO_SESSION_MIDDLEWARE);
}

/** State-changing routes: from the endpoint model when it has any, else from this rule's own route facts. */
function stateChangingRoutes(files: readonly FileFacts[], endpoints: readonly { methods: string[]; path: string; framework: string }[]): string[] {
  const nodeEndpoints = endpoints.filter((e) => ['express', 'koa', 'fastify'].includes(e.framework));
  if (nodeEndpoints.length > 0) {
    return nodeEndpoints.filter((e) => e.methods.some((m) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS')).map((e) => `${e.methods.join('|')} ${e.path}`);
  }
  return files.flatMap((f) =>
    (f.sessionFacts ?? []).filter((s) => s.kind === 'state-changing-route').map((s) => `${s.api.split('.').pop()!.toUpperCase()} ${s.name ?? ''}`),
  );
}

function match(
  file: FileFacts,
  fact: SessionFact,
  messageId: MessageId,
  severity: Severity,
  data: Record<string, string | number> = {},
  confidence: 'high' | 'medium' | 'low' = 'high',
): Match<MessageId> {
  return {
    messageId,
    data: { api: fact.api, ...data },
    path: file.path,
    range: fact.range,
    anchor: `${fact.kind}:${fact.api}:${fact.name ?? ''}:${messageId}`,
    severity,
    confidence,
  };
}

function* checkFact(file: FileFacts, fact: SessionFact, verifiesHere: boolean): Generator<Match<MessageId>> {
  const o = fact.options;
  switch (fact.kind) {
    case 'session-middleware': {
      const secure = option(o, ...SECURE_KEYS);
      if (secure === false) yield match(file, fact, 'cookieNotSecure', 'high');
      else if (secure === undefined && !fact.dynamicOptions && fact.module && SECURE_DEFAULT_OFF.has(fact.module)) {
        yield match(file, fact, 'cookieSecureMissing', 'medium', { module: fact.module }, 'medium');
      }
      if (option(o, ...HTTPONLY_KEYS) === false) yield match(file, fact, 'cookieScriptReadable', 'high');
      if (isNoneSameSite(option(o, ...SAMESITE_KEYS)) && secure !== true) yield match(file, fact, 'sameSiteNone', 'medium');
      const maxAge = option(o, ...MAXAGE_KEYS);
      if (typeof maxAge === 'number' && maxAge > MAX_SESSION_MS) yield match(file, fact, 'longLifetime', 'medium', { days: Math.round(maxAge / 86_400_000) });
      return;
    }
    case 'cookie-write': {
      if (!fact.name || !isSessionCookieName(fact.name) || fact.dynamicOptions || fact.value === '') return;
      // Koa's ctx.cookies (the `cookies` module) is HttpOnly by default and Secure on HTTPS requests: only explicit `false` counts.
      const defaultsSafe = fact.api.startsWith('ctx.cookies');
      const missing: string[] = [];
      const secure = option(o, 'secure');
      const httpOnly = option(o, 'httpOnly', 'httponly');
      if (secure === false || (!defaultsSafe && (secure === undefined || secure === null))) missing.push('Secure');
      if (httpOnly === false || (!defaultsSafe && (httpOnly === undefined || httpOnly === null))) missing.push('HttpOnly');
      if (missing.length > 0)
        yield match(file, fact, 'cookieFlags', missing.length === 2 ? 'high' : 'medium', { name: fact.name, missing: missing.join(' and ') });
      return;
    }
    case 'jwt-sign': {
      const alg = option(o, 'algorithm', 'signOptions.algorithm');
      if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
        yield match(file, fact, 'jwtNone', 'critical');
        return;
      }
      if (fact.dynamicOptions) return;
      const hasExpiryOption = option(o, 'expiresIn', 'exp', 'signOptions.expiresIn', 'expires_delta') !== undefined;
      const noExpiry = fact.api.startsWith('JwtModule') ? !hasExpiryOption : fact.payloadHasExp === false && !hasExpiryOption;
      if (noExpiry) yield match(file, fact, 'jwtNoExpiry', 'medium', {}, 'medium');
      return;
    }
    case 'jwt-verify': {
      const algorithms = option(o, 'algorithms', 'verifyOptions.algorithms');
      const list = Array.isArray(algorithms) ? algorithms : typeof algorithms === 'string' ? [algorithms] : [];
      if (list.some((a) => typeof a === 'string' && a.toLowerCase() === 'none')) yield match(file, fact, 'jwtNone', 'critical');
      if (option(o, 'options.verify_signature') === false || option(o, 'verify') === false) yield match(file, fact, 'jwtNoVerify', 'critical');
      if (option(o, 'ignoreExpiration', 'verifyOptions.ignoreExpiration') === true || option(o, 'options.verify_exp') === false)
        yield match(file, fact, 'jwtIgnoreExpiration', 'high');
      return;
    }
    case 'jwt-decode':
      if (!verifiesHere && fact.tokenFromRequest) yield match(file, fact, 'jwtDecodeOnly', 'high', {}, 'medium');
      return;
    case 'jwt-unsecured':
      yield match(file, fact, 'jwtUnsecured', 'high');
      return;
    case 'setting': {
      const name = fact.name ?? fact.api;
      const value = fact.value ?? null;
      if (name === 'MIDDLEWARE' || name === 'MIDDLEWARE_CLASSES') {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return;
        if (value.includes(DJANGO_SESSION_MIDDLEWARE) && !value.includes(DJANGO_CSRF_MIDDLEWARE)) yield match(file, fact, 'csrfMiddlewareMissing', 'high');
        return;
      }
      const rule = settingRuleFor(name);
      if (!rule?.insecure(value) || (rule.problem === 'script-readable-cookie' && SCRIPT_READABLE_IGNORED.has(name))) return;
      const { id, severity } = SETTING_MESSAGES[rule.problem];
      yield match(file, fact, id, severity, { name, ...(typeof value === 'number' ? { days: Math.round(value / 86400) } : {}) });
      return;
    }
    case 'csrf-exempt':
      if (!fact.safeMethodsOnly && fact.usesSession) yield match(file, fact, 'csrfExempt', 'medium', { name: fact.name ?? '' }, 'medium');
      return;
    case 'session-login':
      if (!fact.regenerated) yield match(file, fact, 'sessionFixation', 'medium', {}, 'medium');
      return;
    default:
      return;
  }
}
