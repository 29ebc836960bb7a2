import type { Node } from '@babel/types';
import type { ErrorExposure } from '../../model/data-flow.js';
import { ERROR_RESPONSE_JS, JS_DEBUG_SETTINGS, DEV_ONLY_TEST, isClientErrorStatus, leakOfErrorMember } from '../../model/error-exposure.js';
import type { ImportBinding } from '../../flow/summaries.js';
import { isFunction, memberParts, propertyKey, rangeOf, unwrap, walkAst } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';
import type { FileFacts } from '../../model/facts.js';
import { importBindings } from './flow-functions.js';
import { jsEscapesDecoded } from './escaped-text.js';
import { FUNCTION_TYPES, type NodeIndex } from './visit.js';

/**
 * SOC2-007 facts for JS/TS: error values sent to the client (a caught error, its stack or message in a response
 * body) and debug settings that expose errors (`errorhandler()` unguarded, GraphQL debug or stack traces on).
 */

/** Where an error value is in hand: catch clauses, `(err, req, res, next)` handlers, `.catch(e => …)`, `(err, …) =>` callbacks, Nest filters' `catch(exception)`. */
function errorVariable(node: Node, parent: Node | undefined): string | null {
  if (node.type === 'CatchClause') return node.param?.type === 'Identifier' ? node.param.name : null;
  if (!isFunction(node)) return null;
  const params = (node as unknown as { params: Node[] }).params;
  const first = params[0];
  if (!first || first.type !== 'Identifier') return null;
  if (params.length === 4) return first.name;
  if (/^(?:err|error)$/.test(first.name)) return first.name;
  if (node.type === 'ClassMethod' && propertyKey(node) === 'catch') return first.name;
  if (parent && parent.type === 'CallExpression') {
    const callee = memberParts(parent.callee as Node);
    if (callee && callee[callee.length - 1] === 'catch') return first.name;
  }
  return null;
}

interface Exposure {
  kind: 'full' | 'message';
  text: string;
}

/** Names holding the error or a part of it (`const msg = err.message`). */
type Aliases = Map<string, Exposure>;

class JsErrorExposureFinder {
  readonly found: ErrorExposure[] = [];
  /** Functions of the file that return what of their first parameter (`formatError(e) { return e.stack }`). */
  private readonly helpers = new Map<string, Exposure['kind']>();

  constructor(
    private readonly text: string,
    private readonly imports: Map<string, ImportBinding>,
  ) {}

  private source(node: Node): string {
    const raw = this.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
    return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
  }

  /** Inside a branch that only runs in development (`if (process.env.NODE_ENV !== 'production')`). */
  private devOnly(ancestors: readonly Node[]): boolean {
    return ancestors.some(
      (a) =>
        (a.type === 'IfStatement' || a.type === 'ConditionalExpression' || a.type === 'LogicalExpression') &&
        DEV_ONLY_TEST.test(this.source(a.type === 'LogicalExpression' ? a.left : a.test)),
    );
  }

  /** Error responses (in error scopes) and debug settings (on calls), each only when `kinds` says it may be found. */
  find(index: NodeIndex, program: Node, kinds: { debug: boolean; response: boolean }): void {
    if (kinds.response) this.findHelpers(program);
    const types = [...(kinds.response ? [...FUNCTION_TYPES, 'CatchClause'] : []), ...(kinds.debug ? ['CallExpression', 'NewExpression'] : [])];
    index.visit(program, types, (node, ancestors) => {
      if (node.type === 'CallExpression' || node.type === 'NewExpression') this.debugSetting(node, ancestors);
      else {
        const errVar = errorVariable(node, ancestors[ancestors.length - 1]);
        if (errVar) this.scope(node, errVar, ancestors);
      }
    });
  }

