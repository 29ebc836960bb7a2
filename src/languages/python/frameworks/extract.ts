import type { PyNode as Node } from '../syntax.js';
import type { PyFeatureInput } from '../feature-input.js';
import { codeChildren, compact, nodeRange, unwrapParens } from '../ast.js';
import { decodeLiteral } from '../string-literal.js';
import { BODY_CHECK_HINT, BODY_CHECKS, DECORATOR_WRAPPER, LOGIN_REDIRECT, type BodyCheck } from '../tables/guards.js';
import type { Range } from '../../../model/facts.js';
import { readHandlerFacts } from './handler-facts.js';
import type { PyAssignment, PyBodyCheck, PyCall, PyClass, PyFunction, PyParam, PyRouteFacts, PyValue } from '../../../model/py-routes.js';

/**
 * Account or event state a 403 may answer (an unverified e-mail, no team yet, a CTF not running): the caller is
 * refused for the state of their account, not for a missing role or permission (CTFd's `@require_verified_emails`,
 * `@require_team`, `@during_ctf_time_only`).
 */
export const ACCOUNT_STATE =
  /\b(?:is_verified|verified|is_confirmed|confirmed|email_confirmed|is_active|get_current_team|current_team|team\s+is\s+None|is_teams_mode|ctftime|ctf_started|ctf_ended|ctf_paused|has_started|has_ended|is_open)\b/;
export const ACCOUNT_STATE_SAMPLES = {
  match: ['current_user.is_verified() is False', 'if team is None:', 'if ctftime() or current_user.is_admin():', 'if not user.email_confirmed:'],
  noMatch: ["if current_user.role != 'admin':", 'if not current_user.is_superuser:', 'if item.owner_id != current_user.id:'],
};

/** Calls worth recording, by the last segment of the callee (constructors, mounting, hooks, middleware). */
const INTERESTING_CALLS = new Set([
  'FastAPI',
  'APIRouter',
  'include_router',
  'add_api_route',
  'add_middleware',
  'Flask',
  'Blueprint',
  'register_blueprint',
  'add_url_rule',
  'before_request',
  'before_app_request',
  'Limiter',
  'init_app',
  'DefaultRouter',
  'SimpleRouter',
  'ExtendedSimpleRouter',
  'NestedSimpleRouter',
  'NestedDefaultRouter',
  'register',
  'Api',
  'Namespace',
  'namespace',
  'add_namespace',
  'add_resource',
]);

/** Module-level names recorded whatever their value (Django settings and URL confs). */
const MODULE_NAMES = new Set(['urlpatterns', 'REST_FRAMEWORK', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'ROOT_URLCONF', 'INSTALLED_APPS']);

/** Class attributes that decide how a view is guarded or routed. */
const CLASS_ATTRS = new Set([
  'permission_classes',
  'throttle_classes',
  'authentication_classes',
  'http_method_names',
  'permission_required',
  'decorators',
  'method_decorators',
  'methods',
  'lookup_field',
  'lookup_url_kwarg',
]);

const NODE_TYPES = ['decorated_definition', 'function_definition', 'class_definition', 'call', 'assignment', 'augmented_assignment'];
const NODE_TYPES_NO_CALLS = NODE_TYPES.filter((t) => t !== 'call');

/** Call nodes are the most numerous: query them only when an INTERESTING_CALLS name is followed by `(`. */
const INTERESTING_CALL_TEXT = new RegExp(`\\b(?:${[...INTERESTING_CALLS].join('|')}|\\w+_routers?)\\s*\\(`);

/** A project helper that mounts routers on an app (`add_versioned_routers(app, router)`, `include_routers(app)`). */
const ROUTER_HELPER = /^\w+_routers?$/;

