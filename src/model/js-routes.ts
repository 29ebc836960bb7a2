import type { Framework, GuardKind, HandlerSignal } from './endpoints.js';
import type { Range } from '../types.js';

/**
 * Per-file endpoint facts of the JS/TS frameworks (Express, Fastify, Koa, NestJS, Next.js). Plain data: the
 * resolver (resolve.ts) joins them across files into `Endpoint`s. A reference to code in another file is kept
 * as the import it goes through (`{ module, name }`) and resolved there.
 */

/** A binding reached through an import: `name` is the export ('default', 'getUser', 'default.getUser'). */
export interface JsImportRef {
  module: string;
  name: string;
}

/** A middleware, hook, guard class or decorator that may guard a route. */
export interface JsGuardRef {
  /** Kinds known from this file alone (package tables, name tables, the function's body). */
  kinds: GuardKind[];
  /** As written, shortened: `requireAuth`, `passport.authenticate('jwt')`, `@UseGuards(JwtAuthGuard)`. */
  name: string;
  line: number;
  /** Where the guard's code lives when it is imported from a relative module (its body decides its kinds). */
  ref?: JsImportRef;
  /** express-jwt / koa-jwt `.unless({ path })`: paths it skips (plain paths, or `re:<source>` for regexes). */
  unless?: string[];
  /** Authentication that reads the user when present and lets anonymous calls through (`credentialsRequired: false`). */
  optionalAuth?: boolean;
  /** Why the guard has its kinds, when its code was read (a NestJS guard's `canActivate`). */
  reason?: string;
}

/** What a function's body shows: checks, records loaded by a request identifier, ownership constraints. */
export interface JsFunctionSummary {
  /** Export names ('default', 'getUser', 'default.getUser'); empty for a local function. */
  exportedAs: string[];
  name: string;
  line: number;
  /** Auth, authorisation, rate-limit … checks found in the body (an `if (!req.user) … 401`, `jwt.verify`, …). */
  checks: Array<{ kind: GuardKind; name: string; line: number }>;
  /** The most destructive record access by an identifier taken from the request, if any. */
  access?: JsRecordAccess;
  /** The current user constrains a query or is compared with a record's owner. */
  ownership: boolean;
  /** A signature check of an incoming webhook (`stripe.webhooks.constructEvent`, HMAC + timingSafeEqual), here or in a helper of the file it calls. */
  verifiesSignature: boolean;
  /** The body only redirects, or checks a CAPTCHA (model/endpoint-public.ts). */
  signals?: HandlerSignal[];
  /** Identifiers naming an unguessable value that the body uses (`token`, `signature`). */
  capabilityNames?: string[];
  /** An exported middleware that authenticates optionally (anonymous calls pass): a deliberate public route. */
  optionalAuth?: boolean;
  /** A NestJS guard class classified by its `canActivate` (nest-guards.ts): these kinds replace the ones its name suggests. */
  nestGuard?: { kinds: GuardKind[]; reason: string };
}

export interface JsRecordAccess {
  op: 'read' | 'update' | 'delete';
  /** The data-access call as written (`Order.findById`, `prisma.post.delete`). */
  call: string;
  source: 'params' | 'query' | 'body';
  /** The identifier's name (`id`, `orderId`). */
  name: string;
  line: number;
}

/** An app (`express()`), router (`express.Router()`, `new Router()`), plugin (`async function (fastify)`) or NestJS controller. */
export interface JsScopeFact {
  /** Unique in the file: the variable name, or `<kind>@<line>` for a function scope. */
  id: string;
  kind: 'app' | 'router' | 'plugin';
  framework: Framework;
  range: Range;
  /** Own prefix (`new Router({ prefix: '/api' })`, `router.prefix('/api')`). */
  prefix: string;
  /** How other files import it ('default', 'usersRouter'); empty when not exported. */
  exportedAs: string[];
  /** fastify-plugin (`fp(…)`) plugins share their hooks with the parent. */
  transparent?: boolean;
  /** An app that is only a parameter default (`init(app = new Koa())`): callers pass the real app in. */
  parameterDefault?: boolean;
}

/** `app.use([prefix,] …mw, [router])`, `fastify.addHook(…)`, `fastify.register(plugin, { prefix })`, `routes(app)`. */
export interface JsUseFact {
  scope: string;
  /** Source offset: middleware guards only what is declared after it. */
  order: number;
  prefix: string;
  guards: JsGuardRef[];
  /** The router/plugin mounted here: a scope id of this file, or an import. */
  target?: { local: string } | { ref: JsImportRef };
  line: number;
}

export interface JsRouteFact {
  framework: Framework;
  /** Owning scope id in this file; '' for file-based routes (Next.js) and NestJS controllers use `controller`. */
  scope: string;
  order: number;
  methods: string[];
  /** Relative to the scope (full path for Next.js). */
  path: string;
  range: Range;
  /** Route-scope guards (middleware arguments, route options, method decorators). */
  guards: JsGuardRef[];
  handler?: { name?: string; range: Range; summary?: JsFunctionSummary; ref?: JsImportRef };
  optOuts: string[];
  /** NestJS: the controller class and its guards. */
  controller?: { name: string; prefix: string; guards: JsGuardRef[]; optOuts: string[]; line: number; version?: string };
  /** NestJS `@Version('2')` on the method (URI versioning). */
  version?: string;
}

/** NestJS application-wide facts found in this file. */
export interface JsNestFacts {
  /** `NestFactory.create(…)`. */
  app?: Range;
  /** `app.useGlobalGuards(…)`, `{ provide: APP_GUARD, useClass: … }`, `app.useGlobalPipes(…)`, `app.use(rateLimit())`. */
  globalGuards: JsGuardRef[];
  globalPrefix?: string;
  /** `setGlobalPrefix('api', { exclude: ['health', { path: 'x', method: … }] })`: paths served without the prefix. */
  globalPrefixExclude?: string[];
  /** `enableVersioning({ type: VersioningType.URI, defaultVersion: '1' })`: `/v1/…` before the controller path. */
  uriVersioning?: { prefix: string; defaultVersion?: string };
  /** `consumer.apply(mw).forRoutes(…)` in a module's `configure`. */
  middleware: Array<{ guards: JsGuardRef[]; forRoutes: JsNestRouteFilter[]; exclude: JsNestRouteFilter[] }>;
}

export interface JsNestRouteFilter {
  path?: string;
  method?: string;
  controller?: string;
}

/** Next.js `middleware.ts`: guards applied to the paths its `config.matcher` selects (all paths without one). */
export interface JsNextMiddleware {
  guards: JsGuardRef[];
  matcher: string[];
}

export interface JsRoutes {
  scopes: JsScopeFact[];
  uses: JsUseFact[];
  routes: JsRouteFact[];
  /** Summaries of exported functions and of the local functions routes refer to. */
  functions: JsFunctionSummary[];
  nest?: JsNestFacts;
  nextMiddleware?: JsNextMiddleware;
  /** A Next.js config file (`next.config.js`): the app for app-level rules. */
  nextConfig?: boolean;
  /** Barrel re-exports (`export { default } from './documents.js'`, `export * from './x.js'`): followed when resolving imports. */
  reexports?: Array<{ module: string; imported: string; exported: string }>;
}
