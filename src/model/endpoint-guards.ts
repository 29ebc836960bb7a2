import type { Endpoint, GuardKind, HttpApp } from './endpoints.js';
import { END, SEG, type PathTable } from './public-paths.js';

/**
 * Language-neutral questions the endpoint rules (SOC2-001/006/008) ask of the model, and the path tables they
 * use — each table with samples that must and must not match (test/frameworks/javascript/tables.test.ts).
 */

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', '*']);

export function isMutating(endpoint: Endpoint): boolean {
  return endpoint.methods.some((m) => MUTATING_METHODS.has(m));
}

/** Authentication is shown by an authentication guard, or an authorisation guard (it needs an identity). */
export function isAuthenticated(endpoint: Endpoint): boolean {
  return endpoint.guards.some((g) => g.kind === 'authentication' || g.kind === 'authorization');
}

export function hasGuard(endpoint: Endpoint | HttpApp, kind: GuardKind): boolean {
  return endpoint.guards.some((g) => g.kind === kind);
}

/** `GET /users/:id`, `GET,POST /x`, `* /x` (every method). */
export function routeLabel(endpoint: Endpoint): string {
  return `${endpoint.methods.join(',')} ${endpoint.path}`;
}

export type { PathTable };

/** Endpoints an attacker brute-forces or abuses to create accounts and keys (SOC2-006). */
export const AUTH_SENSITIVE_PATHS: readonly PathTable[] = [
  {
    id: 'login',
    pattern: new RegExp(`${SEG}(?:login|log-in|signin|sign-in|sign_in|authenticate|sessions?|token|oauth/token|auth/token)${END}`, 'i'),
    must: ['/login', '/api/users/login', '/auth/signin', '/oauth/token', '/api/sessions'],
    mustNot: ['/login-history', '/users/:id', '/tokens/:id'],
  },
  {
    id: 'signup',
    pattern: new RegExp(`${SEG}(?:register|signup|sign-up|sign_up)${END}`, 'i'),
    must: ['/register', '/api/auth/signup', '/users/sign-up'],
    mustNot: ['/registry', '/registered'],
  },
  {
    id: 'password-reset',
    pattern: new RegExp(
      `${SEG}(?:forgot|forgot-password|forgot_password|forgotpassword|reset-password|reset_password|resetpassword|password-reset|password_reset|password/(?:forgot|reset))${END}`,
      'i',
    ),
    must: ['/forgot-password', '/password/reset', '/rest/user/reset-password'],
    mustNot: ['/change-password', '/password'],
  },
  {
    id: 'otp',
    pattern: new RegExp(`${SEG}(?:otp|mfa|2fa|totp|two-factor|two_factor|verify-otp|verify-code|verify)${END}`, 'i'),
    must: ['/2fa/verify', '/api/mfa', '/auth/otp', '/rest/2fa/verify'],
    mustNot: ['/verification-status'],
  },
  {
    id: 'api-key',
    pattern: new RegExp(`${SEG}(?:api-?keys?|api_keys?|tokens|access-tokens|personal-access-tokens)${END}`, 'i'),
    must: ['/api-keys', '/api/apikeys', '/user/tokens', '/personal-access-tokens'],
    mustNot: ['/keys-and-locks', '/tokenizer'],
  },
];

/**
 * A password change of the signed-in user (`/session/password`, `/users/me/change-password`): named so, never a
 * sign-in or a one-time-code check, when a segment before it (`session`, `auth/verify`) matches one of those.
 */
export const PASSWORD_CHANGE_PATH: PathTable = {
  id: 'password-change',
  pattern:
    /(?:^|\/)(?:(?:change|update|set|new|edit)[-_]?)?(?:password|passwd|pwd)(?:\/(?:change|update|edit|new|verify))?\/?$|(?:^|\/)(?:password|passwd)[-_]?(?:change|update)\/?$/i,
  must: [
    '/api/session/password',
    '/users/me/password',
    '/account/change-password',
    '/auth/verify/password',
    '/password/change',
    '/sessions/update_password',
    '/me/passwordChange',
  ],
  mustNot: ['/login', '/api/sessions', '/forgot-password', '/password/reset', '/reset-password', '/2fa/verify', '/passwords/:id/strength'],
};

/**
 * Sign-in with an identity provider (`/auth/google/login`, `/login/apple`): the client hands over a token the
 * provider signed (an OIDC ID token, an OAuth access token) which the server verifies with the provider; there is
 * no password to guess, so it is no brute-force target.
 */
export const SOCIAL_LOGIN_PATH: PathTable = {
  id: 'social-login',
  pattern:
    /(?:^|\/)(?:google|apple|facebook|github|gitlab|twitter|microsoft|azure-ad|linkedin|discord|slack)\/(?:login|signin|sign-in|sign_in)\/?$|(?:^|\/)(?:login|signin|sign-in|sign_in)\/(?:google|apple|facebook|github|gitlab|twitter|microsoft|linkedin|discord|slack)\/?$/i,
  must: ['/v1/auth/apple/login', '/auth/google/login', '/login/github', '/api/auth/facebook/login'],
  mustNot: ['/auth/email/login', '/login', '/auth/login', '/google/login/:id/password'],
};