/** A list that holds URL patterns under another name (`api_patterns = [path(…)]`, included elsewhere). */
const URL_LIST = /\b(?:re_path|path|url)\(/;

/** `return Checker(…)`, `return await make(…)`, `return dependency` (the name returned or called). */
const RETURNED_NAME = /\breturn\s+(?:await\s+)?([A-Za-z_]\w*)\s*(?:\(|$)/gm;

/** `if Anonymous in self.allowed_subjects:` followed by `return`: an allow-list that lets the named value through. */
const ALLOW_LIST_PASS = /\bif\s+([A-Za-z_][\w.]*)\s+in\s+[\w.]+\s*:\s*\n\s*return\b/g;

const CALLEE_HEAD = /^([A-Za-z_][\w.]*)\s*\(/;

/** Summaries deeper than this keep only their text (enough for `include_router(x, dependencies=[Depends(f)])`). */
const MAX_DEPTH = 8;

/** `NAME = (Async)SlackRequestHandler(app)`: slack_bolt's adapter, which checks Slack's request signature before any listener runs. */
const SLACK_BOLT_HANDLER = /^(\w+)\s*=\s*(?:\w+\.)*(?:Async)?SlackRequestHandler\(/gm;

class RouteFactsExtractor {
  readonly facts: PyRouteFacts = { functions: [], classes: [], calls: [], assignments: [] };
  private readonly decoratorsOf = new Map<number, { values: PyValue[]; ranges: Range[] }>();
  private readonly returned = new Map<PyFunction, string[]>();

  constructor(private readonly source: string) {}

  /** Names bound to a slack_bolt request handler in this file (`APP_HANDLER = AsyncSlackRequestHandler(app)`), read once. */
  private boltHandlers?: string[];
  private get slackBoltHandlers(): string[] {
    this.boltHandlers ??= [...this.source.matchAll(SLACK_BOLT_HANDLER)].map((m) => m[1]!);
    return this.boltHandlers;
  }

  private text(node: Node): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  summarize(input: Node, depth = 0): PyValue {
    let node = unwrapParens(input) ?? input;
    // Annotations: `type` wraps the expression; `Annotated[T, Depends(f)]` is a `generic_type`.
    while (node.type === 'type' && node.namedChildCount === 1) node = node.firstNamedChild!;
    const text = compact(this.text(node));
    const value: PyValue = { text };
    if (depth > MAX_DEPTH) return value;
    switch (node.type) {
      case 'string': {
        const decoded = decodeLiteral(text);
        if (decoded !== null) value.str = decoded;
        break;
      }
      case 'concatenated_string': {
        const parts = node.namedChildren.filter((c): c is Node => c?.type === 'string').map((c) => decodeLiteral(this.text(c)));
        if (parts.every((p) => p !== null)) value.str = parts.join('');
        break;
      }
      case 'identifier':
      case 'attribute':
        if (/^[A-Za-z_][\w.]*$/.test(text)) value.dotted = text;
        break;
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        value.items = this.children(node).map((c) => this.summarize(c, depth + 1));
        break;
      case 'binary_operator': {
        // `[a] + [b]`: one list (urlpatterns built from parts).
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (node.childForFieldName('operator')?.type === '+' && left && right) {
          const l = this.summarize(left, depth);
          const r = this.summarize(right, depth);
          value.items = [...(l.items ?? [l]), ...(r.items ?? [r])];
        }
        break;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (!fn) break;
        const call: NonNullable<PyValue['call']> = { callee: compact(this.text(fn)), args: [], kwargs: {} };
        if (args?.type === 'argument_list') {
          for (const arg of this.children(args)) {
            if (arg.type === 'keyword_argument') {
              const name = arg.childForFieldName('name');
              const v = arg.childForFieldName('value');
              if (name && v) call.kwargs[this.text(name)] = this.summarize(v, depth + 1);
            } else call.args.push(this.summarize(arg, depth + 1));
          }
        }
        value.call = call;
        break;
      }
      case 'subscript': {
        const v = node.childForFieldName('value');
        if (v)
          value.subscript = {
            value: compact(this.text(v)),
            items: node
              .childrenForFieldName('subscript')
              .filter((c): c is Node => c !== null)
              .map((c) => this.summarize(c, depth + 1)),
          };
        break;
      }
      case 'generic_type': {
        const [name, params] = this.children(node);
        if (name && params?.type === 'type_parameter')
          value.subscript = { value: compact(this.text(name)), items: this.children(params).map((c) => this.summarize(c, depth + 1)) };
        break;
      }
      case 'dictionary': {
        const dict: Record<string, PyValue> = {};
        for (const pair of this.children(node)) {
          if (pair.type !== 'pair') continue;
          const k = pair.childForFieldName('key');
          const v = pair.childForFieldName('value');
          const key = k ? decodeLiteral(this.text(k)) : null;
          if (key !== null && v) dict[key] = this.summarize(v, depth + 1);
        }
        value.dict = dict;
        break;
      }
    }
    return value;
  }

  private children(node: Node): readonly Node[] {
    return codeChildren(node);
  }

  /** One native query for every node type read, in pre-order; a stack of class/function ends gives the scope. */
  walk(root: Node): void {
    const scopes: Array<{ end: number; kind: 'class' | 'function'; name: string; topLevel: boolean }> = [];
    for (const node of root.descendantsOfType(INTERESTING_CALL_TEXT.test(this.source) ? NODE_TYPES : NODE_TYPES_NO_CALLS)) {
      if (!node) continue;
      const start = node.startIndex;
      while (scopes.length > 0 && scopes[scopes.length - 1]!.end <= start) scopes.pop();
      const scope = scopes[scopes.length - 1];
      switch (node.type) {
        case 'decorated_definition': {
          const definition = node.childForFieldName('definition');
          const decorators = this.children(node).filter((c) => c.type === 'decorator');
          if (definition)
            this.decoratorsOf.set(definition.startIndex, {
              values: decorators.map((d) => this.summarize(this.children(d)[0] ?? d)),
              ranges: decorators.map(nodeRange),
            });
          break;
        }
        case 'function_definition': {
          const fn = this.functionDefinition(node, scope);
          this.facts.functions.push(fn);
          scopes.push({ end: node.endIndex, kind: 'function', name: fn.name, topLevel: false });
          break;
        }
        case 'class_definition': {
          const cls = this.classDefinition(node);
          if (scope?.kind === 'function') cls.enclosing = scope.name;
          this.facts.classes.push(cls);
          scopes.push({ end: node.endIndex, kind: 'class', name: cls.name, topLevel: !scope });
          break;
        }
        case 'call':
          this.call(node);
          break;
        case 'assignment':
        case 'augmented_assignment':
          this.assignment(node, scope);
          break;
      }
    }
    // What a function returns matters only when it is a class or function of this file (a dependency factory).
    const defined = new Set([...this.facts.classes.map((c) => c.name), ...this.facts.functions.map((f) => f.name)]);
    for (const [fn, names] of this.returned) {
      // A capitalised name is a class, imported or not (`return RateLimitMiddleware(app, …)`).
      const own = [...new Set(names.filter((n) => (defined.has(n) || /^[A-Z]/.test(n)) && n !== fn.name))];
      if (own.length > 0) fn.returns = own;
    }
  }

  private functionDefinition(node: Node, scope: { kind: 'class' | 'function'; name: string; topLevel: boolean } | undefined): PyFunction {
    const name = this.text(node.childForFieldName('name')!);
    const body = node.childForFieldName('body');
    // The body's text without comments, read by the body checks and the handler facts.
    const text = body ? stripComments(this.text(body)) : '';
    const fn: PyFunction = {
      name,
      topLevel: !scope || (scope.kind === 'class' && scope.topLevel),
      decorators: this.decoratorsOf.get(node.startIndex)?.values ?? [],
      decoratorRanges: this.decoratorsOf.get(node.startIndex)?.ranges ?? [],
      params: this.params(node.childForFieldName('parameters')),
      checks: body ? this.bodyChecks(body, text) : [],
      line: node.startPosition.row + 1,
      range: nodeRange(node),
    };
    if (body) {
      const handler = readHandlerFacts(text, fn.params, body.startPosition.row + 1, this.slackBoltHandlers);
      if (handler) fn.handler = handler;
      const returned = [...text.matchAll(RETURNED_NAME)].map((m) => m[1]!);
      if (returned.length > 0) this.returned.set(fn, returned);
      const passes = fn.checks.length > 0 ? [...new Set([...text.matchAll(ALLOW_LIST_PASS)].map((m) => m[1]!))] : [];
      if (passes.length > 0) fn.passes = passes;
    }
    if (scope?.kind === 'class') fn.className = scope.name;
    if (scope?.kind === 'class')
      this.facts.classes.find((c) => c.name === scope.name && c.range.start.line <= fn.line && c.range.end.line >= fn.line)?.methods.push(name);
    return fn;
  }

  private params(node: Node | null): PyParam[] {
    if (!node) return [];
    const out: PyParam[] = [];
    for (const p of this.children(node)) {
      let nameNode: Node | null = null;
      let type: Node | null = null;
      let value: Node | null = null;
      if (p.type === 'identifier') nameNode = p;
      else if (p.type === 'typed_parameter') {
        nameNode = this.children(p).find((c) => c.type === 'identifier') ?? null;
        type = p.childForFieldName('type');
      } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        nameNode = p.childForFieldName('name');
        type = p.childForFieldName('type');
        value = p.childForFieldName('value');
      }
      if (!nameNode) continue;
      const param: PyParam = { name: this.text(nameNode) };
      if (type) param.annotation = this.summarize(type);
      if (value) param.default = this.summarize(value);
      out.push(param);
    }
    return out;
  }

  /** Auth checks in a body, found by the BODY_CHECKS table over its text (comments removed, line kept). */
  private bodyChecks(body: Node, text: string): PyBodyCheck[] {
    if (!BODY_CHECK_HINT.test(text) && !DECORATOR_WRAPPER.test(text)) return [];
    const firstLine = body.startPosition.row + 1;
    const found: Array<{ check: BodyCheck; out: PyBodyCheck }> = [];
    for (const check of BODY_CHECKS) {
      const m = check.pattern.exec(text);
      if (m) found.push({ check, out: { kind: check.kind, name: checkLabel(m[0]), line: firstLine + countNewlines(text, m.index) } });
    }
    // A decorator's wrapper that calls the view or sends the caller to the sign-in page authenticates.
    const login = DECORATOR_WRAPPER.test(text) ? LOGIN_REDIRECT.exec(text) : null;
    if (login)
      found.push({
        check: LOGIN_REDIRECT_CHECK,
        out: { kind: 'authentication', name: checkLabel(login[0]), line: firstLine + countNewlines(text, login.index) },
      });
    // A 403 with no role or ownership check beside it, in a body that checks credentials, rejects an
    // unauthenticated caller (`if not token: return …, 403`; FastAPI's "Could not validate credentials").
    const authn = found.some((f) => f.check.kind === 'authentication');
    const authz = found.some((f) => f.check.kind === 'authorization' && !f.check.rejectsOnly);
    // A decorator's wrapper whose lone 403 answers account or event state (no role, permission or ownership check)
    // refuses an unverified e-mail, a user without a team or a closed event: neither authentication nor
    // authorisation. A view body keeps its 403 (CTFd's /files also refuses a bad signed token there).
    const stateOnly = !authn && !authz && DECORATOR_WRAPPER.test(text) && ACCOUNT_STATE.test(text);
    return found.flatMap(({ check, out }): PyBodyCheck[] => {
      if (stateOnly && check.rejectsOnly) return [];
      if (authn && !authz && check.rejectsOnly) return [{ ...out, kind: 'authentication' }];
      return check.impliesAuthentication ? [{ ...out, kind: 'authentication' }, out] : [out];
    });
  }

  private classDefinition(node: Node): PyClass {
    const supers = node.childForFieldName('superclasses');
    const cls: PyClass = {
      name: this.text(node.childForFieldName('name')!),
      bases: supers
        ? this.children(supers)
            .filter((c) => c.type !== 'keyword_argument')
            .map((c) => this.summarize(c))
        : [],
      decorators: this.decoratorsOf.get(node.startIndex)?.values ?? [],
      attrs: {},
      methods: [],
      line: node.startPosition.row + 1,
      range: nodeRange(node),
    };
    const body = node.childForFieldName('body');
    for (const statement of body ? this.children(body) : []) {
      const assignment = statement.type === 'expression_statement' ? this.children(statement)[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier' && right && CLASS_ATTRS.has(this.text(left))) cls.attrs[this.text(left)] = this.summarize(right);
    }
    return cls;
  }

  private call(node: Node): void {
    const head = CALLEE_HEAD.exec(this.source.slice(node.startIndex, node.startIndex + 160));
    if (!head) return;
    const last = head[1]!.slice(head[1]!.lastIndexOf('.') + 1);
    if (!INTERESTING_CALLS.has(last) && !ROUTER_HELPER.test(last)) return;
    const summary = this.summarize(node);
    if (!summary.call) return;
    const call: PyCall = { ...summary.call, line: node.startPosition.row + 1, range: nodeRange(node) };
    const parent = node.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('right')?.startIndex === node.startIndex) {
      const left = parent.childForFieldName('left');
      if (left && (left.type === 'identifier' || left.type === 'attribute')) call.assignedTo = this.text(left);
    }
    this.facts.calls.push(call);
  }

  private assignment(node: Node, scope: { kind: 'class' | 'function' } | undefined): void {
    if (scope) return;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) return;
    const name = this.text(left);
    const r = unwrapParens(right) ?? right;
    const urlList = (r.type === 'list' || r.type === 'binary_operator') && URL_LIST.test(this.text(r));
    // A list of middleware instances (`gql_middlew = [middleware.AuthMiddleware()]`), for `GraphQLView.as_view(middleware=…)`.
    const middlewareList = r.type === 'list' && /Middleware\w*\s*\(/.test(this.text(r));
    if (!MODULE_NAMES.has(name) && r.type !== 'subscript' && r.type !== 'call' && !urlList && !middlewareList) return;
    const value = this.summarize(r);
    const assignment: PyAssignment = { name, value, augmented: node.type === 'augmented_assignment', line: node.startPosition.row + 1, range: nodeRange(node) };
    if (value.items) assignment.itemRanges = this.listItemRanges(r);
    this.facts.assignments.push(assignment);
  }

  private listItemRanges(node: Node): PyAssignment['itemRanges'] {
    const n = unwrapParens(node) ?? node;
    if (n.type === 'binary_operator') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      return [...(left ? this.listItemRanges(left)! : []), ...(right ? this.listItemRanges(right)! : [])];
    }
    if (n.type === 'list' || n.type === 'tuple') return this.children(n).map(nodeRange);
    return [nodeRange(n)];
  }
}

const LOGIN_REDIRECT_CHECK: BodyCheck = { kind: 'authentication', name: 'redirect to sign-in', pattern: LOGIN_REDIRECT, match: [], noMatch: [] };

/** The matched text as a guard name: one line, an opened call closed (`abort(401` → `abort(401)`). */
function checkLabel(matched: string): string {
  // A multi-line check (`if … is_authenticated:` … `else: return redirect('login')`) is named by its first line.
  const text = compact(matched.split('\n')[0]!).trim().replace(/^\.+/, '');
  const open = text.split('(').length - text.split(')').length;
  return open > 0 ? text + ')'.repeat(open) : text;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Files that never name a web framework, a Django setting, `request` or a route-like decorator (a routes module
 * that imports its blueprint from the package) hold nothing the resolvers read: skipping them keeps this
 * feature's cost on web code only.
 */
const WEB_MARKERS =
  /\b(?:fastapi|flask|flask_graphql|graphql_server|flask_restx|flask_restplus|flask_restful|django|rest_framework|starlette|slowapi|urlpatterns|APIRouter|Blueprint|Depends|Security|INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE|REST_FRAMEWORK|request|include_router|ratelimit|RateLimitMiddleware)\b|@[\w.]+\.(?:route|get|post|put|patch|delete|api_route|before_request|before_app_request|middleware)\b/;

/** Feature extractor: fills `facts.pyRoutes` when the file has anything a Python web framework could use. */
export function extractPythonRouteFacts({ root, text, facts }: PyFeatureInput): void {
  if (!WEB_MARKERS.test(text)) return;
  const extractor = new RouteFactsExtractor(text);
  extractor.walk(root);
  const f = extractor.facts;
  // A handler that calls a helper of this file which verifies a webhook signature verifies it too.
  const verifiers = new Set(f.functions.filter((fn) => fn.handler?.verifiesSignature).map((fn) => fn.name));
  if (verifiers.size > 0) for (const fn of f.functions) if (fn.handler?.helperCalls?.some((c) => verifiers.has(c))) fn.handler.verifiesSignature = true;
  if (f.calls.length > 0 || f.assignments.length > 0 || f.classes.length > 0 || f.functions.length > 0) facts.pyRoutes = f;
}

/** Text with every `#` to the end of its line removed (a `#` inside a string too: the body checks read text). */
function stripComments(text: string): string {
  return text.includes('#') ? text.replace(/#[^\n]*/g, '') : text;
}
