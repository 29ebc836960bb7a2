import type { OptionValue } from './facts.js';

/**
 * Session and cookie knowledge for SOC2-009, as data: framework settings and the values that weaken them,
 * session middleware and CSRF protection modules, cookie names that carry a session or token, and paths that
 * are development-only. Samples are tested in test/model/session-settings.test.ts.
 */

export type SettingProblem = 'insecure-cookie' | 'script-readable-cookie' | 'samesite-none' | 'long-lifetime' | 'csrf-disabled';

export interface SettingRule {
  /** Setting names (Flask `app.config` keys, Django settings module names). */
  names: readonly string[];
  problem: SettingProblem;
  /** True when the value is the insecure one. */
  insecure: (value: OptionValue) => boolean;
  samples: { insecure: OptionValue[]; fine: OptionValue[] };
}

const isFalse = (v: OptionValue): boolean => v === false || v === 0 || (typeof v === 'string' && /^(false|0|no|off)$/i.test(v));
const isNone = (v: OptionValue): boolean => v === null || (typeof v === 'string' && v.toLowerCase() === 'none');

/** Longer than this a session outlives any reasonable idle/absolute timeout (30 days, in seconds). */
export const MAX_SESSION_SECONDS = 30 * 24 * 3600;

export const SETTING_RULES: readonly SettingRule[] = [
  {
    names: ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'REMEMBER_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE'],
    problem: 'insecure-cookie',
    insecure: isFalse,
    samples: { insecure: [false, 'False', 0], fine: [true, { expr: "os.environ.get('SECURE')" }] },
  },
  {
    names: ['SESSION_COOKIE_HTTPONLY', 'REMEMBER_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY'],
    problem: 'script-readable-cookie',
    // CSRF_COOKIE_HTTPONLY defaults to False in Django by design (JS reads the token); only the session ones matter.
    insecure: isFalse,
    samples: { insecure: [false], fine: [true] },
  },
  {
    names: ['SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'REMEMBER_COOKIE_SAMESITE'],
    problem: 'samesite-none',
    insecure: (v) => isNone(v) || v === false,
    samples: { insecure: [null, 'None', false], fine: ['Lax', 'Strict'] },
  },
  {
    names: ['PERMANENT_SESSION_LIFETIME', 'SESSION_COOKIE_AGE', 'REMEMBER_COOKIE_DURATION'],
    problem: 'long-lifetime',
    insecure: (v) => typeof v === 'number' && v > MAX_SESSION_SECONDS,
    samples: { insecure: [31536000, 1209600 * 52], fine: [3600, 1209600, { expr: 'timedelta(hours=1)' }] },
  },
  {
    names: ['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT'],
    problem: 'csrf-disabled',
    insecure: isFalse,
    samples: { insecure: [false], fine: [true] },
  },
];

/** CSRF_COOKIE_HTTPONLY = False is Django's default and documented as harmless; only session cookies count. */
export const SCRIPT_READABLE_IGNORED = new Set(['CSRF_COOKIE_HTTPONLY']);

export function settingRuleFor(name: string): SettingRule | undefined {
  return SETTING_RULES.find((r) => r.names.includes(name));
}

/** Names of every setting the extractors record (the rules above plus the Django middleware list). */
export const SESSION_SETTING_NAMES: ReadonlySet<string> = new Set([
  ...SETTING_RULES.flatMap((r) => r.names),
  'MIDDLEWARE',
  'MIDDLEWARE_CLASSES',
  'SESSION_ENGINE',
]);

export const DJANGO_CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';
export const DJANGO_SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';

/** `timedelta(days=365)` / `60 * 60 * 24 * 365` / `datetime.timedelta(weeks=2)` → seconds; null when not static. */
export function secondsOf(text: string): number | null {
  const t = text.replace(/\s+/g, '');
  const td = /^(?:datetime\.)?timedelta\((.*)\)$/.exec(t);
  if (td) {
    const unit: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1 };
    let total = 0;
    for (const part of td[1]!.split(',').filter(Boolean)) {
      const m = /^(weeks|days|hours|minutes|seconds)=([\d.*]+)$/.exec(part);
      if (!m) return null;
      const n = product(m[2]!);
      if (n === null) return null;
      total += n * unit[m[1]!]!;
    }
    return total;
  }
  return product(t);
}

function product(t: string): number | null {
  if (!/^[\d._]+(\*[\d._]+)*$/.test(t)) return null;
  return t.split('*').reduce((a, b) => a * Number(b.replace(/_/g, '')), 1);
}

/** Node session middlewares by module: the import decides which options mean what. */
export const SESSION_MODULES: ReadonlyMap<string, 'server-session' | 'cookie-session'> = new Map([
  ['express-session', 'server-session'],
  ['cookie-session', 'cookie-session'],
  ['client-sessions', 'cookie-session'],
  ['@fastify/session', 'server-session'],
  ['@fastify/secure-session', 'cookie-session'],
  ['fastify-session', 'server-session'],
  ['koa-session', 'cookie-session'],
  ['iron-session', 'cookie-session'],
  ['@hapi/yar', 'server-session'],
]);

