import type { Endpoint } from './endpoints.js';
import { SEG, END, publicPathKind, webhookKind, type PathTable } from './public-paths.js';

/**
 * Endpoints that are public by design, with the reason an auditor can check: the default public paths
 * (sign-in, health, docs, static …), logout, a webhook whose handler verifies the sender's signature, a
 * password reset or e-mail verification link carrying a token, a capability URL (an unguessable token, UUID or
 * signature in the path that the handler uses), a handler that only redirects, and a form behind a CAPTCHA.
 * Each path table carries samples (test/model/endpoint-public.test.ts).
 */

const PATH_REASONS: Record<string, string> = {
  root: 'home page',
  login: 'sign-in or token endpoint',
  signup: 'sign-up or e-mail verification',
  'password-reset': 'password reset request',
  health: 'health or status probe',
  docs: 'API documentation',
  static: 'static assets',
  'auth-provider': "the authentication provider's own routes",
};

export const LOGOUT_PATH: PathTable = {
  id: 'logout',
  pattern: new RegExp(`${SEG}(?:logout|log-out|log_out|signout|sign-out|sign_out|logoff)${END}`, 'i'),
  must: ['/logout', '/api/auth/logout/', '/accounts/sign-out', '/users/sign_out'],
  mustNot: ['/logout-history/:id', '/logouts-report'],
};

/** A path parameter whose name says it holds an unguessable value (`:token`, `{uuid}`, `<signature>`, `<uuid:code>`). */
const CAPABILITY_PARAM = /[:{<[](?:(uuid|signing|path|str|slug|int):)?(\w*(?:token|uuid|guid|signature|signed|secret|nonce|hmac|capability)\w*)[\]}>]?/gi;

export const CAPABILITY_PARAM_SAMPLES = {
  must: ['/ping/<uuid:code>', '/badge/:signature/:tag.svg', '/share/{token}', '/files/[secret]', '/invites/:inviteToken/accept'],
  mustNot: ['/users/:id', '/orders/{order_id}', '/posts/<int:pk>', '/keys', '/api-keys/:key', '/commits/:hash'],
};

/** Token-carrying flows: password reset, e-mail verification, invitation and account activation links. */
export const TOKEN_FLOW_PATH: PathTable = {
  id: 'token-flow',
  pattern: new RegExp(`${SEG}(?:reset|confirm|confirmation|verify|verification|activate|activation|invite|invitation|unsubscribe|magic-link|magic_link)`, 'i'),
  must: ['/reset/:uidb64/:token', '/accounts/confirm-email/:key', '/verify/{token}', '/invitations/:token/accept', '/unsubscribe/:signed'],
  mustNot: ['/orders/:token', '/share/:key'],
};

