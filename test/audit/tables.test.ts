import { describe, expect, it } from 'vitest';
import {
  COOKIE_CLEAR_CALL,
  COOKIE_SET_CALL,
  EVENT_CALLS,
  EVENT_FUNCTION_NAMES,
  KEY_MODEL,
  LOGIN_FUNCTION,
  LOGIN_FUNCTION_SAMPLES,
  MODEL_SAMPLES,
  ROLE_MODEL,
  SESSION_COOKIE,
  SESSION_END_CALL,
  SESSION_END_SAMPLES,
  SESSION_POP_CALL,
  SESSION_USER_KEY,
  SESSION_USER_KEY_SAMPLES,
  USER_MODEL,
} from '../../src/model/audit-events.js';
import { LOGGING_TABLES } from '../../src/model/audit-logging.js';
import { sessionCallRole } from '../../src/model/audit-record.js';
import { LOG_HELPER_NAME, LOG_HELPER_NAME_SAMPLES } from '../../src/flow/audit-graph.js';
import { JS_WRITES, MODEL_NAME_SAMPLES, PY_WRITES, SQL_WRITE_SAMPLES, isAuditModel, isNonBusinessModel, parseSqlWrite } from '../../src/model/audit-writes.js';

/** Every audit table proves itself with samples that must and must not match; a failure names the sample. */
const regexTables = [
  ...LOGGING_TABLES.map((t) => ({ id: t.id, test: (s: string) => t.pattern.test(s), must: t.must, mustNot: t.mustNot })),
  ...EVENT_CALLS.map((t) => ({ id: `event ${t.id}`, test: (s: string) => t.pattern.test(s), must: t.must, mustNot: t.mustNot })),
  ...EVENT_FUNCTION_NAMES.map((t) => ({ id: `function name ${t.kind}`, test: (s: string) => t.pattern.test(s), must: t.must, mustNot: t.mustNot })),
  { id: 'login function', test: (s: string) => LOGIN_FUNCTION.test(s), ...LOGIN_FUNCTION_SAMPLES },
  { id: 'user model', test: (s: string) => USER_MODEL.test(s), ...MODEL_SAMPLES.user },
  { id: 'role model', test: (s: string) => ROLE_MODEL.test(s), ...MODEL_SAMPLES.role },
  { id: 'key model', test: (s: string) => KEY_MODEL.test(s), ...MODEL_SAMPLES.key },
  { id: 'session user key', test: (s: string) => SESSION_USER_KEY.test(s), ...SESSION_USER_KEY_SAMPLES },
  { id: 'session end call', test: (s: string) => SESSION_END_CALL.test(s), ...SESSION_END_SAMPLES },
  {
    id: 'session or token cookie',
    test: (s: string) => SESSION_COOKIE.test(s),
    must: ['token', 'sessionid', 'connect.sid', 'access_token', 'jwt', 'session_id', 'auth'],
    mustNot: ['theme', 'remember_theme', 'lang', 'cart', 'consent'],
  },
  ...[...JS_WRITES, ...PY_WRITES].map((t) => ({
    id: `${t.language} write ${t.id}`,
    test: (s: string) => t.classify(s.split('.')) !== null,
    must: t.must,
    mustNot: t.mustNot,
  })),
  { id: 'sql write', test: (s: string) => parseSqlWrite(s) !== null, ...SQL_WRITE_SAMPLES },
  { id: 'non-business model', test: isNonBusinessModel, ...MODEL_NAME_SAMPLES.nonBusiness },
  { id: 'audit model', test: isAuditModel, ...MODEL_NAME_SAMPLES.audit },
  { id: 'log helper name', test: (s: string) => LOG_HELPER_NAME.test(s), ...LOG_HELPER_NAME_SAMPLES },
];

const cases = regexTables.flatMap((t) => [
  ...t.must.map((sample) => [t.id, 'matches', sample, true, t.test] as const),
  ...t.mustNot.map((sample) => [t.id, 'does not match', sample, false, t.test] as const),
]);

describe('audit tables', () => {
  it.each(cases)('%s %s %s', (_id, _verb, sample, expected, test) => {
    expect(test(sample)).toBe(expected);
  });
});

describe('write classification', () => {
  it.each([
    ['javascript', 'prisma.user.delete', { orm: 'prisma', model: 'user', op: 'delete' }],
    ['javascript', 'this.articleRepository.save', { orm: 'typeorm', model: 'article', op: 'save' }],
    ['javascript', 'Order.findByIdAndUpdate', { orm: 'mongoose', model: 'Order', op: 'update' }],
    ['python', 'Article.objects.filter().update', { orm: 'django', model: 'Article', op: 'update' }],
    ['python', 'db.session.merge', { orm: 'sqlalchemy', op: 'upsert' }],
  ] as const)('%s %s', (language, callee, expected) => {
    const table = language === 'javascript' ? JS_WRITES : PY_WRITES;
    expect(table.map((t) => t.classify(callee.split('.'))).find(Boolean)).toEqual(expected);
  });

  it('reads the table and operation of raw SQL', () => {
    expect(parseSqlWrite('DELETE FROM "public"."orders" WHERE id = $1')).toEqual({ orm: 'sql', model: 'orders', op: 'delete' });
  });
});

describe('sessionCallRole', () => {
  it('names the one session pattern a callee is, and none for other calls', () => {
    const cases: Array<[string, ReturnType<typeof sessionCallRole>]> = [
      ...SESSION_END_SAMPLES.must.map((c): [string, 'end'] => [c, 'end']),
      ['session.pop', 'pop'],
      ['request.session.remove', 'pop'],
      ['res.clearCookie', 'cookie-clear'],
      ['response.delete_cookie', 'cookie-clear'],
      ['res.cookie', 'cookie-set'],
      ['response.set_cookie', 'cookie-set'],
      ['ctx.cookies.set', 'cookie-set'],
      ['logger.info', undefined],
      ['session.commit', undefined],
      ['db.session.add', undefined],
      ['os.path.join', undefined],
    ];
    for (const [callee, role] of cases) expect(sessionCallRole(callee), callee).toBe(role);
    // The patterns exclude each other, so one role per callee loses nothing.
    const patterns = [SESSION_END_CALL, SESSION_POP_CALL, COOKIE_CLEAR_CALL, COOKIE_SET_CALL];
    for (const [callee] of cases) expect(patterns.filter((p) => p.test(callee)).length, callee).toBeLessThanOrEqual(1);
  });
});
