import {
  firstOfDeclaration,
  OWNED_RESOURCE,
  SCOPES_SEARCHED,
  defineRule,
  hasGuard,
  looksLikeTestPath,
  privilegedKind,
  routeLabel,
  type Endpoint,
  type Match,
  type RuleContext,
} from '../src/rule-api.js';

type MessageId = 'privileged' | 'idor' | 'clientAuthz';

const WHY: Record<string, string> = {
  admin: 'an admin path',
  roles: 'role or permission management',
  'user-management': "a change to another user's account",
};

/** A request value that names a user or owner (`userId`, `owner_id`, `:userid`): whose records to return. */
const USER_ID = /^(?:user|owner|account|customer|member|employee|patient)_?id$/i;

/** `/users/<user_id>/solves`, `/profiles/:userId`: a user's page, public to other users in most apps (CTFd's solves and awards). */
const PROFILE_PAGE = /(?:^|\/)(?:users?|profiles?|members?|people|authors?)\/[:<{]/i;

const VERB = { read: 'loads', update: 'updates', delete: 'deletes' } as const;

function authenticatedOnly(e: Endpoint): boolean {
  return hasGuard(e, 'authentication') && !hasGuard(e, 'authorization');
}

function* check({ endpoints }: RuleContext): Generator<Match<MessageId>> {
  const first = firstOfDeclaration();
  for (const e of endpoints) {
    // Routes declared or handled in test files are harnesses, not the product.
    if (looksLikeTestPath(e.file) || (e.handler && looksLikeTestPath(e.handler.file))) continue;
    if (!first(e)) continue;
    const facts = e.handlerFacts;
    // Access decided by a cookie, header or query value the client sets: reported at the check, in the handler.
    if (facts?.clientAuthz && e.handler && !hasGuard(e, 'authorization')) {
      const line = facts.clientAuthz.line;
      yield {
        messageId: 'clientAuthz',
        path: facts.clientAuthz.path ?? e.handler.file,
        range: { start: { line, column: 1 }, end: { line, column: 1 } },
        anchor: routeLabel(e),
        confidence: 'medium',
        data: { method: e.methods.join(','), path: e.path, what: facts.clientAuthz.what },
        properties: { framework: e.framework, route: e.path, routeFile: e.file, routeLine: e.range.start.line },
      };
      continue;
    }
    if (!authenticatedOnly(e)) continue;
    const base = { path: e.file, range: e.range, anchor: routeLabel(e), confidence: e.unmounted ? ('low' as const) : ('medium' as const) };
    const privileged = privilegedKind(e);
    if (privileged && !(privileged === 'user-management' && facts?.ownership)) {
      yield {
        ...base,
        messageId: 'privileged',
        data: { method: e.methods.join(','), path: e.path, why: WHY[privileged]!, scopes: SCOPES_SEARCHED[e.framework] },
        properties: { framework: e.framework, route: e.path, privilegedKind: privileged },
      };
      continue;
    }
    const access = facts?.recordAccess;
    if (!access || facts.ownership) continue;
    // A read is reported when it is of a user's own records: an owned resource, or records looked up by a user id
    // the client chose (`/allocations/:userId` → `getByUserIdAndThreshold(userId)`); public lookups are not.
    if (access.op === 'read' && !OWNED_RESOURCE.test(e.path) && !OWNED_RESOURCE.test(access.call) && !(USER_ID.test(access.name) && !PROFILE_PAGE.test(e.path)))
      continue;
    yield {
      ...base,
      messageId: 'idor',
      data: {
        method: e.methods.join(','),
        path: e.path,
        verb: VERB[access.op],
        name: access.name,
        source: access.source,
        call: access.call,
        scopes: SCOPES_SEARCHED[e.framework],
      },
      severity: access.op === 'read' ? 'medium' : 'high',
      properties: { framework: e.framework, route: e.path, operation: access.op },
    };
  }
}

export default defineRule<MessageId>({
  id: 'SOC2-008',
  slug: 'missing-access-control',
  title: 'Missing access control checks',
  description:
    "Authentication says who the caller is; authorisation decides what they may do. An admin or user-management endpoint that only checks for a signed-in user lets every user act as an administrator, and a handler that loads or changes a record by an id from the request without checking its owner lets users read or change each other's data (IDOR). SOC 2 CC6.3 expects access to be granted by role and least privilege; CC6.1 expects access to data to be restricted to those authorised.",
  remediation:
    "Add a role or permission check to privileged endpoints (a roles guard, `requireRole('admin')`, a policy or CASL/casbin check), and constrain record lookups by the current user (`where: { id, ownerId: user.id }`) or compare the record's owner with the current user before returning or changing it.",
  severity: 'high',
  confidence: 'medium',
  controls: ['CC6.3', 'CC6.1'],
  cwe: ['CWE-862', 'CWE-639', 'CWE-285'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    privileged: '{{method}} {{path}} is {{why}} and checks authentication but no role or permission. Searched: {{scopes}}.',
    clientAuthz:
      '{{method}} {{path}} decides who may see or do this from `{{what}}`, a value the client sends and can set to anything: keep roles on the server (the session user) and check them there.',
    idor: '{{method}} {{path}} {{verb}} a record by `{{name}}` from the request {{source}} ({{call}}) without checking that it belongs to the current user, and no authorisation guard applies. Searched: {{scopes}}.',
  },
  check,
});
