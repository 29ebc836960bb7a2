import type { ErrorExposure } from '../../model/data-flow.js';
import type { ImportBinding } from '../../flow/summaries.js';
import {
  DEV_ONLY_CLASS,
  ERROR_RESPONSE_PY,
  PY_DEBUG_CALLS,
  PY_DEBUG_TOOLBARS,
  PY_TRACEBACK_CALLS,
  isClientErrorStatus,
  leakOfErrorMember,
} from '../../model/error-exposure.js';
import { PY_ROUTE_DECORATOR } from './tables/taint.js';
import { callArguments, codeChildren, compact, decoratorsOf, dottedParts, enclosingFunction, isTrue, nodeRange, parameterNames, unwrapParens } from './ast.js';
import { importBindings } from './imports.js';
import type { PyFeatureInput } from './feature-input.js';
import type { PyNode as Node } from './syntax.js';

/**
 * SOC2-007 facts for Python: the places where exception details reach a response (`return str(e), 500`,
 * `jsonify(error=traceback.format_exc())`, a Flask/FastAPI error handler) and where debug output is switched on
 * (`app.run(debug=True)`, `DEBUG = True` in settings, debug toolbars).
 */
export function extractPyErrorExposures(input: PyFeatureInput): void {
  extractPyErrorExposuresWith(input, true);
}

/** The SOC2-007 facts, with or without the gate (without: every file is walked; the tests compare both). */
export function extractPyErrorExposuresWith(input: PyFeatureInput, useGate: boolean): void {
  const { text, root } = input;
  // Each kind of fact is looked for only where its own gate lets it (pyErrorExposureMayApply is the two together).
  const kinds = useGate ? { debug: pyDebugModeMayApply(text, root), response: pyErrorResponseMayApply(text, root) } : { debug: true, response: true };
  if (!kinds.debug && !kinds.response) return;
  const exposures = findPyErrorExposures(root, input.path, importBindings(input.facts.imports), kinds);
  if (exposures.length > 0) input.facts.errorExposures = exposures;
}

/** `debug`, `Debug`, `DEBUG`: settings, keywords and attributes (`debug=True`, `DEBUG = True`, `config['DEBUG']`), the toolbars. */
const PY_DEBUG_WORD = /[dD](?:ebug|EBUG)/;
/** PY_DEBUG_TOOLBARS' names, as written or imported (`DebuggedApplication`, `DebugToolbarExtension`, `aiohttp_debugtoolbar.setup`). */
const PY_DEBUG_TOOLBAR_NAME = /Debug(?:gedApplication|ToolbarExtension)|aiohttp_debugtoolbar/;
/**
 * ERROR_RESPONSE_PY's one-name callees (the table is anchored): the callee as written (an identifier, not after a `.`: that is an
 * attribute's name), or as an import resolves it (`import abort`). Each holds one of PY_CALLEE_ANCHORS.
 */
const PY_ONE_NAME_CALLEES: ReadonlySet<string> = new Set([
  'make_response',
  'render_template_string',
  'render_template',
  'render',
  'abort',
  'HTTPException',
  'ValidationError',
  ...['', 'Http', 'Json', 'JSON', 'PlainText', 'HTML', 'ORJSON', 'UJSON'].map((p) => `${p}Response`),
  'HttpResponseServerError',
  'HttpResponseBadRequest',
]);
const PY_CALLEE_ANCHORS = ['render', 'abort', 'make_response', 'Response', 'HTTPException', 'ValidationError'];
/** ERROR_RESPONSE_PY's `web.*` callees, with `web` in the text (`web['Response']`, `import web as w; w.Response`); jsonify, APIException alone. */
const PY_WEB_RESPONSE = /Response|json_response|HTTPInternalServerError|HTTPBadRequest/;
const PY_WORD = /\w/;
const PY_SPACE = /[\s\\]/;

/** A call an ERROR_RESPONSE_PY entry may match. */
function responseCallee(text: string): boolean {
  if (text.includes('jsonify') || text.includes('APIException')) return true;
  for (const anchor of PY_CALLEE_ANCHORS) {
    for (let i = text.indexOf(anchor); i !== -1; i = text.indexOf(anchor, i + 1)) {
      // The whole identifier around the anchor, then whether it stands alone (not after a `.`).
      let start = i;
      while (start > 0 && PY_WORD.test(text[start - 1]!)) start--;
      let end = i + anchor.length;
      while (end < text.length && PY_WORD.test(text[end]!)) end++;
      if (text[start - 1] !== '.' && PY_ONE_NAME_CALLEES.has(text.slice(start, end))) return true;
    }
  }
  return /\bweb\b/.test(text) && PY_WEB_RESPONSE.test(text);
}

