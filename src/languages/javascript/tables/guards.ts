import type { GuardKind } from '../../../model/endpoints.js';

/**
 * What guards a JS/TS route, as data. Three kinds of evidence, strongest first: the package a middleware comes
 * from, what a locally defined middleware does (read by src/frameworks/javascript/summary.ts), and its name.
 * Every table carries samples that must and must not match (test/frameworks/javascript/guards-js.test.ts).
 */

export interface GuardPackage {
  /** Module as imported. */
  module: string;
  kind: GuardKind;
  /** Only these exports or members (`passport.authenticate`); every binding of the module when absent. */
  names?: string[];
}

export const GUARD_PACKAGES: readonly GuardPackage[] = [
  { module: 'passport', kind: 'authentication', names: ['authenticate'] },
  { module: 'koa-passport', kind: 'authentication', names: ['authenticate'] },
  { module: '@fastify/passport', kind: 'authentication', names: ['authenticate'] },
  { module: 'express-jwt', kind: 'authentication' },
  { module: 'koa-jwt', kind: 'authentication' },
  { module: 'express-oauth2-jwt-bearer', kind: 'authentication', names: ['auth'] },
  { module: 'express-openid-connect', kind: 'authentication', names: ['requiresAuth', 'auth'] },
  { module: 'express-basic-auth', kind: 'authentication' },
  { module: 'koa-basic-auth', kind: 'authentication' },
  { module: 'http-auth', kind: 'authentication' },
  { module: '@clerk/express', kind: 'authentication', names: ['requireAuth'] },
  { module: '@clerk/clerk-sdk-node', kind: 'authentication', names: ['ClerkExpressRequireAuth', 'ClerkExpressWithAuth'] },
  { module: 'keycloak-connect', kind: 'authentication', names: ['protect'] },
  { module: '@fastify/auth', kind: 'authentication' },
  { module: '@fastify/basic-auth', kind: 'authentication' },
  { module: '@fastify/bearer-auth', kind: 'authentication' },
  { module: '@nestjs/passport', kind: 'authentication', names: ['AuthGuard'] },
  { module: 'next-auth', kind: 'authentication', names: ['getServerSession', 'auth', 'getSession'] },
  { module: 'next-auth/next', kind: 'authentication', names: ['getServerSession'] },
  { module: 'next-auth/jwt', kind: 'authentication', names: ['getToken'] },
  { module: 'next-auth/react', kind: 'authentication', names: ['getSession'] },
  { module: 'next-auth/middleware', kind: 'authentication', names: ['default', 'withAuth'] },
  { module: '@clerk/nextjs', kind: 'authentication', names: ['auth', 'currentUser', 'authMiddleware'] },
  { module: '@clerk/nextjs/server', kind: 'authentication', names: ['auth', 'currentUser', 'authMiddleware'] },
  { module: 'express-jwt-permissions', kind: 'authorization' },
  { module: 'casbin', kind: 'authorization' },
  { module: '@casl/ability', kind: 'authorization' },
  { module: 'accesscontrol', kind: 'authorization' },
  { module: 'express-rate-limit', kind: 'rate-limit' },
  { module: 'express-slow-down', kind: 'rate-limit' },
  { module: 'rate-limiter-flexible', kind: 'rate-limit' },
  { module: 'express-brute', kind: 'rate-limit' },
  { module: 'express-limiter', kind: 'rate-limit' },
  { module: 'koa-ratelimit', kind: 'rate-limit' },
  { module: 'koa2-ratelimit', kind: 'rate-limit' },
  { module: '@fastify/rate-limit', kind: 'rate-limit' },
  { module: 'fastify-rate-limit', kind: 'rate-limit' },
  { module: '@nestjs/throttler', kind: 'rate-limit' },
  { module: '@upstash/ratelimit', kind: 'rate-limit' },
  { module: 'celebrate', kind: 'validation', names: ['celebrate'] },
  { module: 'express-validator', kind: 'validation' },
  { module: 'express-joi-validation', kind: 'validation' },
  { module: 'zod-express-middleware', kind: 'validation' },
];

/** The guard kind a binding imported from `module` carries (`member` for `passport.authenticate`). */
export function guardKindOfImport(module: string, imported: string, member?: string): GuardKind | null {
  for (const p of GUARD_PACKAGES) {
    if (p.module !== module) continue;
    if (!p.names) return p.kind;
    const name = imported === '*' || imported === 'default' ? (member ?? imported) : imported;
    if (p.names.includes(name)) return p.kind;
  }
  return null;
}

