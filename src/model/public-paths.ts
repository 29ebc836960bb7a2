import picomatch from 'picomatch';

/**
 * Endpoints that are public by design, so SOC2-001 does not ask them for authentication: sign-in and
 * sign-up, password reset requests, health and readiness probes, API docs, static assets and the
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

/*
 * Not public by default: a metrics endpoint (`/metrics`). Prometheus metrics name the routes, the load, the
 * versions and often users or tenants (CWE-200); served on the app's own port without authentication they are
 * reported, and a project that exposes them on purpose lists the path in `publicPaths`.
 */

/** A path segment starts here / ends here. */
export const SEG = '(?:^|/)';
export const END = '(?:/|$)';

export const PUBLIC_PATHS: readonly PublicPathPattern[] = [
  {
    id: 'login',
    pattern: new RegExp(
      `${SEG}(?:login|log-in|signin|sign-in|sign_in|authenticate|session|sessions|token|oauth|oauth2|oauth/token|refresh|refresh-token|refresh_token|token/refresh|callback|oauth2?/[^/]+|auth/[^/]+/callback)${END}`,
    ),
    must: ['/login', '/api/auth/login', '/users/login', '/signin', '/api/v1/sessions', '/auth/google/callback', '/oauth/token', '/auth/refresh', '/oauth'],
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
    pattern: new RegExp(
      `${SEG}(?:forgot|forgot-password|forgot_password|forgotpassword|forgotpw|forgot-pw|forgot_pw|reset-password|reset_password|resetpassword|password-reset|password_reset|password/(?:forgot|reset|email)|recover|recovery|password-recovery|password_recovery|reset_password_request|reset-password-request|password-reset-request)${END}`,
    ),
    must: [
      '/forgot-password',
      '/password/reset',
      '/api/auth/reset-password/:token',
      '/rest/user/reset-password',
      '/password-recovery/{email}',
      '/auth/reset_password_request',
      '/forgotpw',
    ],
    mustNot: ['/password', '/change-password', '/users/:id/password'],
  },
  {
    id: 'health',
    // Only near the root and without parameters: `/orders/:id/status` is not a probe.
    pattern:
      /^(?:\/[^/:[{]+){0,2}\/(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|ping|status|version|_health|heartbeat)(?:\/(?:live|ready|liveness|readiness))?$/,
    must: ['/health', '/api/healthz', '/readyz', '/ping', '/status', '/api/v1/health', '/health/live'],
    mustNot: ['/orders/:id/status', '/orders/:id/status-history', '/healthy-recipes', '/api/admin/users/status'],
  },
  {
    id: 'docs',
    // Not GraphiQL: it is a console that runs queries against the API (dvga's /graphiql), not documentation.
    pattern: new RegExp(`${SEG}(?:docs|api-docs|swagger|swagger-ui|swagger\\.json|openapi|openapi\\.json|openapi\\.yaml|redoc)${END}`),
    must: ['/docs', '/api-docs', '/swagger', '/openapi.json'],
    mustNot: ['/documents/:id', '/graphiql'],
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

/** `POST /users` without authentication is sign-up by convention (REST user collections). */
export const SIGNUP_COLLECTION = /(?:^|\/)(?:users|accounts|members)$/i;

/** The id of the default public pattern an endpoint matches, or null. */
export function publicPathKind(path: string, methods: readonly string[] = []): string | null {
  const p = path.toLowerCase();
  if (p === '/' && methods.every((m) => m === 'GET' || m === 'HEAD')) return 'root';
  if (methods.length === 1 && methods[0] === 'POST' && SIGNUP_COLLECTION.test(p)) return 'signup';
  for (const entry of PUBLIC_PATHS) if (entry.pattern.test(p)) return entry.id;
  return null;
}

/** Providers that send events to an app (payments, source hosting, chat, messaging, e-mail, auth, billing). */
const PROVIDERS =
  'stripe|paypal|github|gitlab|bitbucket|slack|discord|telegram|twilio|whatsapp|messenger|shopify|sendgrid|mailgun|postmark|mandrill|paddle|lemonsqueezy|lemon-squeezy|razorpay|braintree|adyen|mollie|square|plaid|clerk|svix|auth0|zoom|calendly|docusign|hubspot|intercom|coinbase|revenuecat|chargebee|recurly';

/**
 * Webhook receivers: endpoints a provider calls with events, public by design but only safe when the handler
 * verifies the sender's signature (SOC2-001 `unverifiedWebhook`). Only paths that say so: a `webhook(s)` or
 * `hooks` segment, a provider's event, notification or IPN endpoint, a provider callback. A checkout form or a
 * payment route that merely names the provider (`/stripe/checkout`, `/payments/stripe`, `/api/stripe`) is no
 * receiver, nor is the management of webhook subscriptions (`/settings/webhooks`, `/projects/:id/webhooks`).
 */
export const WEBHOOK_PATHS: readonly PathTable[] = [
  {
    id: 'webhook',
    pattern: /(?:^|\/)(?:[a-z0-9]+[-_]?)?web[-_]?hooks?(?:[-_]?(?:handler|receiver|listener|endpoint|events?|callback))?(?:\/|$)|(?:^|\/)hooks(?:\/|$)/,
    must: [
      '/webhook',
      '/api/webhooks/stripe',
      '/stripe/webhook',
      '/stripe-webhook',
      '/api/stripewebhook',
      '/webhooks/:provider',
      '/hooks/github',
      '/web-hooks',
      '/webhook-handler',
    ],
    mustNot: ['/checkout', '/api/stripe/create-checkout-session', '/hookah-bars', '/webhooksettings', '/web/hooksy'],
  },
  {
    id: 'provider-event',
    pattern: new RegExp(`${SEG}(?:${PROVIDERS})[-_/](?:events?|notify|notifications?|ipn|incoming|inbound|hook)${END}`),
    must: ['/stripe/events', '/api/paypal/ipn', '/twilio/incoming', '/slack/events', '/shopify/notifications', '/paddle-notify'],
    mustNot: ['/stripe/checkout', '/payments/stripe', '/api/stripe', '/paypal/create-order', '/events', '/slack/oauth'],
  },
  {
    id: 'ipn',
    pattern: new RegExp(`${SEG}(?:[a-z0-9]+[-_])?ipn(?:[-_](?:listener|handler|notify))?${END}`),
    must: ['/ipn', '/paypal-ipn', '/ipn-listener', '/payments/ipn'],
    mustNot: ['/ipnotes', '/snipnet'],
  },
  {
    id: 'provider-callback',
    pattern: new RegExp(`${SEG}callbacks?/(?:${PROVIDERS})${END}`),
    must: ['/callbacks/stripe', '/api/callback/twilio'],
    mustNot: ['/callback', '/auth/callback', '/checkout/stripe/return'],
  },
];

/** Managing webhook subscriptions (settings pages, a resource's hooks) is an ordinary API, not a receiver. */
export const WEBHOOK_MANAGEMENT: PathTable = {
  id: 'webhook-management',
  pattern:
    /(?:^|\/)(?:settings|admin|preferences|config|configuration)(?:\/[^/]+)*\/(?:web[-_]?hooks?|hooks)(?:\/|$)|(?::\w+|\[\w+\]|\{\w+\}|<[\w:]+>)\/(?:web[-_]?hooks?|hooks)(?:\/|$)/,
  must: ['/settings/webhooks', '/api/projects/:id/webhooks', '/repos/{owner}/{repo}/hooks', '/admin/integrations/webhooks/:id'],
  mustNot: ['/webhooks/:provider', '/api/webhooks/stripe', '/hooks/github'],
};

/** A webhook receiver's path (tested lower-cased): one of WEBHOOK_PATHS and not a management path. */
export function webhookKind(path: string): string | null {
  const p = path.toLowerCase();
  if (WEBHOOK_MANAGEMENT.pattern.test(p)) return null;
  for (const t of WEBHOOK_PATHS) if (t.pattern.test(p)) return t.id;
  return null;
}

/** Webhook paths: public only when the handler verifies the sender's signature (see WEBHOOK_PATHS). */
export const WEBHOOK_PATH: { test(path: string): boolean } = { test: (path) => webhookKind(path) !== null };

/** A matcher for the user's `publicPaths` globs (`/api/public/**`, `/share/*`). */
export function userPublicPaths(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(
    globs.map((g) => g.replace(/^([^/])/, '/$1')),
    { dot: true },
  );
  return (path) => match(path);
}