/**
 * A parameter named `request` (isViewFunction reads the first but `self`): the `(` or `,` before it, with whitespace and line
 * continuations between, or a line that may end in a comment (one with a `#`) before the line break there.
 */
function requestParameter(text: string): boolean {
  for (let i = text.indexOf('request'); i !== -1; i = text.indexOf('request', i + 1)) {
    if (i + 7 < text.length && PY_WORD.test(text[i + 7]!)) continue;
    let j = i - 1;
    let lineBreak = false;
    while (j >= 0 && PY_SPACE.test(text[j]!)) {
      if (text[j] === '\n') lineBreak = true;
      j--;
    }
    if (j >= 0 && (text[j] === '(' || text[j] === ',')) return true;
    if (lineBreak && text.slice(text.lastIndexOf('\n', j) + 1, j + 1).includes('#')) return true;
  }
  return false;
}

/** The decorators isViewFunction and the error-handler branch look for (PY_ROUTE_DECORATOR besides). */
const PY_VIEW_DECORATOR = /errorhandler|exception_handler|api_view|app\.(?:get|post)/;

/**
 * Whether findPyErrorExposures can find anything in a file: a necessary condition read from the text (Python names, keyword
 * names, subscript keys and module names are the file's text as written, with no escapes to decode) and the file's decorators.
 * It is pyDebugModeMayApply or pyErrorResponseMayApply, each for the facts of its kind.
 */
export function pyErrorExposureMayApply(text: string, root: Node): boolean {
  return pyDebugModeMayApply(text, root) || pyErrorResponseMayApply(text, root);
}

/**
 * `debug-mode` facts: debugCall's `debug=True` / `DEBUG=True` keywords and debugAssignment's `DEBUG = True`, `app.debug = True`,
 * `app.config['DEBUG'] = True` all hold a `True` (through parentheses) that is the value of a keyword argument or the right side of
 * an assignment named `debug` / `DEBUG` (read from the tree's type index: a file's few `True`s); PY_DEBUG_TOOLBARS' calls need
 * their name (written, or in the import that binds it). All of them need `debug` in some case, tested first.
 */
export function pyDebugModeMayApply(text: string, root: Node): boolean {
  if (!PY_DEBUG_WORD.test(text)) return false;
  if (PY_DEBUG_TOOLBAR_NAME.test(text)) return true;
  for (const t of root.ofType('true')) {
    let p = t.parent;
    while (p?.type === 'parenthesized_expression') p = p.parent;
    if ((p?.type === 'keyword_argument' || p?.type === 'assignment') && PY_DEBUG_WORD.test(p.text)) return true;
  }
  return false;
}

/**
 * `error-response` facts:
 * - from an error handler's scope (`@app.errorhandler`, `@app.exception_handler`), or from a return in a view function known by
 *   its decorator: a decorator as isViewFunction reads it. decoratorsOf's text is compact()ed, which joins the words of a decorator
 *   split over lines or ending a comment (`@x(err  # …\n or handler)`), so the decorators are read from the tree's type index;
 * - from a GraphQL error formatter: what mentionsTraceback looks for (`traceback.`, `exc_info`) and the formatter's name;
 * - from a function's own traceback scope (mentionsTraceback) or an `except … as e` scope (an except_clause whose value is an
 *   as_pattern, from the type index): a response call (responseCallee) or a return in a view function, whose first parameter is
 *   then `request` (requestParameter; or it has a decorator, above).
 */
export function pyErrorResponseMayApply(text: string, root: Node): boolean {
  for (const d of root.ofType('decorator')) {
    const t = compact(d.text.replace(/^@\s*/, ''));
    if (PY_VIEW_DECORATOR.test(t) || PY_ROUTE_DECORATOR.test(t)) return true;
  }
  const aliasedExcept = root.ofType('except_clause').some((n) => n.childForFieldName('value')?.type === 'as_pattern');
  const traceback = text.includes('traceback.') || text.includes('exc_info');
  if (!traceback && !aliasedExcept) return false;
  if (requestParameter(text) || responseCallee(text)) return true;
  return traceback && PY_FORMATTER_NAME.test(text);
}