  /**
   * Top-level functions whose return value carries their first parameter's stack or message: error text passed
   * through a helper (`res.json(formatError(err))`).
   */
  private findHelpers(program: Node): void {
    for (const stmt of (program as Node & { type: 'Program' }).body) {
      const d = stmt.type === 'ExportNamedDeclaration' ? (stmt.declaration as Node | null) : stmt;
      const fns: Array<[string, Node]> = [];
      if (d?.type === 'FunctionDeclaration' && d.id) fns.push([d.id.name, d]);
      else if (d?.type === 'VariableDeclaration')
        for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init && isFunction(unwrap(v.init))) fns.push([v.id.name, unwrap(v.init)]);
      for (const [name, fn] of fns) {
        const first = (fn as unknown as { params: Node[] }).params[0];
        if (first?.type !== 'Identifier') continue;
        const aliases: Aliases = new Map([[first.name, { kind: 'full', text: first.name }]]);
        const body = (fn as unknown as { body: Node }).body;
        let kind: Exposure['kind'] | null = body.type === 'BlockStatement' ? null : (this.exposure(body, aliases)?.kind ?? null);
        if (body.type === 'BlockStatement')
          walkAst(body, (node) => {
            if (isFunction(node)) return false;
            if (node.type !== 'ReturnStatement') return;
            const what = this.exposure(node.argument, aliases);
            if (what && kind !== 'full') kind = what.kind;
          });
        if (kind) this.helpers.set(name, kind);
      }
    }
  }

  /** A NestJS controller method's return value is the response body. */
  private controllerMethod(outer: readonly Node[]): boolean {
    for (let i = outer.length - 1; i > 0; i--) {
      const n = outer[i]!;
      if (isFunction(n) && n.type !== 'ClassMethod') return false;
      if (n.type !== 'ClassMethod') continue;
      const cls = outer[i - 2];
      const decorators = (cls as unknown as { decorators?: Array<{ expression: Node }> } | undefined)?.decorators ?? [];
      return decorators.some((d) => {
        const e = d.expression;
        const callee = e.type === 'CallExpression' ? e.callee : e;
        return callee.type === 'Identifier' && callee.name === 'Controller';
      });
    }
    return false;
  }

  private scope(scope: Node, errVar: string, outer: readonly Node[]): void {
    const aliases: Aliases = new Map([[errVar, { kind: 'full', text: errVar }]]);
    const body = scope.type === 'CatchClause' ? scope.body : (scope as unknown as { body?: Node }).body;
    // A TypeScript overload signature (`handle(err: Error): void;`) has no body.
    if (!body) return;
    const returnsResponse = scope.type === 'CatchClause' && this.controllerMethod(outer);
    walkAst(body, (node, ancestors) => {
      if (node !== body && isFunction(node) && errorVariable(node, ancestors[ancestors.length - 1])) return false;
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
        const what = this.exposure(node.init, aliases);
        if (what) aliases.set(node.id.name, what);
      }
      // `result.error = err` then `res.send(result)`: the object now carries the error.
      if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'MemberExpression') {
        const target = memberParts(node.left);
        const what = target && target.length === 2 ? this.exposure(node.right, aliases) : null;
        if (what && target![0] !== 'this' && !aliases.has(target![0]!)) aliases.set(target![0]!, { kind: what.kind, text: target!.join('.') });
      }
      const sink =
        returnsResponse && node.type === 'ReturnStatement' && !ancestors.some((a) => isFunction(a))
          ? { value: node.argument ?? undefined, via: 'controller return', status: null }
          : this.responseSink(node);
      if (!sink) return;
      const what = this.exposure(sink.value, aliases);
      if (!what) return;
      if (what.kind === 'message' && isClientErrorStatus(sink.status)) return;
      const exposure: ErrorExposure = { kind: 'error-response', what: what.text, via: sink.via, range: rangeOf(node) };
      if (this.devOnly([...outer, ...ancestors])) exposure.devOnly = true;
      this.found.push(exposure);
    });
  }

  /** What of the error an expression carries: the whole error or its stack, or only its message. */
  private exposure(node: Node | null | undefined, aliases: Aliases): Exposure | null {
    if (!node) return null;
    const n = unwrap(node);
    if (n.type === 'Identifier') return aliases.get(n.name) ?? null;
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      const parts = memberParts(n);
      if (!parts || parts.length !== 2 || aliases.get(parts[0]!)?.text !== parts[0]) return null;
      const leak = leakOfErrorMember(parts[1]!);
      return leak ? { kind: leak, text: parts.join('.') } : null;
    }
    if (n.type === 'CallExpression') {
      const callee = memberParts(n.callee as Node);
      const name = callee?.join('.') ?? '';
      if (callee && callee.length === 2 && aliases.get(callee[0]!)?.text === callee[0] && callee[1] === 'toString')
        return { kind: 'message', text: `${callee[0]}.toString()` };
      if (/^(?:String|util\.inspect|JSON\.stringify|inspect)$/.test(name)) {
        const inner = this.exposure(n.arguments[0] as Node, aliases);
        return inner ? { kind: name === 'String' ? inner.kind : 'full', text: `${name}(${inner.text})` } : null;
      }
      const helper = callee?.length === 1 ? this.helpers.get(name) : undefined;
      const inner = helper && n.arguments[0] ? this.exposure(n.arguments[0] as Node, aliases) : null;
      if (helper && inner?.kind === 'full') return { kind: helper, text: `${name}(${inner.text})` };
      return null;
    }
    if (n.type === 'ObjectExpression') {
      // The worst part decides: `{ message, stack }` leaks the stack.
      let found: Exposure | null = null;
      for (const p of n.properties) {
        const value = p.type === 'ObjectProperty' ? (p.value as Node) : p.type === 'SpreadElement' ? p.argument : null;
        const inner = value ? this.exposure(value, aliases) : null;
        if (inner && (!found || (inner.kind === 'full' && found.kind !== 'full'))) found = inner;
      }
      return found;
    }
    if (n.type === 'TemplateLiteral') {
      for (const e of n.expressions) {
        const inner = this.exposure(e as Node, aliases);
        if (inner) return { kind: inner.kind === 'full' ? 'message' : inner.kind, text: inner.text };
      }
      return null;
    }
    if (n.type === 'BinaryExpression' && n.operator === '+') return this.exposure(n.left as Node, aliases) ?? this.exposure(n.right, aliases);
    if (n.type === 'ConditionalExpression') {
      if (DEV_ONLY_TEST.test(this.source(n.test))) return null;
      return this.exposure(n.consequent, aliases) ?? this.exposure(n.alternate, aliases);
    }
    if (n.type === 'LogicalExpression') return this.exposure(n.left, aliases) ?? this.exposure(n.right, aliases);
    return null;
  }

  /** `res.status(500).json(x)`, `ctx.body = x`, `NextResponse.json(x, { status })`, `throw new InternalServerErrorException(x)`. */
  private responseSink(node: Node): { value: Node | undefined; via: string; status: string | null } | null {
    if (node.type === 'AssignmentExpression' && node.operator === '=') {
      const left = memberParts(node.left as Node);
      if (left && /^ctx\.(?:response\.)?body$/.test(left.join('.'))) return { value: node.right, via: left.join('.'), status: null };
      return null;
    }
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return null;
    const parts = memberParts(node.callee as Node);
    if (!parts) return null;
    const name = `${node.type === 'NewExpression' ? 'new ' : ''}${parts.join('.')}`;
    const entry = ERROR_RESPONSE_JS.find((e) => e.callee.test(name));
    if (!entry) return null;
    const args = node.arguments as Node[];
    const value = args[entry.valueArg];
    let status: string | null = entry.statusFromName ? parts[parts.length - 1]!.replace(/^new /, '') : null;
    const statusCall = /\.(?:status|code)\(\)/.test(`.${parts.join('.')}`) ? this.chainStatus(node.callee as Node) : null;
    if (statusCall) status = statusCall;
    if (entry.statusArg !== undefined) {
      const s = args[entry.statusArg];
      if (s) status = this.statusText(s);
    }
    return { value, via: parts.filter((p) => !/\(\)$/.test(p)).join('.') || name, status };
  }

  private chainStatus(callee: Node): string | null {
    let n: Node | undefined = callee;
    while (n && (n.type === 'MemberExpression' || n.type === 'CallExpression')) {
      if (n.type === 'CallExpression') {
        const parts = memberParts(n.callee as Node);
        if (parts && /^(?:status|code|writeHead)$/.test(parts[parts.length - 1]!)) return n.arguments[0] ? this.statusText(n.arguments[0] as Node) : null;
        n = n.callee as Node;
      } else n = n.object;
    }
    return null;
  }

  /** A status as written: `400`, `HttpStatus.BAD_REQUEST`, or `{ status: 500 }` → `500`. */
  private statusText(node: Node): string {
    const n = unwrap(node);
    if (n.type === 'ObjectExpression') {
      for (const p of n.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === 'status') return this.statusText(p.value as Node);
      return '';
    }
    return this.source(n);
  }

  /** `app.use(errorhandler())` without an environment guard; GraphQL servers with debug or stack traces on. */
  private debugSetting(node: Node & { callee: Node; arguments: Node[] }, ancestors: readonly Node[]): void {
    const parts = memberParts(node.callee);
    if (!parts) return;
    const binding = this.imports.get(parts[0]!);
    const resolved = binding
      ? [binding.imported === '*' || binding.imported === 'default' ? binding.module : `${binding.module}.${binding.imported}`, ...parts.slice(1)].join('.')
      : parts.join('.');
    for (const setting of JS_DEBUG_SETTINGS) {
      if (!setting.callee.test(resolved) && !setting.callee.test(parts.join('.'))) continue;
      if (setting.option) {
        const on = node.arguments.some((a) => {
          const n = unwrap(a);
          return (
            n.type === 'ObjectExpression' &&
            n.properties.some(
              (p) =>
                p.type === 'ObjectProperty' &&
                setting.option!.test(propertyKey(p) ?? '') &&
                unwrap(p.value as Node).type === 'BooleanLiteral' &&
                (unwrap(p.value as Node) as { value: boolean }).value,
            )
          );
        });
        if (!on) continue;
      }
      const exposure: ErrorExposure = { kind: 'debug-mode', what: setting.what, via: parts.join('.'), range: rangeOf(node) };
      if (this.devOnly(ancestors)) exposure.devOnly = true;
      this.found.push(exposure);
      return;
    }
  }
}

