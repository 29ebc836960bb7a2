import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, describeEndpoint, loadProject } from './load.js';

/**
 * Snapshot-style tests of the JS/TS endpoint model, one fixture project per framework: each endpoint as
 * `METHOD path file:line | guards | handler facts`. A diff here is the extractor's or resolver's; a fixture
 * failure with this test green is the rule's.
 */
const JS = new Set(['express', 'fastify', 'koa', 'nestjs', 'nextjs']);

async function endpointsOf(project: string): Promise<{ endpoints: string[]; apps: string[] }> {
  const model = await loadProject(join(FIXTURES, project));
  return {
    endpoints: model.endpoints.filter((e) => JS.has(e.framework)).map(describeEndpoint),
    apps: model.apps
      .filter((a) => JS.has(a.framework))
      .map((a) => `${a.framework} ${a.file}:${a.range.start.line} | ${a.guards.map((g) => `${g.kind}:${g.name}`).join(', ')}`),
  };
}

describe('Express', () => {
  it('app and routers across files: middleware order and prefix, express-jwt unless, route chains, handler checks', async () => {
    expect(await endpointsOf('SOC2-001/express-app')).toEqual({
      endpoints: [
        'GET /health src/app.js:11 | ',
        'POST /api/auth/login src/app.js:13 | ',
        'POST /api/feedback src/app.js:16 | ',
        'GET /api/export src/app.js:18 | ',
        'GET /api/me src/app.js:21 | authentication:if (!req.user)@handler',
        'POST /webhooks/stripe src/app.js:30 | ',
        'POST /webhooks/github src/app.js:35 | ',
        'GET /api/reports src/app.js:43 | ',
        'POST /api/reports src/app.js:45 | authentication:requireAuth@route',
        'GET /api/partner-feed src/app.js:55 | ',
        'GET /admin/users src/routes/admin.js:6 | authentication:expressjwt({ secret: process.env.JWT_SECRET, algo…@app',
        'GET /admin/status-page src/routes/admin.js:9 | ',
        'GET /api/items src/routes/items.js:6 | authentication:requireAuth@app',
        'DELETE /api/items/:id src/routes/items.js:8 | authentication:requireAuth@app',
      ],
      apps: ['express src/app.js:7 | '],
    });
  });

  it('roles from a middleware factory in another file, ownership in queries and owner comparisons', async () => {
    expect((await endpointsOf('SOC2-008/express-app')).endpoints).toEqual([
      'GET /api/products/:id src/app.js:13 |  | access:read:params.id',
      'GET /admin/metrics-export src/routes/admin.js:7 | authentication:requireJwt@app',
      'DELETE /admin/users/:id src/routes/admin.js:9 | authentication:requireJwt@app | access:delete:params.id',
      "POST /admin/users/:id/roles src/routes/admin.js:14 | authentication:requireJwt@app, authorization:requireRole('admin')@route | access:update:body.role",
      'POST /admin/cache/flush src/routes/admin.js:19 | authentication:requireJwt@app, authorization:if (!req.user.isAdmin)@handler',
      'GET /api/orders/:id src/routes/orders.js:6 | authentication:requireJwt@app | access:read:params.id',
      'GET /api/orders/:id/receipt src/routes/orders.js:11 | authentication:requireJwt@app | access:read:params.id ownership',
      'PUT /api/orders/:orderId src/routes/orders.js:16 | authentication:requireJwt@app | access:update:params.orderId',
      'DELETE /api/orders/:id src/routes/orders.js:22 | authentication:requireJwt@app, authentication:if (!order.user.equals(req.user._id))@handler | access:read:params.id ownership',
    ]);
  });
});

describe('Fastify', () => {
  it('route options, plugin hooks and registered prefixes', async () => {
    expect(await endpointsOf('SOC2-001/fastify-app')).toEqual({
      endpoints: [
        'GET /healthz app.js:9 | ',
        'POST /notes app.js:11 | ',
        'POST /todos app.js:13 | authentication:fastify.authenticate@route',
        'DELETE /todos/:id app.js:15 | authentication:fastify.auth([fastify.authenticate])@route',
        'GET /shop/catalog routes/catalog.js:3 | ',
        'PUT /shop/catalog/:sku routes/catalog.js:5 | ',
        'GET /private/profile routes/private.js:7 | authentication:request.jwtVerify()@router',
      ],
      apps: ['fastify app.js:1 | '],
    });
  });

  it('@fastify/rate-limit with global: false limits only routes with config.rateLimit', async () => {
    expect((await endpointsOf('SOC2-006/fastify-route-config')).endpoints).toEqual([
      'POST /signin app.js:9 | rate-limit:config.rateLimit@route',
      'POST /otp/verify app.js:11 | ',
    ]);
  });
});

