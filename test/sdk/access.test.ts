import { describe, expect, it } from 'vitest';
import { AccessDeniedError, accessControl, currentAuditContext, memorySink } from '../../src/sdk/index.js';

function expressPair(user?: object) {
  const req = { method: 'GET', originalUrl: '/admin/audit-logs?x=1', headers: { 'x-request-id': 'r-7' }, user };
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: '',
    setHeader(k: string, v: string) {
      this.headers[k] = v;
    },
    end(b: string) {
      this.body = b;
    },
  };
  return { req, res };
}

describe('accessControl', () => {
  it('Express: denies a user without the role with 403 and records the decision; lets an admin through with the actor in context', () => {
    const sink = memorySink();
    const guard = accessControl({ roles: ['admin', 'support'], sink });
    const denied = expressPair({ id: 7, roles: ['viewer'] });
    let nextCalled = false;
    guard(denied.req, denied.res, () => (nextCalled = true));
    expect(nextCalled).toBe(false);
    expect(denied.res.statusCode).toBe(403);
    expect(JSON.parse(denied.res.body)).toEqual({ error: 'forbidden' });

    const anonymous = expressPair();
    guard(anonymous.req, anonymous.res, () => (nextCalled = true));
    expect(anonymous.res.statusCode).toBe(401);

    const allowed = expressPair({ id: 'u1', role: 'support' });
    let actor: string | undefined;
    guard(allowed.req, allowed.res, () => {
      actor = currentAuditContext().actor;
    });
    expect(actor).toBe('u1');
    expect(sink.events.map((e) => [e.outcome, e.actor, e.resource, e.requestId])).toEqual([
      ['denied', '7', 'GET /admin/audit-logs', 'r-7'],
      ['denied', null, 'GET /admin/audit-logs', 'r-7'],
      ['allowed', 'u1', 'GET /admin/audit-logs', 'r-7'],
    ]);
    expect(sink.events[0]).toMatchObject({ action: 'access_control', roles: ['admin', 'support'], reason: 'none of the roles admin, support' });
  });

  it('Koa and Fastify: 403 on denial, the handler runs when allowed', async () => {
    const sink = memorySink();
    const guard = accessControl({ roles: ['admin'], sink });
    const ctx = {
      request: { method: 'DELETE', url: '/users/1', headers: {} },
      response: {},
      state: { user: { id: 1, roles: ['user'] } },
      status: 404,
      body: undefined as unknown,
    };
    let ran = false;
    await guard(ctx, async () => {
      ran = true;
    });
    expect([ctx.status, ran]).toEqual([403, false]);
    ctx.state.user.roles = ['admin'];
    await guard(ctx, async () => {
      ran = true;
    });
    expect(ran).toBe(true);

    const sent: unknown[] = [];
    const reply = {
      raw: {},
      statusCode: 200,
      code(n: number) {
        this.statusCode = n;
        return this;
      },
      header() {
        return this;
      },
      send(b: unknown) {
        sent.push(b);
        return this;
      },
    };
    await guard({ method: 'POST', url: '/admin', headers: {}, user: { id: 2, roles: [] } }, reply);
    expect(reply.statusCode).toBe(403);
    expect(sent).toHaveLength(1);
    expect(sink.events.map((e) => e.outcome)).toEqual(['denied', 'allowed', 'denied']);
  });

  it('NestJS guard shape: canActivate throws an error with status 403', () => {
    const guard = accessControl({ roles: ['admin'], sink: memorySink() });
    const context = (user: object) => ({ switchToHttp: () => ({ getRequest: () => ({ method: 'GET', url: '/x', headers: {}, user }) }) });
    expect(guard.canActivate(context({ roles: ['admin'] }))).toBe(true);
    try {
      guard.canActivate(context({ roles: ['guest'] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessDeniedError);
      expect((error as AccessDeniedError).getStatus()).toBe(403);
    }
    expect(() => accessControl({ roles: [] })).toThrow(TypeError);
  });
});
