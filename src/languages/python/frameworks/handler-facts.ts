import { OWNER_CONSTRAINT, RECORD_READ_CALL, RECORD_READ_HINT, REQUEST_SOURCES, SIGNATURE_CHECK } from '../tables/guards.js';
import type { HandlerSignal } from '../../../model/endpoints.js';
import type { PyHandlerFacts, PyParam } from '../../../model/py-routes.js';
import { CAPTCHA_CHECK, TOKEN_CHECK, capabilityNamesIn } from '../../../model/endpoint-public.js';

/**
 * Parameters that are never a lookup key from the request, so a finding never says "loads a record by
 * `db_session`": the instance, the request and response objects, database sessions and connections,
 * injected services and repositories, and the current user. Tested against the parameter's name and its
 * annotation (`db: SessionDep`, `svc: Annotated[NoteService, Depends()]`, `request: Request`).
 */
export const NOT_REQUEST_PARAM = {
  name: /^(?:self|cls|args|kwargs|format|background_tasks|current_user|user|me|ctx|context|settings|config|logger|cache|redis|uow|unit_of_work)$|(?:^|_)(?:request|req|response|resp|res|db|database|session|sess|conn|connection|cursor|engine|transaction|tx|service|svc|services|repo|repository|dao|manager|client|gateway)$/i,
  annotation:
    /\b(?:Depends|Security|Session|AsyncSession|sessionmaker|Connection|AsyncConnection|Engine|Cursor|Request|HttpRequest|Response|HttpResponse|WebSocket|HTTPConnection|BackgroundTasks)\b|[a-z](?:Dep|Deps|Dependency|Service|Repository|Repo|Client|Session|Connection|Manager)\b|\b(?:Current|Auth|Authenticated|Active|Logged)\w*User\b/,
  must: [
    'db_session',
    'db',
    'session: Session',
    'request: Request',
    'req: Request',
    'self',
    'note_service',
    'orders_repo',
    'svc: Annotated[NoteService, Depends()]',
    'current: CurrentUser',
    's: SessionDep',
    'conn',
    'async_session: AsyncSession',
    'uow',
  ],
  mustNot: [
    'order_id: int',
    'pk',
    'note_id',
    'slug: str',
    'item_id: uuid.UUID',
    'id',
    'session_id: str',
    'request_id: int',
    'user_id',
    'db_id',
    'username: str',
    'service_id',
    'body: OrderRequest',
    'data: UpdateOrderRequest',
  ],
};

/** FastAPI parameter functions whose value comes from the request (`order_id: int = Path(gt=0)`). */
const REQUEST_PARAM_DEFAULT = /^(?:fastapi\.)?(?:Path|Query|Body|Form|Header|Cookie)$/;

/** A lookup key's name looks like one: `id`, `order_id`, `pk`, `slug`, `uuid`. Preferred when a call takes several inputs. */
const KEY_NAME = /^(?:id|pk|slug|uuid|key)$|_(?:id|pk|slug|uuid|key)$|[a-z](?:Id|Pk|Uuid)$/;

/** True when the parameter (`name: annotation`) is a request value, not an object the framework injects. */
export function isRequestParam(p: PyParam): boolean {
  if (NOT_REQUEST_PARAM.name.test(p.name)) return false;
  if (p.annotation && NOT_REQUEST_PARAM.annotation.test(p.annotation.text)) return false;
  if (p.default?.call && !REQUEST_PARAM_DEFAULT.test(p.default.call.callee)) return false;
  return true;
}

const RANK = { read: 0, update: 1, delete: 2 } as const;

/**
 * What a handler body does with an identifier from the request: the most destructive record access whose
 * lookup uses a parameter (path/query) or request data, whether the current user constrains it, and
 * whether it verifies a webhook signature. Text-based over the body (comments removed).
 */
