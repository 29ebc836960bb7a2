import picomatch from 'picomatch';

/**
 * Endpoints that are public by design, so SOC2-001 does not ask them for authentication: sign-in and
 * sign-up, password reset requests, health and readiness probes, metrics, API docs, static assets and the
 * authentication provider's own routes. Matched against the endpoint path's segments; a project adds its own
 * with the SOC2-001 option `publicPaths` (globs such as `/api/public/**`).
 */
/** A table of path patterns with the samples that prove it; shared by every endpoint path table. */
export interface PathTable {
  id: string;
  /** Tested against the full path, lower-cased, with parameters kept as written. */
  pattern: RegExp;
  must: string[];
  mustNot: string[];
}
export type PublicPathPattern = PathTable;

/** A path segment starts here / ends here. */
export const SEG = '(?:^|/)';
export const END = '(?:/|$)';

export const PUBLIC_PATHS: readonly PublicPathPattern[] = [
  {
    id: 'login',
    pattern: new RegExp(`${SEG}(?:login|log-in|signin|sign-in|sign_in|authenticate|session|sessions|token|oauth/token|refresh|refresh-token|refresh_token|token/refresh|callback|oauth2?/[^/]+|auth/[^/]+/callback)${END}`),
    must: ['/login', '/api/auth/login', '/users/login', '/signin', '/api/v1/sessions', '/auth/google/callback', '/oauth/token', '/auth/refresh'],
    mustNot: ['/loginHistory', '/users/:id', '/api/tokens/:id/revoke-all'],
  },
  {
    id: 'signup',
    pattern: new RegExp(`${SEG}(?:register|signup|sign-up|sign_up|verify-email|confirm-email|email/verify)${END}`),
    must: ['/register', '/api/auth/signup', '/users/sign-up', '/verify-email'],
    mustNot: ['/registered-devices', '/registry'],
  },
  {
    id: 'password-reset',
    pattern: new RegExp(`${SEG}(?:forgot|forgot-password|forgot_password|forgotpassword|reset-password|reset_password|resetpassword|password-reset|password_reset|password/(?:forgot|reset|email)|recover|recovery|password-recovery|password_recovery|reset_password_request|reset-password-request|password-reset-request)${END}`),
    must: ['/forgot-password', '/password/reset', '/api/auth/reset-password/:token', '/rest/user/reset-password', '/password-recovery/{email}', '/auth/reset_password_request'],
    mustNot: ['/password', '/change-password', '/users/:id/password'],
  },
  {
    id: 'health',
    // Only near the root and without parameters: `/orders/:id/status` is not a probe.
    pattern: /^(?:\/[^/:[{]+){0,2}\/(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|ping|status|version|_health|heartbeat)(?:\/(?:live|ready|liveness|readiness))?$/,
    must: ['/health', '/api/healthz', '/readyz', '/ping', '/status', '/api/v1/health', '/health/live'],
    mustNot: ['/orders/:id/status', '/orders/:id/status-history', '/healthy-recipes', '/api/admin/users/status'],
  },
  {
    id: 'metrics',
    pattern: new RegExp(`${SEG}metrics${END}`),
    must: ['/metrics'],
    mustNot: ['/metrics-dashboard'],
  },
  {
    id: 'docs',
    pattern: new RegExp(`${SEG}(?:docs|api-docs|swagger|swagger-ui|swagger\\.json|openapi|openapi\\.json|openapi\\.yaml|redoc|graphiql)${END}`),
    must: ['/docs', '/api-docs', '/swagger', '/openapi.json'],
    mustNot: ['/documents/:id'],
  },
  {
    id: 'static',
    pattern: new RegExp(`${SEG}(?:static|assets|public|favicon\\.ico|robots\\.txt|sitemap\\.xml|\\.well-known|_next|og|og-image|opengraph-image)${END}`),
    must: ['/api/og', '/static', '/assets/logo.png', '/favicon.ico', '/.well-known/jwks.json', '/public'],
    mustNot: ['/publications'],
  },
  {
    id: 'auth-provider',
    pattern: /^\/api\/auth(?:\/|$)/,
    must: ['/api/auth/[...nextauth]', '/api/auth/signin'],
    mustNot: ['/api/authors'],
  },
];

/** `POST /users` without authentication is sign-up by convention (RealWorld, REST user collections). */
export const SIGNUP_COLLECTION = /(?:^|\/)(?:users|accounts|members)$/i;

/** The id of the default public pattern an endpoint matches, or null. */
export function publicPathKind(path: string, methods: readonly string[] = []): string | null {
  const p = path.toLowerCase();
  if (p === '/' && methods.every((m) => m === 'GET' || m === 'HEAD')) return 'root';
  if (methods.length === 1 && methods[0] === 'POST' && SIGNUP_COLLECTION.test(p)) return 'signup';
  for (const entry of PUBLIC_PATHS) if (entry.pattern.test(p)) return entry.id;
  return null;
}

/** Webhook paths: public only when the handler verifies the sender's signature. */
export const WEBHOOK_PATH = /(?:^|\/)(?:webhooks?|hooks|callbacks?\/(?:stripe|github|slack)|stripe|ipn)(?:\/|$)/i;

/** A matcher for the user's `publicPaths` globs (`/api/public/**`, `/share/*`). */
export function userPublicPaths(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs.map((g) => g.replace(/^([^/])/, '/$1')), { dot: true });
  return (path) => match(path);
}
