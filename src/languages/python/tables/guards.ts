import type { GuardKind } from '../../../model/endpoints.js';

/**
 * What counts as a guard in Python web code, as data: names of decorators, FastAPI dependencies, DRF
 * permission and throttle classes, Django mixins and middleware, and checks written in a handler's body.
 * Each table carries samples that must and must not match (test/model/guards-python.test.ts).
 */

export type BodyCheckKind = Extract<GuardKind, 'authentication' | 'authorization' | 'rate-limit'>;

export interface BodyCheck {
  kind: BodyCheckKind;
  name: string;
  pattern: RegExp;
  /** A bare rejection (403) that means "not authenticated" when the body checks credentials and nothing else. */
  rejectsOnly?: boolean;
  /** A role, staff or ownership check rejects anonymous callers too: it also counts as authentication. */
  impliesAuthentication?: boolean;
  match: string[];
  noMatch: string[];
}

const NOT = String.raw`\bnot\s+`;
const SUBJECT = String.raw`[\w.()]*`;

/** Checks inside a function body (handler, dependency, before_request hook, decorator) that reject the caller. */
export const BODY_CHECKS: readonly BodyCheck[] = [
  {
    kind: 'authentication',
    name: 'not is_authenticated',
    pattern: new RegExp(String.raw`${NOT}${SUBJECT}\.is_authenticated\b|\.is_authenticated\s*(?:==|is)\s*False|\.is_anonymous\b`),
    match: [
      'if not current_user.is_authenticated:',
      'if not request.user.is_authenticated:',
      'if request.user.is_anonymous:',
      'if user.is_authenticated is False:',
    ],
    noMatch: ['if current_user.is_authenticated:\n    return redirect(url_for("index"))', 'authenticated = True'],
  },
  {
    kind: 'authentication',
    name: '401 response',
    pattern:
      /\babort\(\s*401\b|status_code\s*=\s*401\b|\bHTTP_401_UNAUTHORIZED\b|\bstatus\s*=\s*401\b|\breturn\s[^\n]*,\s*401\b|\braise\s+(?:[\w.]+\.)?(?:NotAuthenticated|AuthenticationFailed|Unauthorized|InvalidTokenError|NoAuthorizationError)\b/,
    match: [
      'abort(401)',
      'raise HTTPException(status_code=401, detail="x")',
      'status.HTTP_401_UNAUTHORIZED',
      "return jsonify({'error': 'x'}), 401",
      'raise exceptions.NotAuthenticated()',
      'raise AuthenticationFailed("bad token")',
    ],
    noMatch: ['abort(404)', 'status_code=200', 'return jsonify(items), 201'],
  },
  {
    kind: 'authentication',
    name: 'is_authenticated, else sign in',
    // `if request.user.is_authenticated: <view> else: return redirect('login')` (pygoat's views): the positive test
    // whose else arm sends the caller to the sign-in page.
    pattern:
      /\bif\s+[\w.()]*\.is_authenticated\s*:[^\n]*\n(?:[ \t]+\S[^\n]*\n|[ \t]*\n)*?[ \t]*else[ \t]*:[ \t]*\n[ \t]*return\s+redirect\(\s*(?:url_for\(\s*)?['"][\w./:-]*\b(?:login|signin|sign_in)\b/,
    match: [
      "if request.user.is_authenticated:\n        return render(request,'introduction/home.html',)\n    else:\n        return redirect('login')",
      'if current_user.is_authenticated:\n    x = 1\n    return render_template("a.html")\nelse:\n    return redirect(url_for("auth.login"))',
    ],
    noMatch: [
      "if request.user.is_authenticated:\n    return redirect('home')\nelse:\n    return render(request, 'login.html')",
      "if request.user.is_authenticated:\n    name = request.user.username\nreturn redirect('login')",
    ],
  },
  {
    kind: 'authentication',
    name: 'session user check',
    // The session holds no signed-in user, and the block redirects (to sign in or home) or refuses (vulpy's views).
    pattern:
      /\bif\s+(?:['"]\w*(?:user|uid|account|logged_in|email)\w*['"]\s+not\s+in\s+(?:g\.|flask\.)?session|not\s+(?:g\.|flask\.)?session(?:\.get\(\s*|\[\s*)['"]\w*(?:user|uid|account|logged_in|email)\w*['"]\s*[)\]])\s*:\s*\n\s*(?:return\s+redirect\(|abort\(\s*40[13]\b|return\s[^\n]*,\s*40[13]\b)/,
    match: [
      "if 'username' not in g.session:\n        return redirect('/user/login')",
      'if not session.get("user_id"):\n    abort(401)',
      "if 'logged_in' not in session:\n    return redirect(url_for('auth.login'))",
      "if not session['username']:\n        return redirect('/user/login')",
      "if 'username' not in g.session:\n        return redirect('/')",
    ],
    noMatch: [
      "if 'username' in g.session:\n    username = g.session['username']",
      "if 'cart' not in session:\n    return redirect('/login')",
      "if 'username' not in g.session:\n    username = None",
    ],
  },
  {
    kind: 'authentication',
    name: 'token verification',
    pattern: /\bjwt\.decode\(|\bverify_jwt_in_request\(|\bdecode_token\(|\bverify_id_token\(|\bcheck_password_hash\(|\bget_jwt_identity\(/,
    match: ['payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])', 'verify_jwt_in_request()', 'auth.verify_id_token(token)'],
    noMatch: ['token = jwt.encode(payload, key)', 'base64.b64decode(data)'],
  },
  {
    kind: 'authentication',
    name: 'credential header read',
    pattern: /\bheaders(?:\.get\(\s*|\[\s*)['"](?:authorization|x-api-key|x-auth-token|x-access-token|api-key|x-token)['"]/i,
    match: ["token = request.headers.get('Authorization')", 'key = request.headers["X-API-Key"]', "request.headers.get('x-access-token')"],
    noMatch: ["request.headers.get('User-Agent')", "headers = {'Authorization': f'Bearer {token}'}"],
  },
  {
    kind: 'authorization',
    name: 'role or staff check',
    impliesAuthentication: true,
    pattern: new RegExp(
      String.raw`${NOT}${SUBJECT}\.(?:is_staff|is_superuser|is_admin|admin)\b|\.has_perms?\(|\.has_role\(|\.(?:role|roles)\s*(?:!=|==|\bnot\s+in\b|\bin\b)|\bin\s+${SUBJECT}\.(?:roles|scopes|permissions)\b|\.(?:is_staff|is_superuser|is_admin)\s*(?:==|is)\s*False`,
    ),
    match: [
      'if not current_user.is_superuser:',
      'if not request.user.is_staff:',
      "if not user.has_perm('app.delete_post'):",
      "if current_user.role != 'admin':",
      'if scope not in token_data.scopes:',
      'if not g.user.admin:',
    ],
    noMatch: ['if current_user.is_superuser:\n    items = all_items()', 'user.is_staff = True', 'role = form.role.data'],
  },
  {
    kind: 'authorization',
    name: '403 response',
    rejectsOnly: true,
    pattern:
      /\babort\(\s*403\b|status_code\s*=\s*403\b|\bHTTP_403_FORBIDDEN\b|\bstatus\s*=\s*403\b|\breturn\s[^\n]*,\s*403\b|\braise\s+(?:[\w.]+\.)?(?:PermissionDenied|Forbidden)\b/,
    match: [
      'abort(403)',
      'raise HTTPException(status_code=403)',
      'raise PermissionDenied',
      'raise exceptions.PermissionDenied("no")',
      'return {"msg": "forbidden"}, 403',
    ],
    noMatch: ['abort(400)', 'except PermissionDenied:\n    pass'],
  },
  {
    kind: 'authorization',
    name: 'ownership check',
    impliesAuthentication: true,
    pattern:
      /\b[\w.]*\.(?:owner|owner_id|user|user_id|author|author_id|created_by|created_by_id)\s*!=\s*(?:current_user|request\.user|g\.user|user)\b[\w.]*|\b(?:current_user|request\.user|g\.user)(?:\.id)?\s*!=\s*[\w.]+\.(?:owner|owner_id|user|user_id|author|author_id|created_by)\b/,
    match: ['if item.owner_id != current_user.id:', 'if post.author != request.user:', 'if current_user.id != note.user_id:'],
    noMatch: ['if item.owner_id == current_user.id:\n    show()', 'if page != 1:'],
  },
];

/** Words every BODY_CHECKS pattern needs: a body without any of them is not read further (cheap pre-filter). */
export const BODY_CHECK_HINT =
  /is_authenticated|is_anonymous|\b40[13]\b|HTTP_40[13]|jwt|verify_|decode_token|check_password_hash|get_jwt_identity|is_staff|is_superuser|is_admin|\.admin\b|has_perms?\(|has_role|\.roles?\b|scopes|permissions|owner|author|created_by|\.user|user_id|PermissionDenied|Forbidden|Unauthorized|NotAuthenticated|AuthenticationFailed|InvalidTokenError|NoAuthorizationError|headers|session/i;

export interface NameClass {
  kinds: GuardKind[];
  /** An explicit opt-out (`login_not_required`, `AllowAny`, `limiter.exempt`, `csrf_exempt`). */
  optOut: boolean;
}

/** Words of a Python name: `get_current_active_superuser` → get current active superuser, `IsAdminUser` → is admin user. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const AUTHENTICATION_WORDS = new Set([
  'login',
  'logged',
  'signin',
  'auth',
  'authn',
  'authenticated',
  // CTFd's @authed_only
  'authed',
  'authenticate',
  'authentication',
  'jwt',
  'token',
  'bearer',
  'apikey',
  'oauth',
  'oauth2',
  'credentials',
]);
const AUTHORIZATION_WORDS = new Set([
  'admin',
  // CTFd's @admins_only
  'admins',
  'superuser',
  'staff',
  'role',
  'roles',
  'permission',
  'permissions',
  'perm',
  'perms',
  'scope',
  'scopes',
  'owner',
  'privileged',
  'authorize',
  'authorized',
  'authorised',
  'authorization',
  'acl',
  'policy',
  'rbac',
]);
/** Decorators that record an audit event per call (the ComplianceAgent SDK's `@audit_log`, `@audited`). */
const AUDIT_WORDS = new Set(['audit', 'audited', 'auditlog', 'auditable']);
/** Decorators that validate the request before the view runs (webargs `use_args`, flask-pydantic `validate`, `expects_json`). */
const VALIDATION_WORDS = new Set(['validate', 'validated', 'validation', 'validates']);
const RATE_LIMIT_WORDS = new Set(['limit', 'limiter', 'limits', 'ratelimit', 'ratelimited', 'throttle', 'throttled', 'throttling', 'throttles']);
const OPT_OUT_WORDS = new Set(['exempt', 'public', 'anonymous']);

/** Known names whose words mislead, matched on the last dotted segment before the word heuristics. */
const EXPLICIT: Record<string, NameClass> = {
  // The ComplianceAgent SDK: `@access_control(roles=[…])` rejects anonymous callers (401) and missing roles (403).
  access_control: { kinds: ['authentication', 'authorization'], optOut: false },
  use_args: { kinds: ['validation'], optOut: false },
  use_kwargs: { kinds: ['validation'], optOut: false },
  expects_json: { kinds: ['validation'], optOut: false },
  user_passes_test: { kinds: ['authentication', 'authorization'], optOut: false },
  UserPassesTestMixin: { kinds: ['authentication', 'authorization'], optOut: false },
  login_not_required: { kinds: [], optOut: true },
  AllowAny: { kinds: [], optOut: true },
  SkipThrottle: { kinds: [], optOut: true },
  // Populate request.user / parse credentials without rejecting anyone.
  AuthenticationMiddleware: { kinds: [], optOut: false },
  RemoteUserMiddleware: { kinds: [], optOut: false },
  authentication_classes: { kinds: [], optOut: false },
  user_loader: { kinds: [], optOut: false },
  request_loader: { kinds: [], optOut: false },
  verify_password: { kinds: [], optOut: false },
  unauthorized_handler: { kinds: [], optOut: false },
  // FastAPI security schemes: a missing credential is rejected with 401/403 (auto_error=True).
  OAuth2PasswordBearer: { kinds: ['authentication'], optOut: false },
  OAuth2AuthorizationCodeBearer: { kinds: ['authentication'], optOut: false },
  HTTPBearer: { kinds: ['authentication'], optOut: false },
  HTTPBasic: { kinds: ['authentication'], optOut: false },
  HTTPDigest: { kinds: ['authentication'], optOut: false },
  APIKeyHeader: { kinds: ['authentication'], optOut: false },
  APIKeyQuery: { kinds: ['authentication'], optOut: false },
  APIKeyCookie: { kinds: ['authentication'], optOut: false },
  OpenIdConnect: { kinds: ['authentication'], optOut: false },
  HasAPIKey: { kinds: ['authentication'], optOut: false },
  // django-axes locks out brute-force logins.
  AxesMiddleware: { kinds: ['rate-limit'], optOut: false },
  // slowapi enforces the Limiter's default_limits on every route through its middleware.
  SlowAPIMiddleware: { kinds: ['rate-limit'], optOut: false },
  SlowAPIASGIMiddleware: { kinds: ['rate-limit'], optOut: false },
  AxesBackend: { kinds: ['rate-limit'], optOut: false },
};

/** Read-only variants let anonymous users read: no authentication implied by their authorisation part. */
const ANONYMOUS_READ = /or_?(?:anon_?)?read_?only$/i;

/**
 * Classifies a decorator, dependency, permission/throttle class, mixin or middleware by its dotted name.
 * An authorisation guard implies authentication (a role check rejects anonymous callers) unless it lets
 * anonymous users read.
 */
export function classifyGuardName(dotted: string): NameClass {
  const last = dotted.slice(dotted.lastIndexOf('.') + 1);
  const explicit = EXPLICIT[last];
  if (explicit) return explicit;
  // The object part names a module or an instance (`rest_framework.permissions.`, `token_auth.`), not the check.
  const words = nameWords(last);
  const joined = words.join('_');
  if (words.some((w) => OPT_OUT_WORDS.has(w)) || joined.includes('allow_any') || joined.includes('skip_throttle')) return { kinds: [], optOut: true };
  const kinds: GuardKind[] = [];
  const authn = words.some((w) => AUTHENTICATION_WORDS.has(w)) || /(?:^|_)current_(?:[a-z]+_)?user(?:_|$)/.test(joined) || joined.includes('api_key');
  const authz = words.some((w) => AUTHORIZATION_WORDS.has(w));
  if (authn || (authz && !ANONYMOUS_READ.test(joined))) kinds.push('authentication');
  if (authz) kinds.push('authorization');
  if (words.some((w) => RATE_LIMIT_WORDS.has(w))) kinds.push('rate-limit');
  if (words.some((w) => AUDIT_WORDS.has(w))) kinds.push('audit');
  // `validate_token` authenticates; only a name that is about input alone says validation.
  if (!authn && !authz && words.some((w) => VALIDATION_WORDS.has(w))) kinds.push('validation');
  return { kinds, optOut: false };
}

/** Samples for classifyGuardName: name → expected kinds (and opt-out). */
export const GUARD_NAME_SAMPLES: ReadonlyArray<{ name: string; kinds: GuardKind[]; optOut?: boolean }> = [
  { name: 'authed_only', kinds: ['authentication'] },
  { name: 'access_control', kinds: ['authentication', 'authorization'] },
  { name: 'complianceagent.access_control', kinds: ['authentication', 'authorization'] },
  { name: 'require_authentication', kinds: ['authentication'] },
  { name: 'require_role', kinds: ['authentication', 'authorization'] },
  { name: 'rate_limit', kinds: ['rate-limit'] },
  { name: 'audit_log', kinds: ['audit'] },
  { name: 'complianceagent.audit_log', kinds: ['audit'] },
  { name: 'use_args', kinds: ['validation'] },
  { name: 'validate', kinds: ['validation'] },
  { name: 'log_request', kinds: [] },
  { name: 'validate_token', kinds: ['authentication'] },
  { name: 'admins_only', kinds: ['authentication', 'authorization'] },
  { name: 'require_team_mode', kinds: [] },
  { name: 'login_required', kinds: ['authentication'] },
  { name: 'flask_login.login_required', kinds: ['authentication'] },
  { name: 'fresh_login_required', kinds: ['authentication'] },
  { name: 'jwt_required', kinds: ['authentication'] },
  { name: 'SlowAPIMiddleware', kinds: ['rate-limit'] },
  { name: 'token_auth.login_required', kinds: ['authentication'] },
  { name: 'auth.login_required', kinds: ['authentication'] },
  { name: 'token_required', kinds: ['authentication'] },
  { name: 'roles_required', kinds: ['authentication', 'authorization'] },
  { name: 'roles_accepted', kinds: ['authentication', 'authorization'] },
  { name: 'permission_required', kinds: ['authentication', 'authorization'] },
  { name: 'staff_member_required', kinds: ['authentication', 'authorization'] },
  { name: 'user_passes_test', kinds: ['authentication', 'authorization'] },
  { name: 'UserPassesTestMixin', kinds: ['authentication', 'authorization'] },
  { name: 'admin_required', kinds: ['authentication', 'authorization'] },
  { name: 'get_current_user', kinds: ['authentication'] },
  { name: 'get_current_active_user', kinds: ['authentication'] },
  { name: 'get_current_active_superuser', kinds: ['authentication', 'authorization'] },
  { name: 'verify_token', kinds: ['authentication'] },
  { name: 'get_api_key', kinds: ['authentication'] },
  { name: 'OAuth2PasswordBearer', kinds: ['authentication'] },
  { name: 'HTTPBearer', kinds: ['authentication'] },
  { name: 'IsAuthenticated', kinds: ['authentication'] },
  { name: 'rest_framework.permissions.IsAuthenticated', kinds: ['authentication'] },
  { name: 'IsAuthenticatedOrReadOnly', kinds: ['authentication'] },
  { name: 'IsAdminUser', kinds: ['authentication', 'authorization'] },
  { name: 'DjangoModelPermissions', kinds: ['authentication', 'authorization'] },
  { name: 'DjangoModelPermissionsOrAnonReadOnly', kinds: ['authorization'] },
  { name: 'IsOwnerOrReadOnly', kinds: ['authorization'] },
  { name: 'LoginRequiredMixin', kinds: ['authentication'] },
  { name: 'PermissionRequiredMixin', kinds: ['authentication', 'authorization'] },
  { name: 'django.contrib.auth.middleware.LoginRequiredMiddleware', kinds: ['authentication'] },
  { name: 'limiter.limit', kinds: ['rate-limit'] },
  { name: 'ratelimit', kinds: ['rate-limit'] },
  { name: 'UserRateThrottle', kinds: ['rate-limit'] },
  { name: 'rest_framework.throttling.AnonRateThrottle', kinds: ['rate-limit'] },
  { name: 'RateLimiter', kinds: ['rate-limit'] },
  { name: 'axes.middleware.AxesMiddleware', kinds: ['rate-limit'] },
  { name: 'login_not_required', kinds: [], optOut: true },
  { name: 'AllowAny', kinds: [], optOut: true },
  { name: 'limiter.exempt', kinds: [], optOut: true },
  { name: 'csrf_exempt', kinds: [], optOut: true },
  { name: 'django.contrib.auth.middleware.AuthenticationMiddleware', kinds: [] },
  { name: 'login_manager.user_loader', kinds: [] },
  { name: 'app.route', kinds: [] },
  { name: 'router.get', kinds: [] },
  { name: 'get_db', kinds: [] },
  { name: 'get_session', kinds: [] },
  { name: 'get_settings', kinds: [] },
  { name: 'common_parameters', kinds: [] },
  { name: 'require_POST', kinds: [] },
  { name: 'csrf_protect', kinds: [] },
  { name: 'cache_page', kinds: [] },
  { name: 'api_view', kinds: [] },
  { name: 'swag_from', kinds: [] },
];

/**
 * Record access in a Python handler (SOC2-008 object-level checks): ORM calls that load, change or delete one
 * record, request data sources, and signs that the current user constrains the query.
 */
export const RECORD_READ_CALL =
  /((?:[\w.]+\.)?(?:get|get_or_404|first_or_404|one_or_404|filter_by|filter|find_one|find_by_id|get_by_id|get_object_or_404|get_or_none|fetch_one|scalar|exists))\(/g;
/** Cheap pre-filter for RECORD_READ_CALL (one scan of the body instead of a line-by-line read). */
export const RECORD_READ_HINT =
  /(?:get|get_or_404|first_or_404|one_or_404|filter_by|filter|find_one|find_by_id|get_by_id|get_object_or_404|get_or_none|fetch_one|scalar|exists)\(/;
export const RECORD_READ_SAMPLES = {
  match: [
    'Note.query.get_or_404(note_id)',
    'get_object_or_404(Post, pk=pk)',
    'Order.objects.get(pk=order_id)',
    'db.session.get(Item, item_id)',
    'Invoice.objects.filter(id=pk)',
  ],
  noMatch: ['print(note_id)', 'len(items)'],
};

/** Where request data comes from in Flask, Django, DRF and Starlette/FastAPI. */
export const REQUEST_SOURCES: ReadonlyArray<{ source: 'query' | 'body'; pattern: RegExp; match: string[]; noMatch: string[] }> = [
  {
    source: 'query',
    pattern: /\brequest\.(?:args|GET|query_params)\b/,
    match: ["request.args.get('id')", "request.GET['pk']", 'request.query_params.get("id")'],
    noMatch: ['request.user', 'args.get("x")'],
  },
  {
    source: 'body',
    pattern: /\brequest\.(?:json|form|POST|data|values|get_json\(\))/,
    match: ["request.json['id']", "request.form.get('note_id')", "request.POST['pk']", 'request.data.get("id")', 'request.get_json()["id"]'],
    noMatch: ['request.method', 'request.user.id'],
  },
];

/** The current user constrains a query (`filter_by(owner_id=current_user.id)`, `request.user.notes.get(…)`). */
export const OWNER_CONSTRAINT =
  /\b(?:owner|owner_id|user|user_id|author|author_id|created_by|created_by_id|account|account_id)\s*=\s*(?:self\.)?(?:request\.user|current_user|g\.user|user)\b|(?:==|!=)\s*(?:self\.)?(?:request\.user|current_user|g\.user)\b|\b(?:request\.user|current_user|g\.user)(?:\.id)?\s*(?:==|!=)|\b(?:request\.user|current_user|g\.user)\.\w+(?:_set)?\.(?:filter|get|all|filter_by)\(/;
export const OWNER_CONSTRAINT_SAMPLES = {
  match: [
    'if note.owner_id != current_user.id:',
    'queryset.filter(owner=self.request.user)',
    'Note.query.filter_by(id=note_id, owner_id=current_user.id)',
    'get_object_or_404(Post, pk=pk, author=request.user)',
    'request.user.orders.get(pk=pk)',
    'select(Item).where(Item.owner_id == current_user.id)',
  ],
  noMatch: ['Note.query.get_or_404(note_id)', 'user = User.query.get(user_id)'],
};

/**
 * A webhook handler that checks the sender's signature: HMAC comparison, a provider SDK's verifier, or a verifier
 * handed the raw body (`wh.verify(raw_body, headers)`, standardwebhooks/svix).
 */
export const SIGNATURE_CHECK =
  /\bhmac\.compare_digest\(|\bconstruct_event\(|\b_?verify_signature\(|\b_?verify_webhook\(|\bWebhook\.verify\(|\b_?validate_signature\(|\.verify\(\s*(?:raw_body|raw_payload|body|payload|request\.body)\b/;
export const SIGNATURE_CHECK_SAMPLES = {
  match: [
    'hmac.compare_digest(expected, sig)',
    'stripe.Webhook.construct_event(payload, sig, secret)',
    'return wh.verify(raw_body, headers)',
    '_verify_webhook(body)',
  ],
  noMatch: ['serializer.verify(data)', 'verify(user)', 'token.verify()'],
};

/**
 * A decorator's wrapper that sends an anonymous caller to the sign-in page (`redirect(url_for("auth.login",
 * next=…))`, `redirect_to_login(…)`): read only in a wrapper that calls the wrapped view (`f(*args, **kwargs)`),
 * where it is the rejection branch; a view that redirects to the login page after a sign-up is no check.
 */
export const LOGIN_REDIRECT = /\bredirect\(\s*(?:url_for\(\s*)?['"][\w./-]*\b(?:login|signin|sign_in)\b|\bredirect_to_login\(|\blogin_manager\.unauthorized\(/;
export const LOGIN_REDIRECT_SAMPLES = {
  match: ['return redirect(url_for("auth.login", next=request.full_path))', "return redirect('/login')", 'return redirect_to_login(request.get_full_path())'],
  noMatch: ['return redirect(url_for("index"))', "return redirect('/logout')"],
};
/** A decorator's wrapper: it calls the view it wraps with the view's arguments. */
export const DECORATOR_WRAPPER = /\b\w+\(\s*\*args\s*,\s*\*\*kwargs\s*\)/;
