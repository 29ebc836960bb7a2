import type { Node } from '@babel/types';
import type { GuardKind } from '../../../model/endpoints.js';
import { memberParts, unwrap } from '../ast.js';
import { sourceOf } from './summary.js';

/**
 * A NestJS guard class classified by what its `canActivate` does, not by its name: it rejects when there is no
 * user, token or session (authentication), when a role, permission or scope check fails (authorisation), or it
 * lets the request through when a value is absent (neither: `ImpersonationGuard` returning true without its
 * header). A class extending `AuthGuard('jwt')` authenticates through Passport. Samples:
 * test/frameworks/javascript/nest-guards.test.ts.
 */
export interface NestGuardClass {
  kinds: GuardKind[];
  /** Why, for the inventory: "canActivate rejects without a user", "returns true when `x` is absent". */
  reason: string;
}

const AUTHN_SIGNAL =
  /\bsuper\.canActivate\(|\.verify(?:Async)?\(|\bverifyIdToken\(|\bjwtVerify\(|\bUnauthorizedException\b|if\s*\(\s*!\s*(?:[\w?]+\.)*(?:user|token|session|authorization|authHeader|apiKey|api_key|accessToken|bearer|jwt)\b/i;
const AUTHZ_WORDS = /\b(?:roles?|permissions?|isAdmin|is_admin|scopes?|polic(?:y|ies)|abilit(?:y|ies)|privileges?|can\()/i;
const REJECTS = /\bForbiddenException\b|\bthrow\b|\breturn\s+false\b|\.(?:some|every|includes)\(/;
/** `if (!impersonationId) return true;`: the guard steps aside when a value is missing. */
const PASS_WHEN_ABSENT = /if\s*\(\s*!\s*([\w.?]+)\s*\)\s*\{?\s*return\s+true\b/;
/** What a roles guard legitimately skips on: no roles required on the route, a public route. */
const METADATA_NAME = /roles?|permissions?|scopes?|polic|abilit|required|metadata|public|skip/i;

/** `class X extends AuthGuard('jwt')` / `extends PassportAuthGuard(...)` / `extends ThrottlerGuard`. */
function superName(cls: Node): string {
  const sup = (cls as { superClass?: Node | null }).superClass;
  if (!sup) return '';
  const n = unwrap(sup);
  const callee = n.type === 'CallExpression' ? unwrap(n.callee as Node) : n;
  return memberParts(callee)?.pop() ?? '';
}

export function classifyGuardClass(cls: Node, text: string): NestGuardClass | null {
  const body = (cls as { body?: { body?: Node[] } }).body?.body ?? [];
  const method = body.find(
    (m) => (m.type === 'ClassMethod' || m.type === 'ClassProperty') && m.key.type === 'Identifier' && (m.key as { name: string }).name === 'canActivate',
  );
  const base = superName(cls);
  const passport = /^(?:AuthGuard|PassportAuthGuard)$/.test(base);
  if (!method) return passport ? { kinds: ['authentication'], reason: `extends ${base}(…): Passport rejects without valid credentials` } : null;
  if (/Throttl/.test(base)) return { kinds: ['rate-limit'], reason: `extends ${base}` };
  const source = sourceOf(method, text);
  const kinds: GuardKind[] = [];
  const reasons: string[] = [];
  if (AUTHN_SIGNAL.test(source) || passport) {
    kinds.push('authentication');
    reasons.push(passport ? `extends ${base}(…)` : 'canActivate rejects without a user or token');
  }
  if (AUTHZ_WORDS.test(source) && REJECTS.test(source)) {
    kinds.push('authorization');
    reasons.push('canActivate checks a role, permission or scope');
  }
  const absent = PASS_WHEN_ABSENT.exec(source);
  if (kinds.length === 0 || (absent && !METADATA_NAME.test(absent[1]!) && !kinds.includes('authentication'))) {
    const why = absent ? `returns true when \`${absent[1]}\` is absent` : 'canActivate neither requires a user nor checks a role';
    return { kinds: [], reason: why };
  }
  return { kinds, reason: reasons.join('; ') };
}

/** Guard classes declared in this file (with or without `@Injectable()`), by class name. */
export function guardClassesOf(classes: Iterable<Node>, text: string): Map<string, NestGuardClass> {
  const out = new Map<string, NestGuardClass>();
  for (const n of classes) {
    const id = (n as { id?: { name: string } | null }).id;
    if (!id) continue;
    const c = classifyGuardClass(n, text);
    if (c) out.set(id.name, c);
  }
  return out;
}