/** GRAPHQL_ERROR_FORMATTER's names, in the text (an identifier is written whole). */
const PY_FORMATTER_NAME = /format_\w*error|error_formatter/;

interface Exposure {
  kind: 'full' | 'message';
  text: string;
  /** A traceback (`traceback.format_exc()`, `e.__traceback__`): internals whatever the exception was. */
  trace?: boolean;
}

/** What of an exception an expression carries (`str(e)`, `f"{e}"`, `e.args`, `traceback.format_exc()`). */
function exposureOf(node: Node | null, aliases: Map<string, Exposure>): Exposure | null {
  const n = unwrapParens(node);
  if (!n) return null;
  switch (n.type) {
    case 'identifier':
      return aliases.get(n.text) ?? null;
    case 'attribute': {
      const parts = dottedParts(n);
      if (!parts || parts.length !== 2 || aliases.get(parts[0]!)?.text !== parts[0]) return null;
      const leak = leakOfErrorMember(parts[1]!);
      return leak ? { kind: leak, text: parts.join('.'), ...(parts[1] === '__traceback__' ? { trace: true } : {}) } : null;
    }
    case 'call': {
      const parts = dottedParts(n.childForFieldName('function'));
      const name = parts?.join('.') ?? '';
      if (PY_TRACEBACK_CALLS.test(name)) return { kind: 'full', text: `${name}()`, trace: true };
      const { positional } = callArguments(n);
      if (/^(?:str|repr|format)$/.test(name)) {
        const inner = exposureOf(positional[0] ?? null, aliases);
        return inner ? { ...inner, text: `${name}(${inner.text})` } : null;
      }
      if (/(?:^|\.)(?:join|format)$/.test(name)) {
        for (const a of positional) {
          const inner = exposureOf(a, aliases);
          if (inner) return inner;
        }
      }
      return null;
    }
    case 'string':
      for (const c of n.namedChildren) {
        if (c?.type !== 'interpolation') continue;
        const inner = exposureOf(c.childForFieldName('expression') ?? codeChildren(c)[0] ?? null, aliases);
        if (inner) return inner;
      }
      return null;
    case 'binary_operator':
      return exposureOf(n.childForFieldName('left'), aliases) ?? exposureOf(n.childForFieldName('right'), aliases);
    case 'dictionary': {
      // The worst part decides: `{'error': str(e), 'trace': traceback.format_exc()}` leaks the trace.
      let found: Exposure | null = null;
      for (const pair of codeChildren(n)) {
        const inner = exposureOf(pair.type === 'pair' ? pair.childForFieldName('value') : pair, aliases);
        if (inner && (!found || (inner.kind === 'full' && found.kind !== 'full'))) found = inner;
      }
      return found;
    }
    case 'list':
    case 'tuple':
    case 'expression_list':
    case 'concatenated_string':
      for (const c of codeChildren(n)) {
        const inner = exposureOf(c, aliases);
        if (inner) return inner;
      }
      return null;
    case 'keyword_argument':
      return exposureOf(n.childForFieldName('value'), aliases);
    default:
      return null;
  }
}

/** A response built from the exception, with its status when written (`status_code=500`, `return …, 400`). */
function responseStatus(call: Node | null, tupleStatus: Node | null): string | null {
  if (tupleStatus) return compact(tupleStatus.text);
  if (!call) return null;
  const { positional, keywords } = callArguments(call);
  const kw = keywords.get('status_code') ?? keywords.get('status') ?? keywords.get('code');
  if (kw) return compact(kw.text);
  const name = dottedParts(call.childForFieldName('function'))?.join('.') ?? '';
  if (/^(?:HTTPException|abort)$/.test(name) && positional[0]) return compact(positional[0].text);
  if (/^HttpResponse\w+$/.test(name)) return name;
  return null;
}

function isViewFunction(fn: Node | null): boolean {
  if (!fn) return false;
  if (decoratorsOf(fn).some((d) => PY_ROUTE_DECORATOR.test(d) || PY_VIEW_DECORATOR.test(d))) return true;
  const first = parameterNames(fn).filter((p) => p.name !== 'self')[0];
  return first?.name === 'request';
}

