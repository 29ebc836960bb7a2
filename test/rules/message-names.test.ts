import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { detectLanguage } from '../../src/discovery/languages.js';
import { analyze } from '../../src/engine/analyze.js';
import type { Finding } from '../../src/types.js';
import { extractFacts } from '../../src/engine/extract.js';
import { NOT_REQUEST_PARAM, isRequestParam } from '../../src/languages/python/frameworks/handler-facts.js';
import type { PyParam } from '../../src/model/py-routes.js';
import { CURRENT_PASSWORD, CURRENT_PASSWORD_SAMPLES } from '../../src/model/audit-events.js';
import { PASSWORD_CHANGE_PATH, authSensitiveKind } from '../../src/model/endpoint-guards.js';
import { WEBHOOK_MANAGEMENT, WEBHOOK_PATHS, webhookKind } from '../../src/model/public-paths.js';

/**
 * Issue 12 item 13: messages must name the right thing. The fixture test checks lines and severities only, so the
 * exact text of the messages (and the steps of a data flow) is checked here, on the fixture projects that
 * reproduce each case.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'rules');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

async function scan(project: string, ruleId: string): Promise<Finding[]> {
  const root = join(FIXTURES, project);
  const files = [];
  for (const abs of walk(root)) {
    const path = relative(root, abs).split(sep).join('/');
    const language = detectLanguage(path);
    if (!language) continue;
    const text = readFileSync(abs, 'utf8');
    const { facts } = await extractFacts({ path, language, text });
    if (facts) files.push({ facts, text });
  }
  return analyze({ files, rules: RULES }).findings.filter((f) => f.ruleId === ruleId);
}

const lines = (findings: Finding[]) => findings.map((f) => `${f.location.path}:${f.location.startLine} ${f.message}`);

describe('SOC2-008 names the lookup key, never a session, request or service', () => {
  it('fastapi-session-deps', async () => {
    const searched = 'Searched: app, router and include_router dependencies, route dependencies and parameters, and the handler body.';
    expect(lines(await scan('SOC2-008/fastapi-session-deps', 'SOC2-008'))).toEqual([
      `api/main.py:33 GET /carts/{cart_id} loads a record by \`cart_id\` from the request params (crud.get) without checking that it belongs to the current user, and no authorisation guard applies. ${searched}`,
      `api/main.py:40 GET /baskets/{basket_id} loads a record by \`basket_id\` from the request params (db.get) without checking that it belongs to the current user, and no authorisation guard applies. ${searched}`,
      `api/main.py:47 DELETE /notes/{note_id} deletes a record by \`note_id\` from the request params (note_service.get) without checking that it belongs to the current user, and no authorisation guard applies. ${searched}`,
    ]);
  });

  const param = (sample: string): PyParam => {
    const [name, annotation] = sample.split(/:\s*/, 2) as [string, string | undefined];
    return annotation ? { name, annotation: { text: annotation } } : { name };
  };
  it.each(NOT_REQUEST_PARAM.must)('%s is no request value', (s) => expect(isRequestParam(param(s))).toBe(false));
  it.each(NOT_REQUEST_PARAM.mustNot)('%s is a request value', (s) => expect(isRequestParam(param(s))).toBe(true));
  it('a FastAPI Path()/Query() default is a request value, Depends() is not', () => {
    const call = (callee: string) => ({ text: `${callee}()`, call: { callee, args: [], kwargs: {} } });
    expect(isRequestParam({ name: 'order_id', default: call('Path') })).toBe(true);
    expect(isRequestParam({ name: 'q', default: call('Query') })).toBe(true);
    expect(isRequestParam({ name: 'order', default: call('Depends') })).toBe(false);
  });
});

describe('SOC2-004 chains start in the handler the request data enters', () => {
  it('handler-scopes: no flow from one handler into the next, this.m() is the own class, injected fields by type', async () => {
    const findings = await scan('SOC2-004/handler-scopes', 'SOC2-004');
    expect(lines(findings)).toEqual([
      'js/server.js:19 `req.query.domain` flows into an OS command run by `exec()`. Pass arguments as an array without a shell, and allow-list the values.',
      "nest/reports.service.ts:10 `Query('q') q` flows into a SQL string passed to `this.db.query()`. Use placeholders with a separate values argument, or validate the input first.",
      'py/app.py:12 `q: str` flows into a SQL string passed to `db.execute()`. Use placeholders with a separate values argument, or validate the input first.',
    ]);
    // The reports flow enters through reportsOf() (line 38), not through all() that calls NotesService.search.
    const reports = findings.find((f) => f.location.path === 'nest/reports.service.ts')!;
    expect(reports.codeFlow?.map((s) => `${s.path}:${s.line} ${s.message}`)).toEqual([
      "nest/notes.controller.ts:38 source: Query('q') q",
      'nest/notes.controller.ts:39 this.reports.search(…)',
      'nest/reports.service.ts:8 term: string',
      'nest/reports.service.ts:10 sink: this.db.query(…)',
    ]);
    // Every step of the Python flow is in search(), the handler whose parameter it is.
    const py = findings.find((f) => f.location.path === 'py/app.py')!;
    expect(py.codeFlow!.every((s) => s.line >= 10 && s.line <= 12)).toBe(true);
  });
});

