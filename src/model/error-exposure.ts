/**
 * SOC2-007 knowledge as data: where error details reach a client, which settings turn debug output on, and
 * what marks code or a file as development-only. Every entry carries samples that must and must not match.
 */

export interface ErrorResponseEntry {
  id: string;
  /** Matched against the callee as written (`res.status().json`, `new NextResponse`, `jsonify`). */
  callee: RegExp;
  /** The argument holding the body. */
  valueArg: number;
  /** The argument holding the status (`NextResponse.json(body, { status })`, `ctx.throw(500, msg)`). */
  statusArg?: number;
  /** The status is the class name (`BadRequestException`). */
  statusFromName?: boolean;
  must: string[];
  mustNot: string[];
}

export const ERROR_RESPONSE_JS: ErrorResponseEntry[] = [
  {
    id: 'express-response',
    callee: /^(?:res|response|reply|resp|ctx\.res)(?:\.(?:status|code|type|set|header|contentType)\(\))*\.(?:send|json|jsonp|end|write)$/,
    valueArg: 0,
    must: ['res.send', 'res.status().json', 'reply.code().send', 'response.status().send', 'res.type().end'],
    mustNot: ['res.render', 'socket.send', 'logger.json', 'res.status'],
  },
  {
    id: 'express-render',
    // The locals of a rendered view are shown to the client (an error page printing `error.stack`).
    callee: /^(?:res|response|reply|ctx)(?:\.status\(\))*\.(?:render|view)$/,
    valueArg: 1,
    must: ['res.render', 'res.status().render', 'reply.view', 'ctx.render'],
    mustNot: ['res.send', 'app.render', 'ReactDOM.render', 'res.redirect'],
  },
  {
    id: 'web-response',
    callee: /^(?:new )?(?:NextResponse|Response)(?:\.json)?$/,
    valueArg: 0,
    statusArg: 1,
    must: ['NextResponse.json', 'Response.json', 'new Response', 'new NextResponse'],
    mustNot: ['NextResponse.redirect', 'new Request'],
  },
  {
    id: 'koa-throw',
    callee: /^ctx\.throw$/,
    valueArg: 1,
    statusArg: 0,
    must: ['ctx.throw'],
    mustNot: ['ctx.assert'],
  },
  {
    id: 'nest-exception',
    callee: /^new (?:\w+Exception|HttpException)$/,
    valueArg: 0,
    statusArg: undefined,
    statusFromName: true,
    must: ['new InternalServerErrorException', 'new HttpException', 'new BadRequestException'],
    mustNot: ['new Error', 'new TypeError'],
  },
];

export interface DebugSettingEntry {
  id: string;
  callee: RegExp;
  /** An option that must be `true` in an object argument; absent: the call itself turns debugging on. */
  option?: RegExp;
  what: string;
  must: string[];
  mustNot: string[];
}

export const JS_DEBUG_SETTINGS: DebugSettingEntry[] = [
  {
    id: 'errorhandler',
    callee: /^errorhandler$/,
    what: 'errorhandler() stack-trace pages',
    must: ['errorhandler'],
    mustNot: ['errorHandler', 'app.use'],
  },
  {
    id: 'graphql-debug',
    callee: /(?:^|\.)(?:ApolloServer|GraphQLModule\.forRoot|GraphQLModule\.forRootAsync|createYoga|mercurius|graphqlHTTP|createHandler)$/,
    option: /^(?:debug|includeStacktraceInErrorResponses)$/,
    what: 'GraphQL debug / stack traces in error responses',
    must: ['ApolloServer', '@apollo/server.ApolloServer', 'GraphQLModule.forRoot', 'graphqlHTTP'],
    mustNot: ['ApolloClient', 'GraphQLModule.forFeature'],
  },
];

