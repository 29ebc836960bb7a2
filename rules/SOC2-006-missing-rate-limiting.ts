import {
  firstOfDeclaration,
  RATE_LIMIT_MODULES,
  SCOPES_SEARCHED,
  authSensitiveKind,
  defineRule,
  hasGuard,
  isAuthenticated,
  looksLikeTestPath,
  routeLabel,
  type Match,
  type RuleContext,
} from '../src/rule-api.js';

type MessageId = 'sensitiveEndpoint' | 'appWithoutLimiter';

const WHAT: Record<string, string> = {
  login: 'a sign-in endpoint (password guessing)',
  signup: 'a sign-up endpoint (mass account creation)',
  'password-reset': 'a password reset endpoint (email flooding, token guessing)',
  otp: 'a one-time-code check (code guessing)',
  'api-key': 'an API key or token endpoint (key minting)',
  'password-change': 'a password change endpoint (current-password guessing)',
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', '*']);

function* check({ endpoints, apps, files }: RuleContext): Generator<Match<MessageId>> {
  const first = firstOfDeclaration();
  for (const e of endpoints) {
    // Routes declared or handled in test files are harnesses, not the product.
    if (looksLikeTestPath(e.file) || (e.handler && looksLikeTestPath(e.handler.file))) continue;
    const kind = authSensitiveKind(e.path, isAuthenticated(e) ? [] : e.methods);
    if (!kind || !e.methods.some((m) => WRITES.has(m))) continue;
    if (kind === 'api-key' && !e.methods.includes('POST') && !e.methods.includes('*')) continue;
    // `@SkipThrottle()` switches the app-wide and controller limiters off for this route.
    const skipped = e.optOuts.find((o) => /SkipThrottle|ratelimit_exempt|exempt/i.test(o));
    const limited = e.guards.some((g) => g.kind === 'rate-limit' && (!skipped || g.scope === 'route' || g.scope === 'handler'));
    if (limited || !first(e)) continue;
    yield {
      messageId: 'sensitiveEndpoint',
      data: {
        method: e.methods.join(','),
        path: e.path,
        what: WHAT[kind]!,
        scopes: SCOPES_SEARCHED[e.framework],
        skipped: skipped ? ` (\`${skipped}\` switches it off here)` : '',
      },
      path: e.file,
      range: e.range,
      anchor: routeLabel(e),
      confidence: e.unmounted ? 'low' : 'medium',
      properties: { framework: e.framework, route: e.path, sensitiveKind: kind },
    };
  }
  const limiterImported = files.some((f) => f.imports.some((i) => RATE_LIMIT_MODULES.test(i.module)));
  if (limiterImported) return;
  // One finding per framework: a project that creates several apps (the server, CLI commands, loaders) has one
  // missing limiter, not one per `express()` call. It goes to the app nearest the endpoints.
  const byFramework = new Map<string, Array<(typeof apps)[number]>>();
  // An app built in a test file is a harness for the real one.
  for (const app of apps) if (!looksLikeTestPath(app.file)) byFramework.set(app.framework, [...(byFramework.get(app.framework) ?? []), app]);
  for (const [framework, list] of byFramework) {
    // A handler that answers a constant (a keep-alive page) has nothing to exhaust.
    const own = endpoints.filter((e) => e.framework === framework && !looksLikeTestPath(e.file) && !e.handlerFacts?.signals?.includes('constant'));
    if (own.length === 0 || list.some((a) => hasGuard(a, 'rate-limit')) || own.some((e) => hasGuard(e, 'rate-limit'))) continue;
    const app = nearest(
      list,
      own.map((e) => e.file),
    );
    yield {
      messageId: 'appWithoutLimiter',
      data: { framework: app.framework, count: own.length, scopes: SCOPES_SEARCHED[app.framework] },
      path: app.file,
      range: app.range,
      anchor: `app:${app.framework}`,
      properties: { framework: app.framework, endpoints: own.length },
    };
  }
}

/** Files that conventionally start the served app (`server.ts`, `start.ts`, `main.py`, `app.js`, `index.ts`). */
const ENTRY_FILE = /(?:^|\/)(?:server|start|main|app|index|serve|www)\.[cm]?[jt]sx?$|(?:^|\/)(?:main|app|asgi|wsgi|server)\.py$/;

/**
 * The app whose folder holds most of the endpoint files; on a tie, one in a file that conventionally starts the
 * served app rather than a CLI command or a helper (`commands/start.ts` before `commands/exec.ts`); then the first
 * by path.
 */
function nearest<T extends { file: string }>(apps: T[], files: string[]): T {
  const dir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  const score = (a: T) => files.filter((f) => f.startsWith(dir(a.file))).length;
  const entry = (a: T) => (ENTRY_FILE.test(a.file) ? 1 : 0);
  return [...apps].sort((a, b) => score(b) - score(a) || entry(b) - entry(a) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))[0]!;
}

export default defineRule<MessageId>({
  id: 'SOC2-006',
  slug: 'missing-rate-limiting',
  title: 'Missing rate limiting',
  description:
    'Without a limit on how often a client may call, sign-in, sign-up, password reset and one-time-code endpoints can be brute-forced or abused, and any endpoint can be used to exhaust the service. SOC 2 A1.1 expects capacity to be managed against demand and CC6.2 expects authentication to resist guessing.',
  remediation:
    'Add a rate limiter (express-rate-limit, @fastify/rate-limit, koa-ratelimit, @nestjs/throttler, slowapi, flask-limiter, django-ratelimit or DRF throttles) to the app, and a stricter one to authentication endpoints. If limits are enforced outside the code (API gateway, WAF), suppress the finding with that reason so it is on record.',
  severity: 'medium',
  confidence: 'medium',
  controls: ['A1.1', 'CC6.2'],
  cwe: ['CWE-770', 'CWE-307'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    sensitiveEndpoint: '{{method}} {{path}} is {{what}} with no rate limiter{{skipped}}. Searched: {{scopes}}.',
    appWithoutLimiter:
      'This {{framework}} app has no rate limiting anywhere: none of its {{count}} endpoints is limited and no rate-limit package is imported. Searched: {{scopes}}.',
  },
  check,
});