/** Modules (JS and Python) whose use means CSRF protection is in place. */
export const CSRF_MODULES: ReadonlySet<string> = new Set([
  'csurf',
  'csrf-csrf',
  'csrf-sync',
  'lusca',
  '@fastify/csrf-protection',
  'tiny-csrf',
  'koa-csrf',
  '@dr.pogodin/csurf',
  '@edge-csrf/nextjs',
  'next-csrf',
  'flask_wtf.csrf',
  'flask_wtf',
  'flask_seasurf',
]);

/** Calls that install CSRF protection: `csrf()`, `csurf()`, `doubleCsrf(...)`, `lusca.csrf()`, `CSRFProtect(app)`. */
export const CSRF_CALLEE = /^(?:csrf|csurf|csrfProtection|doubleCsrf|csrfSync|lusca\.csrf|lusca|CSRFProtect|CsrfProtect|SeaSurf|fastify\.register\(csrf\))$/;

/**
 * Cookie names that carry a session, a login or a bearer token. A preference named after login or remembering
 * (`polar_last_login_method`, `remember_theme`) is not one; `remember_me` and `remember_token` are.
 */
const SESSION_COOKIE_NAME =
  /(^|[-_.])(session|sessionid|sess|sid|connect\.sid|token|jwt|auth|access|refresh|remember_?me|user_?id|id_?token)([-_.]|$)|^(sid|jwt|token|session)$/i;
export const SESSION_COOKIE_SAMPLES = {
  match: [
    'session',
    'sessionId',
    'sessionid_backup',
    'connect.sid',
    'token',
    'access_token',
    'refresh-token',
    'jwt',
    'auth',
    'remember_me',
    'rememberMe',
    'remember_token',
    'sid',
    'user_id',
    '__Host-session',
  ],
  noMatch: ['theme', 'locale', 'consent', 'cart', 'lang', '_ga', 'tracking', 'polar_last_login_method', 'remember_theme', 'login_hint'],
};

export function isSessionCookieName(name: string): boolean {
  const n = name.replace(/([a-z])([A-Z])/g, '$1_$2');
  return SESSION_COOKIE_NAME.test(n);
}

/** Files that only configure development or test environments: findings there are lowered, not hidden. */
const DEV_ONLY_PATH =
  /(^|\/)(settings|config|conf)\/(dev|development|local|test|testing|ci)(_[a-z]+)?\.py$|(^|\/)(settings|config)_(dev|development|local|test)\.py$|(^|\/)(dev|development|local|test)_settings\.py$|(^|\/)config\/(development|test)\.(js|ts|json)$/;
export const DEV_ONLY_PATH_SAMPLES = {
  match: ['settings/dev.py', 'myapp/settings/local.py', 'config/settings/test.py', 'settings_dev.py', 'local_settings.py', 'config/development.js'],
  noMatch: ['settings/production.py', 'settings/base.py', 'settings.py', 'app/dev_tools.py', 'config/production.js'],
};

export function isDevOnlyPath(path: string): boolean {
  return DEV_ONLY_PATH.test(path);
}

/** Payload claims that carry an expiry: the standard `exp` and app-checked ones (`expiresAt`, `expiry`, an explicit `createdAt` the app ages out). */
export const EXPIRY_CLAIM =
  /^(exp|expires?|expires_?at|expiresAt|expires_?in|expiresIn|expiry|expiration|expiration_?time|valid_?until|validUntil|created_?at|createdAt|issued_?at|issuedAt)$/i;
export const EXPIRY_CLAIM_SAMPLES = {
  match: ['exp', 'expiresAt', 'expires_at', 'expiry', 'validUntil', 'createdAt'],
  noMatch: ['sub', 'iat', 'type', 'experience', 'export'],
};

/** Function text that reads a client-sent token: Authorization headers, cookies, `?token=`, Bearer prefixes. */
export const REQUEST_TOKEN_READ =
  /headers?\.authorization|headers\[['"]authorization|headers\.get\(['"]authorization|\.cookies\b|\bCOOKIES\b|Bearer|\b(req|request|ctx)\.(query|body|params|args|GET|POST)\b[^\n]*token|jwtFrom\(|getToken\(/i;
export const REQUEST_TOKEN_READ_SAMPLES = {
  match: [
    'req.headers.authorization',
    "request.headers['Authorization']",
    'req.cookies.token',
    "request.COOKIES.get('jwt')",
    "auth.replace('Bearer ', '')",
    'req.query.token',
  ],
  noMatch: ['const text = await response.text()', 'rotateToken(accessToken)', 'tokenResponse.id_token'],
};