/** The node types the file-wide pass handles: for error responses, for debug settings. */
const RESPONSE_WALKED = ['function_definition', 'except_clause'];
const DEBUG_WALKED = ['call', 'assignment'];

function findPyErrorExposures(root: Node, path: string, imports: Map<string, ImportBinding>, kinds: { debug: boolean; response: boolean }): ErrorExposure[] {
  const out: ErrorExposure[] = [];
  const script: DevScript = { loopbackServer: false, moduleToolbars: [] };
  const resolve = (parts: string[]): string => {
    const b = imports.get(parts[0]!);
    return b ? [b.imported === '*' ? b.module : `${b.module}.${b.imported}`, ...parts.slice(1)].join('.') : parts.join('.');
  };
  // A 4xx message is the client's own mistake only when a specific (validation) exception was caught.
  const scope = (body: Node, errVar: string | null, fn: Node | null, broad = false, caught?: string[]): void => {
    const clientError = (status: string | null): boolean => !broad && isClientErrorStatus(status);
    const caughtOf = (e: Exposure): { caught?: string[] } => (caught && !e.trace ? { caught } : {});
    const aliases = new Map<string, Exposure>();
    if (errVar) aliases.set(errVar, { kind: 'message', text: errVar });
    const visit = (n: Node): void => {
      if (n.type === 'function_definition' || n.type === 'class_definition') return;
      if (n.type === 'assignment') {
        const left = n.childForFieldName('left');
        const e = exposureOf(n.childForFieldName('right'), aliases);
        if (left?.type === 'identifier' && e) aliases.set(left.text, e);
      }
      if (n.type === 'call') {
        const parts = dottedParts(n.childForFieldName('function'));
        const name = parts ? parts.join('.') : '';
        if (parts && ERROR_RESPONSE_PY.some((e) => e.callee.test(name) || e.callee.test(resolve(parts)))) {
          const list = n.childForFieldName('arguments');
          for (const a of list ? codeChildren(list) : []) {
            const e = exposureOf(a, aliases);
            if (!e) continue;
            const parent = n.parent?.type === 'expression_list' ? n.parent : null;
            const status = responseStatus(n, parent ? (codeChildren(parent)[1] ?? null) : null);
            if (e.kind === 'message' && clientError(status)) break;
            out.push({ kind: 'error-response', what: e.text, via: name, range: nodeRange(n), ...caughtOf(e) });
            break;
          }
        }
      }
      if (n.type === 'return_statement' && isViewFunction(fn)) {
        const value = codeChildren(n)[0] ?? null;
        const first = value?.type === 'expression_list' ? (codeChildren(value)[0] ?? null) : value;
        if (first && first.type !== 'call') {
          const e = exposureOf(first, aliases);
          const status = value?.type === 'expression_list' ? (codeChildren(value)[1] ?? null) : null;
          if (e && !(e.kind === 'message' && clientError(status ? compact(status.text) : null))) {
            out.push({ kind: 'error-response', what: e.text, via: 'return', range: nodeRange(n), ...caughtOf(e) });
          }
        }
      }
      for (const c of codeChildren(n)) visit(c);
    };
    visit(body);
  };

  // `traceback.` / `exc_info` in a function body: their offsets, found once (a body's text is not sliced per function).
  const source = root.source;
  const marks: Array<[number, number]> = [];
  for (const m of source.matchAll(/traceback\.|exc_info/g)) marks.push([m.index, m.index + m[0].length]);
  const mentionsTraceback = (body: Node): boolean => {
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]![0] < body.startIndex) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < marks.length && marks[i]![0] < body.endIndex; i++) if (marks[i]![1] <= body.endIndex) return true;
    return false;
  };

  // Class names of this file, found on the first `except … as e` (an except naming one catches the project's own class).
  let classes: Set<string> | undefined;
  const localClasses = (): Set<string> => {
    classes ??= new Set(root.allOfTypes(['class_definition']).map((c) => c.childForFieldName('name')?.text ?? ''));
    return classes;
  };

  // Every node of these types in pre-order, as a walk down the code children (named, not comments) visits them.
  const walked = [...(kinds.response ? RESPONSE_WALKED : []), ...(kinds.debug ? DEBUG_WALKED : [])];
  for (const n of root.allOfTypes(walked)) {
    switch (n.type) {
      case 'function_definition':
        // Flask `@app.errorhandler(E) def h(e)`, FastAPI `@app.exception_handler(E) async def h(request, exc)`.
        if (decoratorsOf(n).some((d) => /errorhandler|exception_handler/.test(d))) {
          const params = parameterNames(n);
          const last = params[params.length - 1];
          const body = n.childForFieldName('body');
          if (last && body) scope(body, last.name, n);
        } else if (GRAPHQL_ERROR_FORMATTER.test(n.childForFieldName('name')?.text ?? '')) {
          // A GraphQL error formatter's result is the `errors` entry the client gets (`format_error=` of GraphQLView).
          const body = n.childForFieldName('body');
          if (body && mentionsTraceback(body)) formatterTraces(body, n.childForFieldName('name')!.text, out);
        } else if (codeChildren(n.childForFieldName('body') ?? n).length > 0) {
          // traceback.format_exc() in any response, even outside an except block.
          const body = n.childForFieldName('body');
          if (body && mentionsTraceback(body)) scope(body, null, n);
        }
        break;
      case 'except_clause': {
        const value = n.childForFieldName('value');
        const alias = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.firstNamedChild : null;
        const block = codeChildren(n).find((c) => c.type === 'block');
        const typeNode = value?.type === 'as_pattern' ? (codeChildren(value)[0] ?? null) : null;
        const caught = typeNode?.text ?? '';
        if (block && alias) {
          scope(block, alias.text, enclosingFunction(n), /^(?:Exception|BaseException)$/.test(caught), caughtTypes(typeNode, resolve, localClasses));
        }
        break;
      }
      case 'call':
        debugCall(n, resolve, out, script);
        break;
      case 'assignment':
        debugAssignment(n, path, out);
        break;
    }
  }
  // A file that starts a loopback server when it runs is a development script: nothing imports it (importing it would
  // start the server), so a debug toolbar it attaches outside any function serves only that server (CTFd's serve.py).
  if (script.loopbackServer) for (const e of script.moduleToolbars) e.devOnly = true;
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.range.start.line}:${e.range.start.column}:${e.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * GraphQL error formatters (`def format_error(error)`, `format_custom_error`, Ariadne's `error_formatter`): graphql-core,
 * graphql-server/flask-graphql and Ariadne send what they return to the client as the response's `errors` entry.
 */
const GRAPHQL_ERROR_FORMATTER = /^(?:format_\w*error|\w*error_formatter)$/;

/** Traceback calls in an error formatter's body (nested functions left out): each ends up in the response. */
function formatterTraces(body: Node, name: string, out: ErrorExposure[]): void {
  const visit = (n: Node): void => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return;
    if (n.type === 'call') {
      const callee = dottedParts(n.childForFieldName('function'))?.join('.') ?? '';
      // `if settings.DEBUG:` around it (saleor's format_error): development only.
      if (PY_TRACEBACK_CALLS.test(callee))
        out.push({
          kind: 'error-response',
          what: `${callee}()`,
          via: `GraphQL error formatter ${name}`,
          range: nodeRange(n),
          ...(devOnlyPlace(n) ? { devOnly: true } : {}),
        });
      // Written to a log or stderr, not into the result.
      if (/^(?:print|(?:\w+\.)*(?:debug|info|warning|warn|error|exception|critical|log|write))$/.test(callee)) return;
    }
    for (const c of codeChildren(n)) visit(c);
  };
  visit(body);
}

/**
 * The types an `except` clause names, resolved through the imports (`ValidationError` → `django.core.exceptions.ValidationError`);
 * a class of this file or of a relative import starts with a dot. Undefined when a type is not a plain name (`except get_errors() as e`).
 */
function caughtTypes(node: Node | null, resolve: (parts: string[]) => string, localClasses: () => Set<string>): string[] | undefined {
  const n = unwrapParens(node);
  if (!n) return undefined;
  const members = n.type === 'tuple' ? codeChildren(n) : [n];
  const out: string[] = [];
  for (const m of members) {
    const parts = dottedParts(m);
    if (!parts) return undefined;
    const resolved = resolve(parts);
    out.push(resolved === parts.join('.') && localClasses().has(parts[0]!) ? `.${resolved}` : resolved);
  }
  return out.length > 0 ? out : undefined;
}

/** What debugCall learns of the file as a whole: an unconditional top-level loopback server, and its toolbars outside functions. */
interface DevScript {
  loopbackServer: boolean;
  moduleToolbars: ErrorExposure[];
}

/** `app.run(debug=True)`, `FastAPI(debug=True)`, `app.config.update(DEBUG=True)`, debug toolbars. */
function debugCall(call: Node, resolve: (parts: string[]) => string, out: ErrorExposure[], script: DevScript): void {
  const parts = dottedParts(call.childForFieldName('function'));
  if (!parts) return;
  const raw = parts.join('.');
  const resolved = resolve(parts);
  // The arguments are read only for the callees that need them.
  let keywords: Map<string, Node> | undefined;
  const keyword = (name: string): Node | undefined => (keywords ??= callArguments(call).keywords).get(name);
  const server = PY_DEBUG_CALLS.test(raw) || PY_DEBUG_CALLS.test(resolved);
  // `app.run(host="127.0.0.1")` as a statement of the module itself (no `if __name__ == "__main__":` around it).
  if (server && call.parent?.type === 'expression_statement' && call.parent.parent?.type === 'module' && LOOPBACK_HOST.test(keyword('host')?.text ?? ''))
    script.loopbackServer = true;
  let what: string | null = null;
  if (server && isTrue(keyword('debug'))) what = 'debug=True';
  else if (/\.config\.(?:update|from_mapping)$/.test(raw) && isTrue(keyword('DEBUG'))) what = 'DEBUG=True';
  else if (PY_DEBUG_TOOLBARS.test(raw) || PY_DEBUG_TOOLBARS.test(resolved)) what = `${raw}()`;
  if (what === null) return;
  // `app.run(debug=True, host="127.0.0.1")`: a development server its author bound to this machine (CTFd's serve.py).
  const loopback = what === 'debug=True' && LOOPBACK_HOST.test(keyword('host')?.text ?? '');
  const exposure: ErrorExposure = { kind: 'debug-mode', what, via: raw, range: nodeRange(call), ...(loopback || devOnlyPlace(call) ? { devOnly: true } : {}) };
  out.push(exposure);
  if (what === `${raw}()` && enclosingFunction(call) === null) script.moduleToolbars.push(exposure);
}

/** A host literal of this machine only: `"127.0.0.1"`, `'127.0.1.1'`, `"localhost"`, `"::1"`. */
const LOOPBACK_HOST = /^["'](?:127(?:\.\d{1,3}){3}|localhost|::1)["']$/;

/** `DEBUG = True` (settings modules, config classes), `app.debug = True`, `app.config['DEBUG'] = True`. */
function debugAssignment(node: Node, path: string, out: ErrorExposure[]): void {
  if (!isTrue(node.childForFieldName('right'))) return;
  const left = node.childForFieldName('left');
  const parts = dottedParts(left);
  if (!left || !parts) return;
  const last = parts[parts.length - 1]!;
  const inFunction = (() => {
    for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return true;
    return false;
  })();
  if (parts.length === 1 && last === 'DEBUG' && !inFunction) {
    const classLevel = node.parent?.parent?.parent?.type === 'class_definition';
    if (!classLevel && !/(?:settings|config|conf)[^/]*(?:\/[^/]+)?\.py$/.test(path)) return;
    out.push({
      kind: 'debug-mode',
      what: 'DEBUG = True',
      via: classLevel ? (node.parent?.parent?.parent?.childForFieldName('name')?.text ?? 'settings') : 'settings',
      range: nodeRange(node),
      ...(devOnlyPlace(node) ? { devOnly: true } : {}),
    });
    return;
  }
  if (parts.length >= 2 && (last === 'debug' || (last === 'DEBUG' && parts[parts.length - 2] === 'config'))) {
    out.push({
      kind: 'debug-mode',
      what: `${parts.join('.')} = True`,
      via: parts.slice(0, -1).join('.'),
      range: nodeRange(node),
      ...(devOnlyPlace(node) ? { devOnly: true } : {}),
    });
  }
}

/** Inside `class DevelopmentConfig`, `if DEBUG:` / `if settings.DEBUG`, or `if os.environ.get('ENV') == 'development'`. */
function devOnlyPlace(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition' && DEV_ONLY_CLASS.test(p.childForFieldName('name')?.text ?? '')) return true;
    if (p.type === 'if_statement' && /\b(?:DEBUG|debug|development|dev|local|testing)\b/i.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}