/**
 * The root name of every response sink: ERROR_RESPONSE_JS callees (`res`/`resp`/`response`/`reply`/`ctx` chains, `Response`,
 * `NextResponse`, `new …Exception`), `ctx.body =` and a `@Controller` class's returns. Each is an identifier of the file.
 */
const JS_RESPONSE_ROOT = /\b(?:res|resp|response|reply|ctx)\b|Response|Exception|Controller/;
/** JS_DEBUG_SETTINGS' `errorhandler`: a one-name callee, or the module an import binds that name to. */
const JS_ERRORHANDLER = /errorhandler/;
/** The last name of every graphql-debug callee (`ApolloServer`, `GraphQLModule.forRoot(Async)`, …): written, or bound by an import. */
const JS_GRAPHQL_CALLEE = /ApolloServer|forRoot|createYoga|mercurius|graphqlHTTP|createHandler/;
/** The graphql-debug options, set to a literal `true`. */
const JS_GRAPHQL_OPTION = /debug|includeStacktraceInErrorResponses/;
const JS_TRUE = /\btrue\b/;
/** A `\u` escape that may stand for an ASCII character (0x20–0x7f), in an identifier (`r\u0065s`) or a keyword. */
const JS_ASCII_UNICODE_ESCAPE = /\\u(?:00[2-7][0-9a-fA-F]|\{0*[2-7][0-9a-fA-F]\})/;