/** A condition that limits code to development (`NODE_ENV !== 'production'`, `app.get('env') === 'development'`). */
export const DEV_ONLY_TEST = /NODE_ENV|\bdevelopment\b|\bisDev\w*|\bdev\b|\bIS_DEV\b|\bDEBUG\b|\bdebug\b|get\(\s*['"]env['"]\s*\)|\bproduction\b|\bisProd\w*/;

export const DEV_ONLY_TEST_SAMPLES = {
  must: ["process.env.NODE_ENV !== 'production'", "app.get('env') === 'development'", 'isDev', 'settings.DEBUG', 'config.debug'],
  mustNot: ['err.status === 404', 'user.isAdmin', 'req.headers.developer'],
};

/** Client-error statuses: a 4xx message built for the client is no leak (`res.status(400).json({ error: e.message })`). */
const CLIENT_ERROR =
  /^4\d\d$|^(?:HttpStatus|status|HTTPStatus)\.(?:HTTP_)?(?:BAD_REQUEST|UNAUTHORIZED|FORBIDDEN|NOT_FOUND|CONFLICT|GONE|UNPROCESSABLE_ENTITY|METHOD_NOT_ALLOWED|NOT_ACCEPTABLE|PAYLOAD_TOO_LARGE|UNSUPPORTED_MEDIA_TYPE|PRECONDITION_FAILED|TOO_MANY_REQUESTS|4\d\d\w*)$|^(?:BadRequest|Unauthorized|Forbidden|NotFound|Conflict|Gone|UnprocessableEntity|MethodNotAllowed|NotAcceptable|PayloadTooLarge|UnsupportedMediaType|PreconditionFailed)(?:Exception|Error)?$|^HttpResponse(?:BadRequest|NotFound|Forbidden|NotAllowed|Gone)$/;

export const CLIENT_ERROR_SAMPLES = {
  must: ['400', '422', 'HttpStatus.BAD_REQUEST', 'status.HTTP_404_NOT_FOUND', 'BadRequestException', 'HttpResponseBadRequest'],
  mustNot: ['500', 'err.status', 'HttpStatus.INTERNAL_SERVER_ERROR', 'InternalServerErrorException', ''],
};

export function isClientErrorStatus(status: string | null): boolean {
  return status !== null && CLIENT_ERROR.test(status.trim());
}

/** Error members that reveal internals: the stack and driver details in full, the message in part. */
export function leakOfErrorMember(member: string): 'full' | 'message' | null {
  if (/^(?:stack|sql|sqlMessage|original|parent|errors|config|response|__traceback__)$/.test(member)) return 'full';
  if (/^(?:message|detail|details|cause|args|msg|reason|description)$/.test(member)) return 'message';
  return null;
}

export const ERROR_MEMBER_SAMPLES = {
  full: ['stack', 'sqlMessage', 'sql'],
  message: ['message', 'detail', 'args'],
  none: ['status', 'statusCode', 'code', 'name', 'type'],
};

/** Python callables that build a response (or an HTTP error a client sees). */
export const ERROR_RESPONSE_PY: ErrorResponseEntry[] = [
  {
    id: 'response-constructors',
    callee:
      /^(?:jsonify|make_response|render_template_string|Response|HttpResponse|JsonResponse|HttpResponseServerError|HttpResponseBadRequest|JSONResponse|PlainTextResponse|HTMLResponse|ORJSONResponse|UJSONResponse|web\.Response|web\.json_response|flask\.jsonify|render_template|render|abort|HTTPException|web\.HTTPInternalServerError|web\.HTTPBadRequest|ValidationError|APIException|exceptions\.APIException)$/,
    valueArg: 0,
    must: ['jsonify', 'HttpResponse', 'JSONResponse', 'HTTPException', 'web.json_response', 'abort', 'make_response'],
    mustNot: ['logger.error', 'print', 'logging.exception'],
  },
];

/** Values of Python code that carry an exception's details. */
export const PY_TRACEBACK_CALLS = /^(?:traceback\.(?:format_exc|format_exception|format_tb|format_stack|print_exc)|sys\.exc_info)$/;

export const PY_TRACEBACK_SAMPLES = {
  must: ['traceback.format_exc', 'traceback.format_exception', 'sys.exc_info'],
  mustNot: ['logging.exception', 'traceback.print_stack2'],
};

/** Python settings and calls that turn debug output on (matched with a literal `True`). */
export const PY_DEBUG_CALLS =
  /(?:^|\.)(?:run|run_app|run_simple)$|^(?:FastAPI|Starlette|Quart|Sanic|Application|web\.Application|aiohttp\.web\.Application|fastapi\.FastAPI|starlette\.applications\.Starlette)$/;
export const PY_DEBUG_CALL_SAMPLES = {
  must: ['app.run', 'FastAPI', 'Starlette', 'uvicorn.run', 'web.run_app', 'werkzeug.serving.run_simple', 'web.Application'],
  mustNot: ['Flask', 'app.route', 'subprocess.run2'],
};

/** Debug toolbars and interactive debuggers reachable by clients. */
export const PY_DEBUG_TOOLBARS = /^(?:aiohttp_debugtoolbar\.setup|DebuggedApplication|DebugToolbarExtension|werkzeug\.debug\.DebuggedApplication)$/;
export const PY_DEBUG_TOOLBAR_SAMPLES = {
  must: ['aiohttp_debugtoolbar.setup', 'DebuggedApplication', 'DebugToolbarExtension'],
  mustNot: ['toolbar.setup', 'Application'],
};

/** Files that only configure development or tests (`settings/dev.py`, `config/local.py`, `settings_test.py`). */
export const DEV_ONLY_FILE =
  /(?:^|\/)(?:tests?|testing|dev|devel|development|local|docker-dev|examples?)(?:\/|$)|(?:^|[/_.-])(?:dev|devel|development|local|test|tests|testing|ci)\.py$|(?:^|\/)(?:test_|conftest)[^/]*\.py$/;
export const DEV_ONLY_FILE_SAMPLES = {
  must: ['settings/dev.py', 'project/settings/local.py', 'settings_dev.py', 'config/development.py', 'tests/test_app.py', 'settings.test.py'],
  mustNot: ['settings.py', 'project/settings/production.py', 'app/config.py', 'devices/views.py', 'localization.py'],
};

/** Config classes for development (`class DevelopmentConfig: DEBUG = True`). */
export const DEV_ONLY_CLASS = /Dev|Debug|Local|Test/;

/**
 * Exceptions written for the client (validation, permission, not-found, DRF/Starlette/Werkzeug HTTP errors,
 * GraphQL errors): their message is feedback, not internals, whichever library defines them.
 */
const CLIENT_EXCEPTION =
  /^(?:ValidationError|PermissionDenied|ObjectDoesNotExist|DoesNotExist|Http404|SuspiciousOperation|BadRequest|DisallowedHost|APIException|ParseError|AuthenticationFailed|NotAuthenticated|NotFound|MethodNotAllowed|NotAcceptable|UnsupportedMediaType|Throttled|HTTPException|GraphQLError|ValidationException|RequestValidationError|Forbidden|Unauthorized|Conflict|UnprocessableEntity)$/;

/**
 * Errors of parsing a value (`int()`, `urlparse`, `Decimal`, JSON, an image the client uploaded): when the message is
 * re-raised as a validation error (`raise ValidationError(str(e))`, `{field: ValidationError(...)}`), it is feedback
 * on the client's own input, written as such. `OSError`, `KeyError`, database and HTTP-client errors are not.
 */
const INPUT_PARSE_ERROR =
  /^(?:ValueError|TypeError|SyntaxError|UnidentifiedImageError|DecompressionBombError|JSONDecodeError|UnicodeDecodeError|InvalidOperation)$/;

/** JSON Web Token checks of the token the client sent (PyJWT): expired, bad signature, malformed. */
const CLIENT_TOKEN_ERROR = /^(?:ExpiredSignatureError|InvalidTokenError|InvalidSignatureError|ImmatureSignatureError)$/;

/** Catching these means catching anything: the message is whatever failed, driver and OS errors included. */
const BROAD_EXCEPTION = /^(?:builtins\.)?(?:Exception|BaseException)$/;

export const CAUGHT_SAMPLES = {
  internal: ['Exception', 'BaseException', 'KeyError', 'django.db.DatabaseError', 'requests.exceptions.RequestException', 'OSError'],
  client: [
    'django.core.exceptions.ValidationError',
    'rest_framework.exceptions.ValidationError',
    'Order.DoesNotExist',
    'graphql.GraphQLError',
    'PermissionDenied',
  ],
  project: ['.exceptions.InsufficientStock', '.GiftCardNotApplicable', 'saleor.core.exceptions.InsufficientStock'],
  /** Parse errors: internal when sent as such, the client's own input when re-raised as a ValidationError. */
  parse: ['ValueError', 'PIL.UnidentifiedImageError', 'json.JSONDecodeError'],
};

/**
 * Whether the message of a caught exception type may carry internals. A class of the project (leading dot:
 * a relative import or a class of the same file; or a name under one of the project's top-level packages) and
 * the client errors above are written for the client; broad catches, builtins (`KeyError`, `OSError`) and other
 * libraries' errors (database, HTTP client, parsers) are not, except parse errors re-raised as a validation error
 * (`via`: where the message goes).
 */
export function caughtRevealsInternals(caught: readonly string[], projectPackages: ReadonlySet<string>, via = ''): boolean {
  const asValidation = /(?:^|\.)ValidationError$/.test(via);
  return caught.some((name) => {
    if (BROAD_EXCEPTION.test(name)) return true;
    if (name.startsWith('.')) return false;
    const parts = name.split('.');
    const last = parts[parts.length - 1]!;
    if (CLIENT_EXCEPTION.test(last) || CLIENT_TOKEN_ERROR.test(last)) return false;
    if (asValidation && INPUT_PARSE_ERROR.test(last)) return false;
    return !(parts.length > 1 && projectPackages.has(parts[0]!));
  });
}

/**
 * The project's top-level Python packages and modules, named as imports name them: directories with an
 * `__init__.py` whose parent has none (`saleor/`), and modules outside any package (`app.py`, `src/app.py` → `app`).
 */
export function pythonTopLevelNames(paths: readonly string[]): Set<string> {
  const py = paths.filter((p) => p.endsWith('.py'));
  const packages = new Set(py.filter((p) => p.endsWith('__init__.py')).map((p) => p.slice(0, p.lastIndexOf('/') + 1 || 0)));
  const out = new Set<string>();
  for (const p of py) {
    const slash = p.lastIndexOf('/');
    const dir = p.slice(0, slash + 1);
    if (!packages.has(dir)) {
      out.add(p.slice(slash + 1, -3));
      continue;
    }
    let root = dir;
    for (;;) {
      const parent = root.slice(0, root.slice(0, -1).lastIndexOf('/') + 1);
      if (parent === root || !packages.has(parent)) break;
      root = parent;
    }
    const name = root.slice(0, -1).split('/').pop();
    if (name) out.add(name);
  }
  return out;
}