export function authSensitiveKind(path: string, methods: readonly string[] = []): string | null {
  for (const t of AUTH_SENSITIVE_PATHS) {
    if (!t.pattern.test(path)) continue;
    if (t.id === 'login' && SOCIAL_LOGIN_PATH.pattern.test(path)) return null;
    // `/api/session/password` is matched by `session`: it changes a password, it does not sign in.
    if ((t.id === 'login' || t.id === 'otp') && PASSWORD_CHANGE_PATH.pattern.test(path)) return PASSWORD_CHANGE_PATH.id;
    return t.id;
  }
  // `POST /users` is sign-up by convention when it is public.
  if (methods.includes('POST') && /(?:^|\/)(?:users|accounts)$/i.test(path)) return 'signup';
  return null;
}

/** Privileged endpoints (SOC2-008 a): admin areas, and user, role and permission management. */
export const PRIVILEGED_PATHS: ReadonlyArray<PathTable & { mutatingOnly: boolean }> = [
  {
    id: 'admin',
    pattern: new RegExp(`${SEG}(?:admin|admins|administration|administrator|superadmin|super-admin|backoffice|back-office|staff|sudo|internal)${END}`, 'i'),
    mutatingOnly: false,
    must: ['/admin', '/api/admin/users', '/backoffice/orders', '/internal/jobs'],
    mustNot: ['/administrative-areas', '/adminer-docs'],
  },
  {
    id: 'roles',
    pattern: new RegExp(`${SEG}(?:roles?|permissions?|grants?|privileges?|acl|acls)${END}`, 'i'),
    mutatingOnly: true,
    must: ['/roles', '/users/:id/roles', '/api/permissions/:id'],
    mustNot: ['/rolex', '/grantee-reports'],
  },
  {
    id: 'user-management',
    // Another user's account by id: not `/users/me` or `/user` (one's own).
    pattern:
      /(?:^|\/)(?:users|accounts|members)\/(?::\w+|\[\w+\]|\{\w+\}|<[\w:]+>)(?:\/(?:role|roles|ban|block|suspend|promote|demote|disable|enable|permissions))?$/i,
    mutatingOnly: true,
    must: ['/users/:id', '/api/users/[id]', '/accounts/{account_id}', '/users/:id/ban', '/users/<int:pk>'],
    mustNot: ['/users/me', '/user', '/users/:id/articles', '/users'],
  },
];

export function privilegedKind(endpoint: Endpoint): string | null {
  for (const t of PRIVILEGED_PATHS) {
    if (t.mutatingOnly && !endpoint.methods.some((m) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS')) continue;
    if (t.pattern.test(endpoint.path)) return t.id;
  }
  return null;
}

/** Records that belong to a user: reading one by id without an owner check is an IDOR (SOC2-008 b). */
export const OWNED_RESOURCE =
  /(?:^|[/_.-])(basket|baskets|cart|carts|order|orders|invoice|invoices|payment|payments|card|cards|address|addresses|account|accounts|message|messages|conversation|conversations|document|documents|file|files|note|notes|wallet|wallets|transaction|transactions|subscription|subscriptions|ticket|tickets|booking|bookings|reservation|reservations|statement|statements|medical|record|records|upload|uploads)(?:$|[/_.A-Z-])/i;
// Not `profile(s)`: profiles are public pages in most apps (`/profiles/:username/follow` acts on the caller's own follow list).
export const OWNED_RESOURCE_SAMPLES = {
  must: ['/rest/basket/:id', '/api/orders/:orderId', 'Invoice.findByPk', '/api/messages/:id'],
  mustNot: ['/products/:id', '/articles/:slug', '/api/tags', '/profiles/:username/follow'],
};

/** Where guards were looked for, per framework: rule messages say which scopes were searched. */
export const SCOPES_SEARCHED: Record<Endpoint['framework'], string> = {
  express: 'app and router middleware (`use`), route middleware and the handler body',
  koa: 'app and router middleware (`use`), route middleware and the handler body',
  fastify: 'plugin hooks (`addHook`, registered plugins), route `onRequest`/`preHandler` options and the handler body',
  nestjs: 'global guards (`APP_GUARD`, `useGlobalGuards`), module middleware, controller and method decorators and the handler body',
  nextjs: '`middleware.ts` (with its matcher), handler wrappers and the handler body',
  fastapi: 'app, router and include_router dependencies, route dependencies and parameters, and the handler body',
  flask: 'app and blueprint `before_request` hooks, view decorators and the view body',
  django: 'settings defaults, URL includes, view decorators, mixins and permission classes, and the view body',
};

/** Opt-outs that make an endpoint public on purpose (`@Public()`, DRF `AllowAny`). */
export const AUTH_OPT_OUTS =
  /^(?:Public|IsPublic|SkipAuth|AllowAnonymous|Anonymous|NoAuth|PublicRoute|Unprotected|AllowAny|AllowUnauthorizedRequest|public|login_exempt|auth_exempt|optional-auth)$/;

/** Packages whose presence means rate limiting is configured somewhere (JS and Python imports). */
export const RATE_LIMIT_MODULES =
  /^(?:express-rate-limit|express-slow-down|rate-limiter-flexible|express-brute|express-limiter|koa-ratelimit|koa2-ratelimit|@fastify\/rate-limit|fastify-rate-limit|@nestjs\/throttler|@upstash\/ratelimit|slowapi|flask_limiter|django_ratelimit|ratelimit|fastapi_limiter|limits)(?:[./]|$)/;