/**
 * Whether the finder can find anything in a file: a necessary condition read from the text, the file's import facts (what
 * debugSetting resolves names through) and, for names a string may hold, the file's string values. It is jsDebugModeMayApply or
 * jsErrorResponseMayApply, each for the facts of its kind. Names are read through their escapes as Babel reads them: identifiers
 * and keywords may hold `\u` escapes (decoded here when one may stand for an ASCII character), strings any escape (their values,
 * from the index, are read when the text holds a backslash).
 */
export function jsErrorExposureMayApply(text: string, facts: FileFacts, index: NodeIndex): boolean {
  const words = new GateText(text, index);
  return jsErrorResponseMayApply(words) || jsDebugModeMayApply(words, facts);
}

/** `error-response` facts: only a response sink pushes one (responseSink, or a return in a `@Controller` class's catch), and every sink starts with a name of JS_RESPONSE_ROOT. */
export function jsErrorResponseMayApply(words: GateText): boolean {
  return words.name(JS_RESPONSE_ROOT);
}

/**
 * `debug-mode` facts (debugSetting):
 * - errorhandler: the one-name callee `errorhandler`, or an import of that module (`import eh from 'errorhandler'`);
 * - graphql-debug: `true`, a JS_GRAPHQL_CALLEE name (written, imported, or a computed key: `apollo['ApolloServer']`),
 *   and an option key of JS_GRAPHQL_OPTION (a name or a string key: `{ 'debug': true }`).
 */