/** The site's legal pages (terms of service, privacy policy, imprint): near the root, never a user's settings. */
export const LEGAL_PAGE_PATH: PathTable = {
  id: 'legal',
  pattern:
    /^(?!.*(?:settings|account|profile|preferences|users?|me)\/)(?:\/[^/:[{<]+)?\/(?:tos|terms|terms-of-service|terms_of_service|terms-and-conditions|privacy|privacy-policy|privacy_policy|legal|imprint|impressum|cookie-policy)\/?$/,
  must: ['/tos', '/privacy', '/legal/terms', '/privacy-policy', '/terms-of-service/'],
  mustNot: ['/settings/privacy', '/users/:id/privacy', '/api/users/me/privacy', '/terms/:id/accept'],
};

/** A catch-all page route at the root: `*`, `/*`, `/(.*)`, `/:path*`, `/<path:route>`, `/[[...slug]]`. */
export const CATCH_ALL_PATH: PathTable = {
  id: 'catch-all',
  pattern: /^\/?(?:\*|\(\.\*\)|:\w+\*|:\w+\(\.\*\)|<path:\w+>|\{\w+:path\}|\[\[?\.\.\.\w+\]\]?)$/,
  must: ['/*', '*', '/(.*)', '/:path*', '/<path:route>', '/{full_path:path}', '/[[...slug]]'],
  mustNot: ['/api/*', '/users/*', '/files/<path:name>', '/'],
};

/** A first-run wizard's path (`/setup`, `/install`), only public with a body that checks the app is not set up. */
const FIRST_RUN_PATH = /^(?:\/[^/]+)?\/(?:setup|install|installer|first-run|onboard)\/?$/;

/** A signed-in user's own password change is no token link. */
const PASSWORD_CHANGE = /(?:change|update)[-_]?password|password[-_]?(?:change|update)|\/me\//;

/** Names of the capability parameters in a path: `/ping/<uuid:code>` → ['code']; a `uuid:` converter names it too. */
export function capabilityParams(path: string): string[] {
  const out: string[] = [];
  for (const m of path.matchAll(CAPABILITY_PARAM)) {
    const raw = m[0]!;
    // Only a parameter: `:x`, `{x}`, `<x>`, `[x]`, never a plain segment (`/keys`).
    if (!/^[:{<[]/.test(raw)) continue;
    if (raw.startsWith(':') && m.index! > 0 && path[m.index! - 1] !== '/') continue;
    out.push(m[2]!);
  }
  // `<uuid:code>`: a random UUID that is not the record's id (`<uuid:pk>`, `<uuid:order_id>` are ordinary ids).
  for (const m of path.matchAll(/<uuid:(\w+)>/g)) if (!out.includes(m[1]!) && !/^(?:pk|id)$|_(?:pk|id)$/i.test(m[1]!)) out.push(m[1]!);
  return out;
}

/** The reason an endpoint is public by design, or null when it is not. */
export function publicByDesign(e: Endpoint): string | null {
  const facts = e.handlerFacts;
  const lower = e.path.toLowerCase();
  if (LOGOUT_PATH.pattern.test(lower)) return 'logout';
  const kind = publicPathKind(e.path, e.methods);
  if (kind) return PATH_REASONS[kind] ?? kind;
  const reads = e.methods.every((m) => m === 'GET' || m === 'HEAD');
  if (reads && LEGAL_PAGE_PATH.pattern.test(lower)) return 'legal page (terms, privacy policy)';
  if (webhookKind(e.path) && facts?.verifiesSignature) return "webhook that verifies the sender's signature";
  // A callback that is no webhook by its path but checks the sender's signature first (GitHub secret scanning).
  if (!reads && facts?.verifiesSignature) return "callback that verifies the sender's signature";
  if (facts?.credentialInput)
    return `credential in the request: the \`${facts.credentialInput.name}\` the client sends is checked by \`${facts.credentialInput.call}\``;
  if (facts?.documentedPublic) return `documented as needing no authentication: "${facts.documentedPublic}"`;
  const caps = capabilityParams(e.path);
  const used = caps.filter((c) => facts?.capabilityNames?.includes(c));
  if (used.length > 0) {
    const list = used.map((c) => `\`${c}\``).join(', ');
    return TOKEN_FLOW_PATH.pattern.test(lower)
      ? `token link (password reset, verification or invitation): ${list} in the path is checked by the handler`
      : `capability URL: the unguessable ${list} in the path is checked by the handler`;
  }
  // `/confirm/<data>` that unserialises and checks a signed token (the parameter's name says nothing).
  if (
    (facts?.signals?.includes('token-check') || (facts?.capabilityNames?.length ?? 0) > 0) &&
    TOKEN_FLOW_PATH.pattern.test(lower) &&
    !PASSWORD_CHANGE.test(lower)
  )
    return 'token link (password reset, verification or invitation): the handler verifies the token';
  if (facts?.signals?.includes('redirect')) return 'redirect only';
  // A page that answers a constant text (GET, or any method as `app.all`): a POST stub body proves nothing.
  if (facts?.signals?.includes('constant') && !facts.recordAccess && e.methods.some((m) => m === 'GET' || m === '*'))
    return 'answers a constant text (a keep-alive page): reads and changes nothing';
  if (reads && facts?.signals?.includes('static-page') && !facts.recordAccess) return 'renders a fixed page: the handler passes the template no data';
  if (reads && facts?.signals?.includes('static-file') && !facts.recordAccess) return 'serves files by name from a fixed folder (static assets)';
  if (facts?.signals?.includes('first-run-setup') && FIRST_RUN_PATH.test(lower))
    return 'first-run setup: the view answers only while the app is not set up yet';
  // The single-page app shell or a CMS page at `/*`: a GET that loads no record by a request id.
  if (CATCH_ALL_PATH.pattern.test(e.path) && e.methods.every((m) => m === 'GET' || m === 'HEAD') && !facts?.recordAccess)
    return 'catch-all page (single-page app shell or public pages)';
  // A form submission behind a CAPTCHA; the GET that serves the CAPTCHA image is no form.
  if (facts?.signals?.includes('captcha') && e.methods.some((m) => m !== 'GET' && m !== 'HEAD')) return 'form protected by a CAPTCHA';
  return null;
}

/**
 * Sets `publicByDesign` on every endpoint that is and has no authentication (called by each language's endpoint
 * resolver); an authenticated endpoint needs no reason to be public.
 */
export function markPublicByDesign(endpoints: readonly Endpoint[]): void {
  for (const e of endpoints) {
    const authenticated = e.guards.some((g) => g.kind === 'authentication' || g.kind === 'authorization');
    const why = authenticated ? null : publicByDesign(e);
    if (why) e.publicByDesign = why;
    else delete e.publicByDesign;
  }
}

/** Identifiers a body uses that name an unguessable value; the source text of a handler body, at most 24. */
export function capabilityNamesIn(body: string): string[] {
  const names = new Set<string>();
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\b/g)) {
    const name = m[1]!;
    if (/(?:token|uuid|guid|signature|signed|secret|nonce|hmac|capability|code|hash)$/i.test(name) || /^(?:uuid|token)/i.test(name)) names.add(name);
    if (names.size >= 24) break;
  }
  return [...names].sort();
}

/** A handler that checks a signed or stored token (`unserialize(data)`, `signing.loads`, `verify_email_token(token)`). */
export const TOKEN_CHECK =
  /\b(?:unserialize|unsign|(?<!json\.)(?<!pickle\.)loads|verify_?\w*_?token|check_?\w*_?token|confirm_?\w*_?token|decode_?\w*_?token|validate_?\w*_?token|default_token_generator\.check_token|verifyToken|checkToken)\s*\(/i;
export const TOKEN_CHECK_SAMPLES = {
  must: [
    'user_email = unserialize(data, max_age=1800)',
    'signing.loads(token)',
    'default_token_generator.check_token(user, token)',
    'verify_email_token(token)',
  ],
  mustNot: ['json.dumps(x)', 'token = generate_token()', 'payload = json.loads(request.data)'],
};

/** A handler that verifies a CAPTCHA answer (reCAPTCHA, hCaptcha, Turnstile, a project's captcha helper). */
export const CAPTCHA_CHECK = /\b\w*(?:captcha|turnstile)\w*(?:\.\w+)?\s*\(|g-recaptcha-response|h-captcha-response|cf-turnstile-response/i;
export const CAPTCHA_SAMPLES = {
  must: ['if not verify_recaptcha(request):', 'await verifyCaptcha(token)', "req.body['g-recaptcha-response']", 'turnstile.verify(x)'],
  mustNot: ['captcha_enabled = True', 'const captcha = "x"'],
};