export interface GuardName {
  kind: GuardKind;
  /** Tested against a middleware's last name segment (`auth.requireRole` → `requireRole`). */
  pattern: RegExp;
  must: string[];
  mustNot: string[];
}

/** Names that say what a middleware does, tried in order (first match wins: `validateToken` is authentication). */
export const GUARD_NAMES: readonly GuardName[] = [
  {
    kind: 'authorization',
    pattern:
      /^(?:(?:require|ensure|check|verify|has|is|must|only|allow|restrict)_?(?:any_?)?(?:roles?|permissions?|perms?|admin\w*|super_?user|staff|owner\w*|scopes?|privileges?|access|grants?|policy|policies|ability)|authorize(?:d?_?roles?|_?admin)?|authorise|permit|permits|restrict_?to|roles?_?(?:guard|required|check|middleware)|permissions?_?(?:guard|required|check|middleware)|admin_?(?:only|required|guard|middleware|check)|deny_?all|access_?control|acl|rbac|abac|casl\w*|polic(?:y|ies)_?(?:guard|check|middleware)|can_?access|roles?)$/i,
    must: [
      'requireRole',
      'hasRole',
      'checkRole',
      'isAdmin',
      'requireAdmin',
      'adminOnly',
      'denyAll',
      'authorize',
      'authorizeRoles',
      'permit',
      'restrictTo',
      'checkPermissions',
      'hasPermission',
      'requireScope',
      'isOwner',
      'rbac',
      'acl',
      'RolesGuard',
      'Roles',
    ],
    mustNot: ['getRoles', 'adminController', 'createRole', 'canonical', 'isAuthorized', 'roleService', 'accessToken'],
  },
  {
    kind: 'authentication',
    pattern:
      /^(?:(?:require|ensure|check|verify|validate|is|must|needs?|with)_?(?:auth\w*|logged_?in|login|signed_?in|session|jwt|token|access_?token|bearer|user|api_?key|authenticated|authentication)|auth|authn|authed|authenticated?|authenticate_?\w+|auth_?(?:middleware|guard|required|check|handler|user|jwt|token|n|pre_?handler|hook|verify)|(?:jwt|token|session|bearer|api_?key|passport|user)_?(?:auth\w*|middleware|guard|required|check|verify|verification)|protect(?:ed)?(?:_?route)?|login_?required|logged_?in|requires?_?auth\w*|is_?authorized)$/i,
    must: [
      'authPreHandler',
      'requireAuth',
      'ensureAuthenticated',
      'isAuthenticated',
      'isLoggedIn',
      'verifyToken',
      'verifyJWT',
      'checkJwt',
      'authenticate',
      'authenticateToken',
      'authMiddleware',
      'auth',
      'jwtAuth',
      'protect',
      'requiresAuth',
      'loginRequired',
      'isAuthorized',
      'validateToken',
      'AuthGuard',
      'JwtAuthGuard',
    ],
    mustNot: [
      'login',
      'logout',
      'authController',
      'getUser',
      'user',
      'session',
      'token',
      'register',
      'authRouter',
      'validateBody',
      'authService',
      'authRoutes',
    ],
  },
  {
    kind: 'rate-limit',
    pattern: /^(?:\w*_?rate_?limit\w*|(?:\w+_?)?limiter|slow_?down|speed_?limiter|throttle\w*|\w*_?throttler\w*|brute\w*)$/i,
    must: [
      'rateLimit',
      'limiter',
      'loginLimiter',
      'apiLimiter',
      'rateLimiter',
      'slowDown',
      'throttle',
      'ThrottlerGuard',
      'Throttle',
      'authRateLimiter',
      'bruteforce',
    ],
    mustNot: ['limit', 'paginate', 'limits', 'bodyLimit'],
  },
  {
    kind: 'validation',
    pattern:
      /^(?:validate\w*|\w*_?validat(?:or|ion)\w*|celebrate|z_?validator|sanitize\w*|check_?(?:schema|body|params|query)|\w*ValidationPipe|ParseIntPipe|ParseUUIDPipe)$/i,
    must: ['validate', 'validateBody', 'validateRequest', 'userValidator', 'bodyValidation', 'celebrate', 'zValidator', 'ValidationPipe', 'checkSchema'],
    mustNot: ['valid', 'isValid', 'handler', 'createUser'],
  },
  {
    kind: 'audit',
    pattern: /^(?:\w*_?audit\w*|activity_?log\w*|log_?activity)$/i,
    must: ['audit', 'auditLog', 'auditTrail', 'withAudit', 'activityLogger', 'AuditInterceptor'],
    mustNot: ['logger', 'morgan', 'log', 'requestLogger'],
  },
];

