import { describe, expect, it } from 'vitest';
import {
  DATA_ACCESS_CALLS,
  GUARD_NAMES,
  NEST_DECORATORS,
  NEST_GUARD_CLASSES,
  SELF_CHECKING_AUTH_CALLS,
  dataAccessOp,
  guardKindOfImport,
  guardKindOfName,
  nestGuardKind,
} from '../../../src/languages/javascript/tables/guards.js';
import { PUBLIC_PATHS, publicPathKind, userPublicPaths } from '../../../src/model/public-paths.js';
import { AUTH_SENSITIVE_PATHS, OWNED_RESOURCE, OWNED_RESOURCE_SAMPLES, PRIVILEGED_PATHS } from '../../../src/model/endpoint-guards.js';

/** Every classification table proves itself with its own samples; a failure names the table entry and the sample. */
type Row = [string, string, RegExp];
function samples(
  entries: ReadonlyArray<{ must: string[]; mustNot: string[]; pattern?: RegExp; name?: RegExp }>,
  label: (e: (typeof entries)[number]) => string,
): { must: Row[]; mustNot: Row[] } {
  const must: Row[] = [];
  const mustNot: Row[] = [];
  for (const e of entries) {
    const re = (e.pattern ?? e.name)!;
    for (const s of e.must) must.push([label(e), s, re]);
    for (const s of e.mustNot) mustNot.push([label(e), s, re]);
  }
  return { must, mustNot };
}

describe.each([
  ['GUARD_NAMES', samples(GUARD_NAMES, (e) => e.kind)],
  ['NEST_GUARD_CLASSES', samples(NEST_GUARD_CLASSES, (e) => e.kind)],
  ['NEST_DECORATORS', samples(NEST_DECORATORS, (e) => String(e.kind ?? 'opt-out'))],
  ['SELF_CHECKING_AUTH_CALLS', samples(SELF_CHECKING_AUTH_CALLS, () => 'self-checking')],
  ['DATA_ACCESS_CALLS', samples(DATA_ACCESS_CALLS, (e) => e.op)],
  ['PUBLIC_PATHS', samples(PUBLIC_PATHS, (e) => e.id)],
  ['AUTH_SENSITIVE_PATHS', samples(AUTH_SENSITIVE_PATHS, (e) => e.id)],
  ['PRIVILEGED_PATHS', samples(PRIVILEGED_PATHS, (e) => e.id)],
  ['OWNED_RESOURCE', samples([{ pattern: OWNED_RESOURCE, ...OWNED_RESOURCE_SAMPLES }], () => 'owned')],
])('%s', (_, { must, mustNot }) => {
  it.each(must)('%s matches %s', (_entry, sample, re) => expect(re.test(sample)).toBe(true));
  it.each(mustNot)('%s does not match %s', (_entry, sample, re) => expect(re.test(sample)).toBe(false));
});

describe('first match wins, by kind', () => {
  it.each([
    ['requireAuth', 'authentication'],
    ['validateToken', 'authentication'],
    ['requireRole', 'authorization'],
    ['isAuthorized', 'authentication'],
    ['loginLimiter', 'rate-limit'],
    ['validateBody', 'validation'],
    ['auditLog', 'audit'],
    ['express.json', null],
    ['cors', null],
  ])('%s → %s', (name, kind) => expect(guardKindOfName(name)).toBe(kind));

  it.each([
    ['JwtAuthGuard', 'authentication'],
    ['RolesGuard', 'authorization'],
    ['ThrottlerGuard', 'rate-limit'],
    ['SomeCustomGuard', 'authentication'],
  ])('NestJS guard %s → %s', (name, kind) => expect(nestGuardKind(name)).toBe(kind));

  it.each([
    ['passport', '*', 'authenticate', 'authentication'],
    ['passport', '*', 'initialize', null],
    ['express-rate-limit', 'default', undefined, 'rate-limit'],
    ['express-jwt', 'expressjwt', undefined, 'authentication'],
    ['next-auth', 'getServerSession', undefined, 'authentication'],
    ['lodash', 'default', undefined, null],
  ])('import %s %s.%s → %s', (module, imported, member, kind) => expect(guardKindOfImport(module, imported, member)).toBe(kind));

  it.each([
    ['this.articleService.deleteComment', 'delete'],
    ['Order.findById', 'read'],
    ['prisma.post.update', 'update'],
    ['res.json', null],
  ])('data access %s → %s', (callee, op) => expect(dataAccessOp(callee)).toBe(op));
});

describe('public endpoints', () => {
  it.each([
    ['/', ['GET'], 'root'],
    ['/', ['POST'], null],
    ['/api/users', ['POST'], 'signup'],
    ['/api/users', ['GET'], null],
    ['/api/auth/login', ['POST'], 'login'],
    ['/api/orders/:id', ['GET'], null],
  ])('%s %s → %s', (path, methods, kind) => expect(publicPathKind(path, methods)).toBe(kind));

  it('adds the user’s globs to the defaults', () => {
    const isPublic = userPublicPaths(['/api/public/**', 'share/*']);
    expect(['/api/public/a/b', '/share/x', '/api/private'].map(isPublic)).toEqual([true, true, false]);
  });
});