describe('SOC2-001 calls only webhook receivers webhooks', () => {
  it('express-payments', async () => {
    const searched = 'Searched: app and router middleware (`use`), route middleware and the handler body.';
    expect(lines(await scan('SOC2-001/express-payments', 'SOC2-001'))).toEqual([
      `src/app.js:10 Route POST /stripe/checkout has no authentication check. ${searched}`,
      `src/app.js:16 Route POST /payments/stripe has no authentication check. ${searched}`,
      `src/app.js:22 Webhook POST /stripe/events neither authenticates the caller nor verifies the sender's signature. ${searched}`,
      `src/app.js:27 Webhook POST /paypal-ipn neither authenticates the caller nor verifies the sender's signature. ${searched}`,
      `src/app.js:39 Route GET /webhooks has no authentication check. ${searched}`,
    ]);
  });

  const rows = WEBHOOK_PATHS.flatMap((t) => [...t.must.map((s) => [t.id, s, true] as const), ...t.mustNot.map((s) => [t.id, s, false] as const)]);
  it.each(rows)('WEBHOOK_PATHS %s: %s → %s', (_id, sample, expected) => {
    const table = WEBHOOK_PATHS.find((t) => t.id === _id)!;
    expect(table.pattern.test(sample)).toBe(expected);
  });
  it.each([...WEBHOOK_MANAGEMENT.must.map((s) => [s, true] as const), ...WEBHOOK_MANAGEMENT.mustNot.map((s) => [s, false] as const)])(
    'WEBHOOK_MANAGEMENT %s → %s',
    (sample, expected) => {
      expect(WEBHOOK_MANAGEMENT.pattern.test(sample)).toBe(expected);
    },
  );
  it.each([
    ['/Stripe/Checkout', null],
    ['/api/stripe', null],
    ['/checkout', null],
    ['/settings/webhooks', null],
    ['/API/Webhooks/Stripe', 'webhook'],
    ['/stripe/events', 'provider-event'],
  ])('webhookKind(%s) → %s', (path, kind) => expect(webhookKind(path)).toBe(kind));
});

describe('SOC2-003 and SOC2-006 call a password change a password change', () => {
  it('password-change (SOC2-003)', async () => {
    const unlogged = 'is not logged: no logging or audit call on the request chain';
    expect(lines(await scan('SOC2-003/password-change', 'SOC2-003'))).toEqual([
      `accounts/views.py:9 login (credential check) via authenticate ${unlogged} LoginView.post [view-method] records who did it and the outcome.`,
      `accounts/views.py:24 password change via request.user.set_password ${unlogged} ChangePasswordView.post [view-method] records who did it and the outcome.`,
      `accounts/views.py:31 password change via request.user.check_password (current password check) ${unlogged} * /password/verify/ (verify_current_password) records who did it and the outcome.`,
      `web/app.js:10 password change via bcrypt.compare (current password check) ${unlogged} POST /account/password records who did it and the outcome.`,
      `web/app.js:20 password change via bcrypt.compare (current password check) ${unlogged} PUT /me/password (changePassword) records who did it and the outcome.`,
      `web/app.js:30 login (credential check) via bcrypt.compare ${unlogged} POST /login records who did it and the outcome.`,
    ]);
  });

  it('express-password-change (SOC2-006)', async () => {
    const searched = 'Searched: app and router middleware (`use`), route middleware and the handler body.';
    expect(lines(await scan('SOC2-006/express-password-change', 'SOC2-006')).filter((l) => !l.includes('no rate limiting anywhere'))).toEqual([
      `app.js:8 POST /api/session is a sign-in endpoint (password guessing) with no rate limiter. ${searched}`,
      `app.js:12 PUT /api/session/password is a password change endpoint (current-password guessing) with no rate limiter. ${searched}`,
    ]);
  });

  it.each([...CURRENT_PASSWORD_SAMPLES.must.map((s) => [s, true] as const), ...CURRENT_PASSWORD_SAMPLES.mustNot.map((s) => [s, false] as const)])(
    'CURRENT_PASSWORD %s → %s',
    (sample, expected) => {
      expect(CURRENT_PASSWORD.test(sample)).toBe(expected);
    },
  );
  it.each([...PASSWORD_CHANGE_PATH.must.map((s) => [s, true] as const), ...PASSWORD_CHANGE_PATH.mustNot.map((s) => [s, false] as const)])(
    'PASSWORD_CHANGE_PATH %s → %s',
    (sample, expected) => {
      expect(PASSWORD_CHANGE_PATH.pattern.test(sample)).toBe(expected);
    },
  );
  it.each([
    ['/api/session/password', ['PUT'], 'password-change'],
    ['/auth/verify/password', ['POST'], 'password-change'],
    ['/api/session', ['POST'], 'login'],
    ['/2fa/verify', ['POST'], 'otp'],
    ['/forgot-password', ['POST'], 'password-reset'],
  ])('authSensitiveKind(%s) → %s', (path, methods, kind) => expect(authSensitiveKind(path, methods)).toBe(kind));
});