/** The kind a guard's name says (`requireAuth` → authentication), or null. */
export function guardKindOfName(name: string): GuardKind | null {
  const last = name.replace(/\(.*$/s, '').split('.').pop() ?? name;
  for (const g of GUARD_NAMES) if (g.pattern.test(last)) return g.kind;
  return null;
}

/**
 * NestJS guard classes by name. Any other class in `@UseGuards` gates access and is taken as authentication
 * (a `CanActivate` that is not one of these is nearly always an auth check).
 */
export const NEST_GUARD_CLASSES: ReadonlyArray<{ kind: GuardKind; pattern: RegExp; must: string[]; mustNot: string[] }> = [
  { kind: 'rate-limit', pattern: /Throttl|RateLimit/i, must: ['ThrottlerGuard', 'CustomThrottlerGuard', 'RateLimitGuard'], mustNot: ['JwtAuthGuard'] },
  {
    kind: 'authorization',
    // `accessControl({ roles })`: the ComplianceAgent SDK's guard (401 without a user, 403 without a role).
    pattern:
      /Roles?Guard|Permissions?Guard|Polic(y|ies)Guard|Casl\w*Guard|Acl\w*Guard|Admin\w*Guard|Owner\w*Guard|Scopes?Guard|Ability\w*Guard|Rbac\w*Guard|^accessControl$|AccessControl\w*Guard/,
    must: ['RolesGuard', 'PermissionsGuard', 'PoliciesGuard', 'AdminGuard', 'OwnershipGuard', 'CaslAbilityGuard', 'accessControl', 'AccessControlGuard'],
    mustNot: ['JwtAuthGuard', 'AuthGuard', 'ThrottlerGuard'],
  },
];

export function nestGuardKind(className: string): GuardKind {
  for (const g of NEST_GUARD_CLASSES) if (g.pattern.test(className)) return g.kind;
  return 'authentication';
}

/** NestJS decorators that carry a guard kind or an opt-out (by name, on a class or a handler). */
export const NEST_DECORATORS: ReadonlyArray<{ name: RegExp; kind?: GuardKind; optOut?: boolean; must: string[]; mustNot: string[] }> = [
  {
    name: /^(Public|IsPublic|SkipAuth|AllowAnonymous|Anonymous|NoAuth|PublicRoute|Unprotected|AllowUnauthorizedRequest)$/,
    optOut: true,
    must: ['Public', 'SkipAuth', 'AllowAnonymous'],
    mustNot: ['Roles'],
  },
  { name: /^SkipThrottle$/, optOut: true, must: ['SkipThrottle'], mustNot: ['Throttle'] },
  {
    name: /^(Roles|HasRoles|RequireRoles?|Permissions|RequirePermissions?|HasPermissions?|CheckPolicies|CheckAbilit(y|ies)|Scopes|AdminOnly|RoleGuard|Resource)$/,
    kind: 'authorization',
    must: ['Roles', 'RequirePermissions', 'CheckPolicies'],
    mustNot: ['Public', 'Get'],
  },
  {
    name: /^(Auth|Authenticated|Authorized|RequireAuth|Protected|UseAuth|JwtAuth|ApiAuth)$/,
    kind: 'authentication',
    must: ['Auth', 'Authenticated'],
    mustNot: ['ApiBearerAuth', 'ApiCookieAuth'],
  },
  { name: /^Throttle$/, kind: 'rate-limit', must: ['Throttle'], mustNot: ['SkipThrottle'] },
  // `@auditLog({ action })`: the ComplianceAgent SDK's method decorator.
  { name: /^(?:Audit\w*|auditLog)$/, kind: 'audit', must: ['AuditLog', 'Audit', 'auditLog'], mustNot: ['Auth', 'audit'] },
];

/**
 * Calls in a handler or middleware body that check identity by themselves (they throw or answer 401 when the
 * token is bad), by last name segment or full dotted callee.
 */
export const SELF_CHECKING_AUTH_CALLS: ReadonlyArray<{ pattern: RegExp; must: string[]; mustNot: string[] }> = [
  {
    pattern:
      /^(?:jwt\.verify|jsonwebtoken\.verify|jose\.jwtVerify|passport\.authenticate|\w+\.authenticate)$|(?:^|\.)(?:jwtVerify|verifyIdToken|verifyAccessToken)$|^(?:\w+\.)?auth(?:\(\))?\.protect$/,
    must: ['jwt.verify', 'request.jwtVerify', 'admin.auth().verifyIdToken', 'auth.protect', 'jose.jwtVerify'],
    mustNot: ['jwt.sign', 'jwt.decode', 'verify'],
  },
];

/** Calls whose result is the current user or session (next-auth, Clerk, Supabase, iron-session …). */
export const IDENTITY_CALLS =
  /^(?:getServerSession|getSession|auth|getToken|currentUser|getAuth|getUser|getCurrentUser|getIronSession|validateRequest|getUserFromToken|getSessionUser|requireUser|requireSession)$/;

/** Calls that decide authorisation by themselves (`ability.can`, `enforcer.enforce`, `ForbiddenError.from(a).throwUnlessCan`). */
export const AUTHZ_CALLS =
  /^(?:can|cannot|enforce|throwUnlessCan|hasRole|hasAnyRole|hasPermission|hasPermissions|checkPermission|checkPermissions|isAllowed|checkAccess|authorize|authorise|assertCan|requireRole|requirePermission|isAdmin|isSuperAdmin|isOwner)$/;

/** Properties that hold a role or privilege (`req.user.role`, `user.isAdmin`). */
export const ROLE_PROPERTIES =
  /^(?:role|roles|isAdmin|is_admin|admin|permissions?|scopes?|scope|is_staff|isStaff|is_superuser|isSuperuser|isSuperAdmin|privileges?|accessLevel|access_level|userType|user_type|groups?)$/;

/** Record owner properties compared with the current user (`post.authorId === user.id`). */
export const OWNER_PROPERTIES =
  /^(?:user|userId|user_id|owner|ownerId|owner_id|author|authorId|author_id|createdBy|created_by|creator|creatorId|accountId|account_id|customer|customerId|UserId|tenantId|tenant_id|orgId|organizationId)$/;

/** Data-access calls by the last name of the callee. */
export const DATA_ACCESS_CALLS: ReadonlyArray<{ op: 'read' | 'update' | 'delete'; pattern: RegExp; must: string[]; mustNot: string[] }> = [
  {
    op: 'delete',
    pattern:
      /^(?:findByIdAndDelete|findByIdAndRemove|findOneAndDelete|findOneAndRemove|deleteOne|deleteMany|deleteById|deleteOneById|destroy|remove|removeById|delete|del|softDelete|softRemove)$/,
    must: ['findByIdAndDelete', 'destroy', 'deleteOne', 'delete', 'remove'],
    mustNot: ['deleted', 'removeListener'],
  },
  {
    op: 'update',
    pattern: /^(?:findByIdAndUpdate|findOneAndUpdate|updateOne|updateMany|update|updateById|upsert|save|patch|replaceOne|increment|decrement)$/,
    must: ['findByIdAndUpdate', 'updateOne', 'update', 'upsert'],
    mustNot: ['updated', 'updatedAt'],
  },
  {
    op: 'read',
    pattern:
      /^(?:findById|findByPk|findOne|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findOneBy|findOneByOrFail|findOneOrFail|getById|findOneById|get|fetch|retrieve|load|one|oneOrNone|first|query|execute|find|findAll|findMany|where|count)$/,
    must: ['findById', 'findByPk', 'findOne', 'findUnique', 'findFirst'],
    mustNot: ['findIndex', 'filter'],
  },
];

/** Service methods named by their verb (`this.articleService.deleteComment(slug, id)`). */
const SERVICE_VERBS: ReadonlyArray<{ op: 'read' | 'update' | 'delete'; pattern: RegExp }> = [
  { op: 'delete', pattern: /^(?:delete|remove|destroy)[A-Z]\w*$/ },
  { op: 'update', pattern: /^(?:update|edit|patch)[A-Z]\w*$/ },
  // A DAO or service lookup named by its key (`getByUserIdAndThreshold(userId)`, `findNotesByOwner(id)`).
  { op: 'read', pattern: /^(?:get|find|fetch|load|list)(?:[A-Z]\w*)?By[A-Z]\w*$/ },
];

export function dataAccessOp(callee: string): 'read' | 'update' | 'delete' | null {
  const last = callee.split('.').pop() ?? callee;
  for (const d of DATA_ACCESS_CALLS) if (d.pattern.test(last)) return d.op;
  for (const v of SERVICE_VERBS) if (v.pattern.test(last)) return v.op;
  return null;
}
