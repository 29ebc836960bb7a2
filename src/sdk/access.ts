/**
 * `accessControl({ roles })`: a role check usable as Express middleware, a Fastify preHandler hook, Koa
 * middleware and a NestJS guard (`canActivate`). It answers 401 when no user is attached to the request, 403
 * when the user has none of the roles, and records every decision (outcome `allowed` or `denied`) as an audit
 * event. Downstream code runs inside an audit context carrying the actor and the request id.
 */
import { randomUUID } from 'node:crypto';
import { recordEvent } from './audit.js';
import { withAuditContext } from './context.js';
import type { AuditSink } from './sinks.js';

/** The user as the application's authentication attached it (req.user, request.user, ctx.state.user). */
export interface SdkUser {
  id?: string | number;
  sub?: string;
  username?: string;
  email?: string;
  role?: string;
  roles?: readonly string[];
}

export interface AccessControlOptions {
  /** The request is allowed when the user has at least one of these roles. */
  roles: readonly string[];
  /** Reads the user from the framework's request object (default: `user` on it, or Koa's `ctx.state.user`). */
  getUser?: (request: unknown) => SdkUser | undefined | null;
  /** The user's roles (default: `user.roles`, else `[user.role]`). */
  getRoles?: (user: SdkUser) => readonly string[];
  /** The action name of the recorded decision (default `access_control`). */
  action?: string;
  /** Record allowed decisions too (default true; denials are always recorded). */
  recordAllowed?: boolean;
  sink?: AuditSink;
}

export interface AccessDecision {
  allowed: boolean;
  status: 200 | 401 | 403;
  actor: string | null;
  reason?: string;
}

type Dict = Record<string, unknown>;

const isObject = (v: unknown): v is Dict => v !== null && typeof v === 'object';

function actorOf(user: SdkUser): string | null {
  const id = user.id ?? user.sub ?? user.username ?? user.email;
  return id === undefined ? null : String(id);
}

function defaultRoles(user: SdkUser): readonly string[] {
  if (Array.isArray(user.roles)) return user.roles;
  return typeof user.role === 'string' ? [user.role] : [];
}

