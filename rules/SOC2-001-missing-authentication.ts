import {
  firstOfDeclaration,
  AUTH_OPT_OUTS,
  SCOPES_SEARCHED,
  WEBHOOK_PATH,
  defineRule,
  isAuthenticated,
  isMutating,
  looksLikeTestPath,
  routeLabel,
  userPublicPaths,
  type Endpoint,
  type Match,
  type RuleContext,
} from '../src/rule-api.js';

type MessageId = 'missingAuth' | 'unverifiedWebhook';

/** Frameworks whose routes are the app itself (no app object to find first). */
const IMPLICIT_APP = new Set(['nestjs', 'nextjs', 'django']);

function publicGlobs(options: RuleContext['options']): string[] {
  const value = options.publicPaths;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function* check({ endpoints, apps, options }: RuleContext): Generator<Match<MessageId>> {
  const isUserPublic = userPublicPaths(publicGlobs(options));
  const appFrameworks = new Set(apps.map((a) => a.framework));
  const first = firstOfDeclaration();
  for (const e of endpoints) {
    if (!appFrameworks.has(e.framework) && !IMPLICIT_APP.has(e.framework)) continue;
    // Routes declared or handled in test files (and apps built inside tests) are harnesses, not the product.
    if (inTests(e)) continue;
    if (isAuthenticated(e)) continue;
    if (e.optOuts.some((o) => AUTH_OPT_OUTS.test(o))) continue;
    // Public by design (logout, health, a signature-verifying webhook, a capability URL …): the inventory shows why.
    if (e.publicByDesign || isUserPublic(e.path)) continue;
    if (!first(e)) continue;
    const webhook = receivesEvents(e) && WEBHOOK_PATH.test(e.path);
    yield report(e, webhook ? 'unverifiedWebhook' : 'missingAuth');
  }
}

function inTests(e: Endpoint): boolean {
  return looksLikeTestPath(e.file) || (e.handler !== undefined && looksLikeTestPath(e.handler.file));
}

/** Providers deliver webhook events with POST (PUT by a few); a GET or DELETE on such a path is no receiver. */
function receivesEvents(e: Endpoint): boolean {
  return e.methods.some((m) => m === 'POST' || m === 'PUT' || m === '*');
}

function report(e: Endpoint, messageId: MessageId): Match<MessageId> {
  const match: Match<MessageId> = {
    messageId,
    data: { method: e.methods.join(','), path: e.path, scopes: SCOPES_SEARCHED[e.framework] },
    path: e.file,
    range: e.range,
    anchor: routeLabel(e),
    severity: isMutating(e) ? 'high' : 'medium',
    confidence: e.unmounted ? 'low' : 'medium',
    properties: { framework: e.framework, method: e.methods.join(','), route: e.path },
  };
  return match;
}

export default defineRule<MessageId>({
  id: 'SOC2-001',
  slug: 'missing-authentication',
  title: 'HTTP endpoint without authentication',
  description:
    'An endpoint that answers without establishing who is calling exposes its data and actions to anyone who can reach it. SOC 2 CC6.1 expects access to be restricted to authorised users and CC6.2 expects users to be identified and authenticated before access; an unauthenticated route that is not public by design defeats both.',
  remediation:
    'Put the endpoint behind the authentication the rest of the app uses (app or router middleware, a NestJS guard, Next.js middleware or a session check in the handler). If it is public by design, mark it (`@Public()`) or list its path in the SOC2-001 `publicPaths` option so the decision is on record.',
  severity: 'high',
  confidence: 'medium',
  controls: ['CC6.1', 'CC6.2'],
  cwe: ['CWE-306'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    missingAuth: 'Route {{method}} {{path}} has no authentication check. Searched: {{scopes}}.',
    unverifiedWebhook: "Webhook {{method}} {{path}} neither authenticates the caller nor verifies the sender's signature. Searched: {{scopes}}.",
  },
  check,
});
