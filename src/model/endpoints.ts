import type { Range } from '../types.js';

/**
 * The resolved endpoint model: every HTTP endpoint of the project with its full path and the guards that apply
 * to it at every scope. Built once per scan from the per-file facts of the framework extractors
 * (src/frameworks/), read by rules (SOC2-001/006/008, 003/010), `complianceagent endpoints`, control evidence
 * and the PDF.
 */

export type Framework = 'express' | 'fastify' | 'koa' | 'nestjs' | 'nextjs' | 'fastapi' | 'flask' | 'django';

export type GuardKind = 'authentication' | 'authorization' | 'rate-limit' | 'validation' | 'audit';

/** Where a guard is attached: the whole app, a router/blueprint/plugin, a controller/class, the route, or a check in the handler body. */
export type GuardScope = 'app' | 'router' | 'controller' | 'route' | 'handler';

export interface Guard {
  kind: GuardKind;
  /** As written: `requireAuth`, `passport.authenticate('jwt')`, `@UseGuards(JwtAuthGuard)`, `login_required`, `if (!req.user)`. */
  name: string;
  scope: GuardScope;
  /** Where the guard is declared or applied (repo-relative path, 1-based line). */
  path: string;
  line: number;
  /** Why it was classified so, when its code was read ("canActivate rejects without a user or token"). */
  reason?: string;
}

export interface Endpoint {
  framework: Framework;
  /** Upper-case HTTP methods; `['*']` when every method is routed (app.all, app.use handlers, Django views without a method check). */
  methods: string[];
  /** Full path with every prefix resolved (`/api/v1/users/:id`); framework syntax kept for parameters. */
  path: string;
  /** The route declaration (repo-relative path and range). */
  file: string;
  range: Range;
  handler?: { file: string; name?: string; range: Range };
  guards: Guard[];
  /** Explicit opt-outs seen on the route (`@Public()`, `@SkipThrottle()`, `AllowAny`, `@csrf_exempt`). */
  optOuts: string[];
  /**
   * The router/plugin holding this route was never seen mounted on an app: the path lacks the mount prefix and
   * only the app's unconditional guards are assumed. Rules lower their confidence.
   */
  unmounted?: boolean;
  /** What the handler body shows (SOC2-008 object-level checks, signature-verifying webhooks). */
  handlerFacts?: HandlerFacts;
  /**
   * Why the endpoint needs no authentication ("logout", "webhook that verifies the sender's signature",
   * "capability URL: …"): set by `publicByDesign` (model/endpoint-public.ts) when the model is built, shown by
   * the inventory, and read by SOC2-001 instead of reporting the endpoint.
   */
  publicByDesign?: string;
}

export interface HandlerFacts {
  /** The most destructive record access by an identifier taken from the request (path, query or body). */
  recordAccess?: { op: 'read' | 'update' | 'delete'; call: string; source: 'params' | 'query' | 'body'; name: string; line: number };
  /** The current user constrains the query or is compared with the record's owner. */
  ownership: boolean;
  /** The handler verifies an incoming webhook's signature (in its body or in a helper of its file it calls). */
  verifiesSignature: boolean;
  /** What the body shows that makes a route public by design (see HANDLER_SIGNALS in model/endpoint-public.ts). */
  signals?: HandlerSignal[];
  /** Identifiers the body uses that name an unguessable value (`token`, `uuid`, `signature`): a capability URL's key is checked. */
  capabilityNames?: string[];
  /**
   * A secret the client sends in the query or body (`token`, `body.invitation_token`) that the handler hands to a
   * check (`verify`, `claim_seat`, `check_token`): the credential the caller presents instead of a session.
   */
  credentialInput?: { name: string; call: string };
  /** The handler's own documentation says it needs no authentication (the sentence, quoted). */
  documentedPublic?: string;
  /**
   * Access decided from data the client controls (`request.COOKIES.get('admin') == "1"`, an `X-Host` header
   * compared with an admin host): anyone can send it (SOC2-008). `path` when the check is in another file than
   * the handler (a GraphQL middleware class of a Flask `GraphQLView`).
   */
  clientAuthz?: { what: string; line: number; path?: string };
}

/**
 * `redirect`: the handler only redirects; `captcha`: it verifies a CAPTCHA answer; `token-check`: it verifies a
 * signed or stored token; `constant`: it answers a constant and reads nothing (a keep-alive page); `static-page`:
 * it renders a template and passes it no data (`res.render('about')`, `render_template("about.html")`); `static-file`:
 * it only serves a file from a fixed folder (`res.sendFile(name, { root })`, `send_from_directory(DIR, name)`);
 * `first-run-setup`: its body runs only while the app is not set up (`if not config.is_setup():`).
 */
export type HandlerSignal = 'redirect' | 'captcha' | 'token-check' | 'constant' | 'static-page' | 'static-file' | 'first-run-setup';

/** An HTTP application instance (`express()`, `FastAPI()`, `Flask(__name__)`, a Django project's settings). */
export interface HttpApp {
  framework: Framework;
  file: string;
  range: Range;
  /** App-scope guards (global middleware, global guards, settings defaults). */
  guards: Guard[];
}

/**
 * A filter keeping the first endpoint of each route declaration, for the endpoint rules' one finding per declaration: a
 * blueprint registered on two apps (vulpy's `vulpy.py` and `vulpy-ssl.py`) is one declaration, listed twice.
 */
export function firstOfDeclaration(): (e: Endpoint) => boolean {
  const seen = new Set<string>();
  return (e) => {
    const key = `${e.file}:${e.range.start.line}:${e.range.start.column}:${e.methods.join(',')} ${e.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}