export function readHandlerFacts(body: string, params: PyParam[], firstLine: number, boltHandlers: readonly string[] = []): PyHandlerFacts | undefined {
  let facts = readRecordFacts(body, params, firstLine);
  // Handing the request to a slack_bolt adapter (`return await APP_HANDLER.handle(req)`) verifies Slack's signature.
  if (boltHandlers.some((h) => new RegExp(`\\b${h}\\.handle\\(`).test(body))) facts = { ...(facts ?? { ownership: false }), verifiesSignature: true };
  const extra = publicSignals(body, params, firstLine);
  if (!facts && !extra) return undefined;
  return { ...(facts ?? { ownership: false, verifiesSignature: false }), ...extra };
}

const REDIRECT = /\b(?:redirect|HttpResponseRedirect|HttpResponsePermanentRedirect|RedirectResponse)\(/;
const WRITES = /\.(?:save|delete|create|update|commit|add|insert|execute)\(/;
/** Helpers a webhook handler calls to check the sender (`verify_slack_request`, `validate_signature`, `check_hmac`). */
const HELPER_CALL = /\b((?:_?\w*(?:verif|valid|signature|signed|hmac|check_sig)\w*))\(/gi;

/** What makes a handler public by design (a redirect-only body, a CAPTCHA check, a capability token it uses). */
function publicSignals(body: string, params: PyParam[], firstLine: number): PublicSignals | undefined {
  const out: PublicSignals = {};
  const signals: HandlerSignal[] = [];
  const lines = body
    .replace(/("""|\'\'\')[\s\S]*?\1/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const returns = lines.filter((l) => /^return\b/.test(l));
  if (returns.length > 0 && lines.length <= 6 && returns.every((l) => REDIRECT.test(l)) && !WRITES.test(body)) signals.push('redirect');
  if (CAPTCHA_CHECK.test(body)) signals.push('captcha');
  if (TOKEN_CHECK.test(body)) signals.push('token-check');
  // Nothing but `return "Bot is running!"` / `return {"status": "ok"}`: the answer is a constant, nothing is read.
  const code = lines.filter((l) => !l.startsWith('#'));
  if (code.length === 1 && CONSTANT_RETURN.test(code[0]!)) signals.push('constant');
  if (code.length === 1 && STATIC_PAGE.test(code[0]!)) signals.push('static-page');
  // `return send_from_directory(UPLOAD_DIR, filename)`: a file from a fixed folder, the folder's static assets.
  if (code.length <= 2 && code.some((l) => STATIC_FILE.test(l)) && !WRITES.test(body)) signals.push('static-file');
  // The whole view under `if not config.is_setup():` (else 403 or a redirect): a first-run wizard.
  if (FIRST_RUN.test(code.find((l) => /^if\b/.test(l)) ?? '')) signals.push('first-run-setup');
  if (signals.length > 0) out.signals = signals;
  const names = capabilityNamesIn(body);
  if (names.length > 0) out.capabilityNames = names;
  const helpers = new Set<string>();
  for (const m of body.matchAll(HELPER_CALL)) if (helpers.size < 8) helpers.add(m[1]!);
  if (helpers.size > 0) out.helperCalls = [...helpers].sort();
  const authz = clientAuthz(body.includes('#') ? body.replace(/#[^\n]*/g, '') : body, firstLine);
  if (authz) out.clientAuthz = authz;
  const credential = credentialInput(body, params);
  if (credential) out.credentialInput = credential;
  const doc = DOCSTRING.exec(body)?.[2];
  const declared = doc ? NO_AUTH_NEEDED.exec(doc) : null;
  if (declared) out.documentedPublic = sentenceAround(doc!, declared.index);
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `return "Bot is running!"`, `return PlainTextResponse('pong')`: a constant text answer (a keep-alive page). A
 * JSON literal (`return {"ok": True}`) is not taken: a stub body is no proof the route does nothing.
 */
export const CONSTANT_RETURN = /^return\s+(?:\w*Response\(\s*)?(?:"[^"\\{}]*"|'[^'\\{}]*')\s*(?:,\s*(?:status(?:_code)?\s*=\s*)?\d+\s*)?\)?$/;
export const CONSTANT_RETURN_SAMPLES = {
  must: ['return "Bot is running!"', "return PlainTextResponse('pong')", 'return "OK", 200'],
  mustNot: ['return {"status": "ok"}', 'return render_template("x.html")', 'return f"hello {name}"', 'return request.args'],
};
/**
 * `return render_template("about.html")`, `render_template("paste.html", page="create")`, `render(request,
 * "about.html")`: a template given no data (keyword arguments only with literal text).
 */
export const STATIC_PAGE =
  /^return\s+(?:render_template|render)\(\s*(?:request\s*,\s*)?(?:"[^"{}]*"|'[^'{}]*')(?:\s*,\s*\w+\s*=\s*(?:"[^"{}]*"|'[^'{}]*'))*\s*\)$/;

/** Flask's `send_from_directory(DIR, name)` joins safely under a fixed folder. */
const STATIC_FILE = /^return\s+(?:flask\.)?send_from_directory\(/;
/** The first statement is `if not config.is_setup():` / `if not is_installed():` (the app is not set up yet). */
const FIRST_RUN = /^if\s+not\s+[\w.]*(?:is_setup|is_installed|setup_complete|is_configured|installed)\(\)\s*:/;

type PublicSignals = Pick<PyHandlerFacts, 'signals' | 'capabilityNames' | 'helperCalls' | 'credentialInput' | 'documentedPublic' | 'clientAuthz'>;

/** A request value whose name says it is a secret the client holds: `token`, `invitation_token`, `client_secret`, `otp`. */
const CREDENTIAL_NAME = /^(?:\w+_)?(?:token|secret|signature|nonce|otp)$/i;
/** A call that checks or redeems such a secret: `verify`, `check_token`, `claim_seat`, `consume`, `unsign`. */
const CHECK_VERB = 'verify|check|validate|claim|redeem|consume|confirm|accept|activate|unsign|authenticate|exchange';
const CREDENTIAL_CHECK_CALL = new RegExp(`^(?:${CHECK_VERB})|_(?:${CHECK_VERB})(?:_|$)`, 'i');
export const CREDENTIAL_INPUT_SAMPLES = {
  match: [
    { body: 'valid = await svc.check_token(session, token)', params: ['token'] },
    { body: 'customer = await svc.verify(session, body.token)', params: ['body'] },
    { body: 'seat = await seat_service.claim_seat(session, seat_claim.invitation_token, meta)', params: ['seat_claim'] },
  ],
  noMatch: [
    { body: 'device.push_token = body.push_token\nsession.add(device)', params: ['body'] },
    { body: 'return svc.get(session, id)', params: ['id'] },
    { body: 'token = create_token(user)\nverify(user)', params: ['user_id'] },
  ],
};

/**
 * A secret the client sends (a query/body parameter, or a field of the request body) handed to a check: the
 * credential the caller presents (an e-mail change token, an invitation token), so the route needs no session.
 */
export function credentialInput(body: string, params: PyParam[]): PyHandlerFacts['credentialInput'] | undefined {
  const inputs = params.filter((p) => isRequestParam(p)).map((p) => p.name);
  const direct = inputs.filter((n) => CREDENTIAL_NAME.test(n));
  for (const m of body.matchAll(/\b([\w.]*\w)\(/g)) {
    const callee = m[1]!;
    if (!CREDENTIAL_CHECK_CALL.test(callee.slice(callee.lastIndexOf('.') + 1))) continue;
    const args = argumentText(body, m.index + m[0].length);
    const name =
      direct.find((n) => new RegExp(`(?<![.\\w])${escape(n)}\\b`).test(args)) ??
      inputs
        .flatMap((n) => [...args.matchAll(new RegExp(`\\b${escape(n)}\\.(\\w+)`, 'g'))].map((a) => a[0]))
        .find((a) => CREDENTIAL_NAME.test(a.slice(a.indexOf('.') + 1)));
    if (name) return { name, call: callee };
  }
  return undefined;
}

/** A function's docstring: the string that opens its body. */
const DOCSTRING = /^\s*[rRuU]?("""|''')([\s\S]*?)\1/;
/** A docstring that says the endpoint needs no authentication ("This endpoint doesn't require authentication"). */
const NO_AUTH_NEEDED =
  /\b(?:does\s*n[o']t|do\s+not|never)\s+(?:require|need)s?\s+(?:any\s+)?auth(?:entication|orization)?\b|\bno\s+auth(?:entication)?\s+(?:is\s+)?(?:required|needed)\b|\b(?:requires|needs)\s+no\s+auth(?:entication)?\b/i;
export const NO_AUTH_NEEDED_SAMPLES = {
  match: [
    "This endpoint doesn't require authentication and can be used on a public client.",
    'No auth required: the token is the proof.',
    'Needs no authentication.',
  ],
  noMatch: ['Requires authentication.', 'Returns 401 when the token is missing.', 'Only the authenticated customer may call it.'],
};
export function declaresNoAuth(text: string): boolean {
  return NO_AUTH_NEEDED.test(text);
}

/** The sentence of `text` around `index`, on one line, at most 160 characters. */
function sentenceAround(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf('.', index) + 1, 0);
  const end = text.indexOf('.', index);
  return text
    .slice(start, end === -1 ? undefined : end + 1)
    .replace(/[>\s]+/g, ' ')
    .trim()
    .slice(0, 160);
}

function readRecordFacts(body: string, params: PyParam[], firstLine: number): PyHandlerFacts | undefined {
  if (!RECORD_READ_HINT.test(body)) {
    const ownership = OWNER_CONSTRAINT.test(body);
    const verifiesSignature = SIGNATURE_CHECK.test(body);
    return ownership || verifiesSignature ? { ownership, verifiesSignature } : undefined;
  }
  const inputs = new Map<string, 'param' | 'query' | 'body'>();
  for (const p of params) if (isRequestParam(p)) inputs.set(p.name, 'param');
  const lines = body.split('\n');
  const records = new Map<string, { call: string; name: string }>();
  const principals = params.map((p) => p.name).filter((n) => PRINCIPAL_PARAM.test(n));
  let scopedByCaller = false;
  let access: PyHandlerFacts['access'];
  const note = (op: 'read' | 'update' | 'delete', call: string, name: string, index: number) => {
    if (!access || RANK[op] > RANK[access.op]) access = { op, call, name, origin: inputs.get(name)!, line: firstLine + index };
  };
  lines.forEach((line, index) => {
    const assigned = /^\s*(\w+)\s*=\s*(.+)$/.exec(line);
    if (assigned) for (const s of REQUEST_SOURCES) if (s.pattern.test(assigned[2]!)) inputs.set(assigned[1]!, s.source);
    for (const m of line.matchAll(RECORD_READ_CALL)) {
      const args = argumentText(line, m.index + m[0].length);
      const used = [...inputs.keys()].filter((n) => new RegExp(`\\b${escape(n)}\\b`).test(args));
      const name = used.find((n) => KEY_NAME.test(n)) ?? used[0];
      if (!name || /request\.(?:args|GET|POST|form|data|json|query_params)\.get$/.test(m[1]!)) continue;
      // `order_service.get(session, auth_subject, id)`: the caller is handed to the lookup, which scopes by it.
      if (principals.some((n) => new RegExp(`\\b${escape(n)}\\b`).test(args))) scopedByCaller = true;
      const rest = line.slice(m.index);
      const op = /\.delete\(/.test(rest) ? 'delete' : /\.update\(/.test(rest) ? 'update' : 'read';
      note(op, m[1]!, name, index);
      if (assigned && op === 'read') records.set(assigned[1]!, { call: m[1]!, name });
    }
    for (const [variable, record] of records) {
      const v = escape(variable);
      if (new RegExp(`\\b(?:delete|remove)\\(\\s*${v}\\s*\\)|\\b${v}\\.delete\\(`).test(line)) note('delete', record.call, record.name, index);
      else if (new RegExp(`^\\s*${v}\\.\\w+\\s*=[^=]|\\b${v}\\.(?:update|save)\\(|setattr\\(\\s*${v}\\b`).test(line))
        note('update', record.call, record.name, index);
    }
  });
  const ownership = scopedByCaller || OWNER_CONSTRAINT.test(body);
  const verifiesSignature = SIGNATURE_CHECK.test(body);
  if (!access && !ownership && !verifiesSignature) return undefined;
  const facts: PyHandlerFacts = { ownership, verifiesSignature };
  if (access) facts.access = access;
  return facts;
}

/** A handler parameter that holds the authenticated caller (`auth_subject: auth.OrdersRead`, `current_user: CurrentUser`). */
const PRINCIPAL_PARAM = /^(?:auth_subject|subject|principal|current_user|current_account|auth_user|identity|caller|actor)$/;

/** The text of a call's arguments from just after its `(` to the matching `)` on the same line. */
function argumentText(line: string, start: number): string {
  let depth = 1;
  for (let i = start; i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return line.slice(start, i);
  }
  return line.slice(start);
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Request data the client controls (cookies, headers, query and form values). */
const CLIENT_DATA = String.raw`request\.(?:COOKIES|cookies|headers|GET|POST|args|form|values|query_params|data|json|META)`;
/** `role = request.args.get('role'` / `key = request.headers['X-Key'`: a name bound to a client value (built once, not per line). */
const CLIENT_VALUE_ASSIGNED = new RegExp(String.raw`^\s*(\w+)\s*=\s*(${CLIENT_DATA}(?:\.get\(|\[)\s*['"][\w-]+['"])`);
/** A client value read in a condition, with the literal it is compared with, if any. */
const CLIENT_VALUE_COMPARED = new RegExp(String.raw`${CLIENT_DATA}(?:\.get\(|\[)\s*['"]([\w-]+)['"][^=!\n]*(?:[=!]=\s*['"]([^'"]*)['"])?`);
/** Words that name a role or privilege, in a key or in the value compared with. */
const PRIVILEGE_WORD = /admin|role|staff|superuser|privilege|permission|is_?root/i;
/** Cookies and headers: sent with every request, set by the client at will. */
const GATE_SOURCE = /^request\.(?:COOKIES|cookies|headers|META)\b/;
/** Keys whose value is a secret the server issued or checks (a token, key or signature): a credential, not a claim. */
const CREDENTIAL_KEY = /token|key|secret|signature|auth|csrf|nonce|session|password|otp/i;
/** A refusal of access in the body: `abort(403)`, `PermissionDenied`, or an error whose message says access is refused. */
const ACCESS_REFUSAL =
  /\babort\(\s*40[13]\b|\braise\s+[\w.]*(?:PermissionDenied|Forbidden)\b|\braise\s+[\w.]+\(\s*['"][^'"\n]*\b(?:access|denied|rejected|forbidden|not allowed|unauthori[sz]ed)\b/i;
/** A sign-in name or password compared with an admin value is a credential check, not a role the client claims. */
const IDENTITY_KEY = /^(?:user(?:_?name)?|login|email|e-mail|name|account|pass(?:word|wd)?|pwd|otp|code)$/i;
/** A role check on the server's own record of the user, joined by `and` to the condition (`is_admin() and …`, `current_user.is_admin and …`). */
const SERVER_ROLE =
  /(?:\b\w*(?:admin|staff|superuser|role|permission)\w*\s*\(|\b(?:current_user|request\.user|g\.user|self\.request\.user)\.\w*(?:admin|staff|superuser|role)\w*)[^\n]*\band\b|\band\b[^\n]*(?:\b(?:is|has)_\w*(?:admin|staff|superuser|role|permission)\w*\s*\(|\b(?:current_user|request\.user|g\.user)\.\w*(?:admin|staff|superuser|role)\w*)/;
export const CLIENT_AUTHZ_SAMPLES = {
  match: [
    'if request.COOKIES.get(\'admin\') == "1":\n    return render(request, "x", {"data": secret})',
    "host = request.headers.get('X-Host', 'None')\nif(host == 'admin.localhost:8000'):\n    return secret",
    "if request.args.get('role') == 'admin':\n    delete_all()",
    "cookie = request.cookies.get('env')\nif cookie and cookie == 'graphiql:enable':\n    return next(root, info)\nraise SecurityError('GraphiQL Access Rejected')",
  ],
  noMatch: [
    'if request.user.is_staff:\n    pass',
    "key = request.headers.get('X-Api-Key')\nif key == 'k':\n    return ok()\nabort(403)",
    "lang = request.cookies.get('lang')\nif lang == 'fr':\n    return fr()\nreturn en()",
    "role = request.POST.get('role')\nform.save()",
    "if request.GET.get('page') == '2':\n    pass",
    'username = request.POST["username"]\nif username == "admin" and password == "x":\n    pass',
    'password = request.POST["password"]\nif password == "admin_pass":\n    pass',
    "email = request.GET.get('email')\nif email == 'admin@example.com':\n    send()",
    'if is_admin() and request.args.get("view") == "admin":\n    rows = all_rows()',
    'if request.user.is_staff and request.GET.get("mode") == "admin":\n    pass',
  ],
};

/**
 * Authorisation decided from data the client controls: a condition on a cookie, header, query or form value
 * whose key, or the value it is compared with, names a role (`request.COOKIES.get('admin') == "1"`,
 * `request.headers.get('X-Host') == 'admin.localhost'`, `request.args.get('role') == 'admin'`).
 */
export function clientAuthz(body: string, firstLine: number): PyHandlerFacts['clientAuthz'] | undefined {
  // Both the direct read and the assigned one start with `request.` (CLIENT_DATA).
  if (!body.includes('request.')) return undefined;
  const vars = new Map<string, string>();
  const lines = body.split('\n');
  for (const [i, line] of lines.entries()) {
    const assigned = CLIENT_VALUE_ASSIGNED.exec(line);
    if (assigned) vars.set(assigned[1]!, assigned[2]!);
    const cond = /^\s*(?:if|elif)\b(.*)$/.exec(line)?.[1];
    if (!cond) continue;
    // `is_admin() and request.args.get("view") == "admin"`: the server decides the role, the client only picks a view.
    if (SERVER_ROLE.test(cond)) continue;
    const direct = CLIENT_VALUE_COMPARED.exec(cond);
    if (direct && !IDENTITY_KEY.test(direct[1]!) && (PRIVILEGE_WORD.test(direct[1]!) || PRIVILEGE_WORD.test(direct[2] ?? '')))
      return { what: direct[0].trim(), line: firstLine + i };
    for (const [v, source] of vars) {
      const m = new RegExp(String.raw`\b${v}\b\s*[=!]=\s*['"]([^'"]*)['"]`).exec(cond);
      const key = /['"]([\w-]+)['"]$/.exec(source)?.[1] ?? '';
      if (!m || IDENTITY_KEY.test(key)) continue;
      // A cookie or header compared with a fixed value that lets the caller through, in a body that otherwise
      // refuses access (DVGA's `env` cookie == 'graphiql:enable', else "GraphiQL Access Rejected").
      const gate = GATE_SOURCE.test(source) && !CREDENTIAL_KEY.test(key) && ACCESS_REFUSAL.test(body);
      if (PRIVILEGE_WORD.test(m[1]!) || gate) return { what: `${source}${source.includes('.get(') ? ')' : ']'} == '${m[1]}'`, line: firstLine + i };
    }
  }
  return undefined;
}