export function jsDebugModeMayApply(words: GateText, facts: FileFacts): boolean {
  const imported = (re: RegExp): boolean => facts.imports.some((f) => re.test(f.module) || f.names.some((n) => re.test(n.imported)));
  if (words.name(JS_ERRORHANDLER) || imported(JS_ERRORHANDLER)) return true;
  if (!words.name(JS_TRUE)) return false;
  return (words.key(JS_GRAPHQL_CALLEE) || imported(JS_GRAPHQL_CALLEE)) && words.key(JS_GRAPHQL_OPTION);
}

/** A file's text as the gates read it: names (with `\u` escapes decoded) and keys (names, or string values with any escape). */
export class GateText {
  private decoded: string | undefined;
  private strings: string[] | undefined;

  constructor(
    private readonly text: string,
    private readonly index: NodeIndex,
  ) {}

  /** An identifier or keyword of the file may match `re`. */
  name(re: RegExp): boolean {
    if (re.test(this.text)) return true;
    if (!JS_ASCII_UNICODE_ESCAPE.test(this.text)) return false;
    // Every escape decoded (escaped-text.ts): an identifier's `\u` escapes as Babel reads them; strings and comments only add words.
    this.decoded ??= jsEscapesDecoded(this.text, '\n');
    return re.test(this.decoded);
  }

  /** A name, or a string's value (a computed member or a string key), may match `re`. */
  key(re: RegExp): boolean {
    if (this.name(re)) return true;
    if (!this.text.includes('\\')) return false;
    this.strings ??= stringValues(this.index);
    return this.strings.some((v) => re.test(v));
  }
}

/** The values of the file's string literals and of its templates' parts (what staticString reads for a key). */
function stringValues(index: NodeIndex): string[] {
  const out: string[] = [];
  index.each(['StringLiteral', 'TemplateElement'], (node) => {
    if (node.type === 'StringLiteral') out.push(node.value);
    else if (node.type === 'TemplateElement' && node.value.cooked) out.push(node.value.cooked);
  });
  return out;
}

/** The SOC2-007 feature: fills `facts.errorExposures`. */
export function extractJsErrorExposures(input: JsFeatureInput): void {
  extractJsErrorExposuresWith(input, true);
}

/** The SOC2-007 facts, with or without the gate (without: every file is searched; the tests compare both). */
export function extractJsErrorExposuresWith(input: JsFeatureInput, useGate: boolean): void {
  const words = new GateText(input.text, input.index);
  // Each kind of fact is looked for only where its own gate lets it (jsErrorExposureMayApply is the two together).
  const kinds = useGate ? { debug: jsDebugModeMayApply(words, input.facts), response: jsErrorResponseMayApply(words) } : { debug: true, response: true };
  if (!kinds.debug && !kinds.response) return;
  const finder = new JsErrorExposureFinder(input.text, importBindings(input));
  finder.find(input.index, input.ast.program, kinds);
  if (finder.found.length > 0) input.facts.errorExposures = finder.found;
}