function headerOf(request: Dict, name: string): string | undefined {
  const headers = request.headers;
  const value = isObject(headers) ? headers[name] : undefined;
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

export interface AccessGuard {
  /** Express `(req, res, next)`, Koa `(ctx, next)` or Fastify `(request, reply)`: the framework is recognised from the arguments. */
  (...args: unknown[]): unknown;
  /** NestJS guard: `@UseGuards(accessControl({ roles: ['admin'] }))`; denial throws an error with `status` 401/403. */
  canActivate(context: { switchToHttp(): { getRequest(): unknown } }): boolean;
  /** The decision alone, for any other framework. */
  decide(request: unknown): AccessDecision;
}

/** An error carrying the HTTP status (NestJS maps `getStatus()`; other callers read `status`). */
export class AccessDeniedError extends Error {
  override name = 'AccessDeniedError';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
  getStatus(): number {
    return this.status;
  }
  getResponse(): { statusCode: number; message: string } {
    return { statusCode: this.status, message: this.message };
  }
}

export function accessControl(options: AccessControlOptions): AccessGuard {
  if (!options || !Array.isArray(options.roles) || options.roles.length === 0) throw new TypeError('accessControl needs at least one role');
  const required = [...options.roles];
  const getRoles = options.getRoles ?? defaultRoles;
  const getUser = options.getUser ?? ((request: unknown) => (isObject(request) && isObject(request.user) ? (request.user as SdkUser) : undefined));

  const decideFor = (request: unknown, resource: string, requestId: string): AccessDecision => {
    const user = getUser(request) ?? undefined;
    let decision: AccessDecision;
    if (!user) decision = { allowed: false, status: 401, actor: null, reason: 'not authenticated' };
    else {
      const has = getRoles(user);
      const allowed = required.some((role) => has.includes(role));
      decision = allowed
        ? { allowed, status: 200, actor: actorOf(user) }
        : { allowed, status: 403, actor: actorOf(user), reason: `none of the roles ${required.join(', ')}` };
    }
    if (!decision.allowed || options.recordAllowed !== false) {
      recordEvent(
        {
          action: options.action ?? 'access_control',
          actor: decision.actor ?? undefined,
          resource,
          outcome: decision.allowed ? 'allowed' : 'denied',
          requestId,
          roles: required,
          reason: decision.reason,
        },
        options.sink,
      );
    }
    return decision;
  };

  const describe = (request: Dict): { resource: string; requestId: string } => {
    const method = typeof request.method === 'string' ? request.method : '';
    const url = typeof request.originalUrl === 'string' ? request.originalUrl : typeof request.url === 'string' ? request.url : '';
    const path = url.split('?')[0] ?? '';
    return { resource: `${method} ${path}`.trim(), requestId: headerOf(request, 'x-request-id') ?? randomUUID() };
  };

  const body = (decision: AccessDecision) => JSON.stringify({ error: decision.status === 401 ? 'unauthorized' : 'forbidden' });

  const guard = ((...args: unknown[]): unknown => {
    const [first, second, third] = args;
    // Koa: (ctx, next), ctx has request/response and state.
    if (isObject(first) && isObject(first.request) && isObject(first.response) && typeof second === 'function') {
      const ctx = first as Dict & { status?: number; body?: unknown; state?: Dict };
      const request = { ...(ctx.request as Dict), user: isObject(ctx.state) ? ctx.state.user : undefined };
      const { resource, requestId } = describe(ctx.request as Dict);
      const decision = decideFor(options.getUser ? ctx : request, resource, requestId);
      if (!decision.allowed) {
        ctx.status = decision.status;
        ctx.body = JSON.parse(body(decision));
        return Promise.resolve();
      }
      return withAuditContext({ actor: decision.actor ?? undefined, requestId }, () => (second as () => unknown)());
    }
    // Fastify: (request, reply[, done]), reply has code() and send().
    if (isObject(first) && isObject(second) && typeof second.code === 'function' && typeof second.send === 'function' && 'raw' in second) {
      const { resource, requestId } = describe(first);
      const decision = decideFor(first, resource, requestId);
      const reply = second as { code(n: number): { header(k: string, v: string): { send(b: string): unknown } } };
      if (!decision.allowed) return Promise.resolve(reply.code(decision.status).header('content-type', 'application/json').send(body(decision)));
      // The async local context does not reach Fastify's handler from a hook: the handler reads request.user itself.
      return Promise.resolve();
    }
    // Express / Connect: (req, res, next).
    if (isObject(first) && isObject(second) && typeof third === 'function') {
      const { resource, requestId } = describe(first);
      const decision = decideFor(first, resource, requestId);
      if (!decision.allowed) {
        const res = second as { statusCode: number; setHeader(k: string, v: string): void; end(b: string): void };
        res.statusCode = decision.status;
        res.setHeader('content-type', 'application/json');
        res.end(body(decision));
        return undefined;
      }
      return withAuditContext({ actor: decision.actor ?? undefined, requestId }, () => (third as () => unknown)());
    }
    throw new TypeError('accessControl: called with arguments of no known framework (Express, Fastify, Koa); use .decide(request) or .canActivate(context)');
  }) as AccessGuard;

  guard.decide = (request: unknown) => {
    const { resource, requestId } = isObject(request) ? describe(request) : { resource: '', requestId: randomUUID() };
    return decideFor(request, resource, requestId);
  };
  guard.canActivate = (context) => {
    const request = context.switchToHttp().getRequest();
    const decision = guard.decide(request);
    if (!decision.allowed) throw new AccessDeniedError(decision.status as 401 | 403, decision.status === 401 ? 'Unauthorized' : 'Forbidden');
    return true;
  };
  return guard;
}