describe('Koa', () => {
  it('koa-router prefixes, app middleware order, ctx checks', async () => {
    expect(await endpointsOf('SOC2-001/koa-app')).toEqual({
      endpoints: [
        'POST /login server.js:11 | ',
        'POST /contact server.js:15 | ',
        'GET /open/me server.js:19 | authentication:if (!ctx.state.user)@handler',
        'GET /api/orders server.js:29 | authentication:jwt({ secret: process.env.JWT_SECRET })@app',
      ],
      apps: ['koa server.js:5 | authentication:jwt({ secret: process.env.JWT_SECRET })'],
    });
  });
});

describe('Koa mounts', () => {
  it('koa-mount puts a sub-app under its prefix, through a parameter-default app and a barrel re-export', async () => {
    expect((await endpointsOf('SOC2-001/koa-mount')).endpoints).toEqual(['POST /api/documents.delete routes/documents/documents.js:6 | ']);
  });
});

describe('Koa parameter-default apps', () => {
  it('an app passed into init(app = new Koa()) gets the real app’s middleware', async () => {
    expect((await endpointsOf('SOC2-001/koa-init-app')).endpoints).toEqual([
      'POST /notes web.js:8 | authentication:jwt({ secret: process.env.JWT_SECRET })@app | unmounted',
    ]);
  });
});

describe('NestJS', () => {
  it('controllers, global prefix, @UseGuards on class and method', async () => {
    expect(await endpointsOf('SOC2-001/nestjs-controllers')).toEqual({
      endpoints: [
        'GET /api/cats src/cats.controller.ts:9 | ',
        'POST /api/cats src/cats.controller.ts:15 | authentication:@UseGuards(JwtAuthGuard)@route',
        'DELETE /api/cats/:id src/cats.controller.ts:22 | ',
        'POST /api/cats/:id/adopt src/cats.controller.ts:29 | ',
        "DELETE /api/dogs/:id src/cats.controller.ts:40 | authentication:@UseGuards(AuthGuard('jwt'))@controller",
      ],
      apps: ['nestjs src/main.ts:5 | '],
    });
  });

  it('APP_GUARD applies everywhere; @Public() is an opt-out', async () => {
    expect(await endpointsOf('SOC2-001/nestjs-global-guard')).toEqual({
      endpoints: [
        'POST /reports src/controllers.ts:8 | authentication:APP_GUARD JwtAuthGuard@app',
        'GET /reports/summary src/controllers.ts:15 | authentication:APP_GUARD JwtAuthGuard@app | opt-outs:Public',
        'GET /ping src/controllers.ts:25 | authentication:APP_GUARD JwtAuthGuard@app',
      ],
      apps: ['nestjs src/main.ts:5 | authentication:APP_GUARD JwtAuthGuard'],
    });
  });

  it('roles guards and decorators; @Param identifiers and @CurrentUser ownership', async () => {
    expect((await endpointsOf('SOC2-008/nestjs-app')).endpoints).toEqual([
      "PUT /articles/:slug src/articles.controller.ts:12 | authentication:@UseGuards(AuthGuard('jwt'))@controller | access:update:params.slug",
      "DELETE /articles/:slug src/articles.controller.ts:18 | authentication:@UseGuards(AuthGuard('jwt'))@controller | access:delete:params.slug ownership",
      'DELETE /users/:id src/users.controller.ts:13 | authentication:@UseGuards(JwtAuthGuard)@controller | access:delete:params.id',
      'PATCH /users/:id/role src/users.controller.ts:19 | authentication:@UseGuards(JwtAuthGuard)@controller, authorization:@UseGuards(RolesGuard)@route, authorization:@Roles@route',
    ]);
  });
});

describe('Next.js', () => {
  it('app routes, pages/api, middleware matcher, session checks in handlers', async () => {
    expect(await endpointsOf('SOC2-001/nextjs-app')).toEqual({
      endpoints: [
        "GET /api/account app/api/account/route.ts:4 | authentication:export { default } from 'next-auth/middleware'@app",
        'GET /api/auth/[...nextauth] app/api/auth/[...nextauth]/route.ts:6 | ',
        'POST /api/auth/[...nextauth] app/api/auth/[...nextauth]/route.ts:6 | ',
        'GET /api/health app/api/health/route.ts:2 | ',
        'GET /api/posts app/api/posts/route.ts:6 | authentication:if (!session)@handler',
        'POST /api/posts app/api/posts/route.ts:13 | ',
        'DELETE /api/items/[id] pages/api/items/[id].ts:4 |  | access:delete:query.id',
      ],
      apps: ["nextjs next.config.js:1 | authentication:export { default } from 'next-auth/middleware'"],
    });
  });
});
