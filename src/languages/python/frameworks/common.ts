import type { Range } from '../../../model/facts.js';
import type { Endpoint, Framework, Guard, GuardScope } from '../../../model/endpoints.js';
import { classifyGuardName } from '../tables/guards.js';
import type { PyFile, PyModules } from './modules.js';
import type { PyCall, PyClass, PyFunction, PyValue } from '../../../model/py-routes.js';

/** The dotted name a decorator or dependency is known by: `login_required`, `limiter.limit`, `jwt_required`. */
export function calleeName(v: PyValue): string {
  return v.dotted ?? v.call?.callee ?? v.subscript?.value ?? v.text;
}

export function lastSegment(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

/** Guards (and opt-outs) named by a decorator, permission class, mixin or middleware. */
export function guardsOfName(name: string, scope: GuardScope, path: string, line: number, optOuts?: string[], label = name): Guard[] {
  const c = classifyGuardName(name);
  if (c.optOut) optOuts?.push(label);
  return c.kinds.map((kind) => ({ kind, name: label, scope, path, line }));
}

/**
 * A view decorator's guards: by its name when the tables know it (`login_required`, `limiter.limit`), else by
 * what its definition's body does — a project decorator (or decorator factory, `@require_role('admin')`)
 * whose wrapper redirects anonymous callers to sign-in, raises 401/403 or checks a role. Each guard found in
 * the body carries the reason and points at the check.
 */
export function decoratorGuards(
  modules: PyModules,
  file: PyFile,
  d: PyValue,
  scope: GuardScope,
  line: number,
  optOuts?: string[],
  label = `@${d.text}`,
): Guard[] {
  const name = calleeName(d);
  const before = optOuts?.length ?? 0;
  const named = guardsOfName(name, scope, file.facts.path, line, optOuts, label);
  if (named.length > 0 || (optOuts?.length ?? 0) > before) return named;
  const def = resolveDefinition(modules, file, name);
  const checks = def?.fn?.checks ?? [];
  const seen = new Set<string>();
  const out: Guard[] = [];
  for (const c of checks) {
    if (c.kind === 'rate-limit' || seen.has(c.kind)) continue;
    seen.add(c.kind);
    const why = c.kind === 'authentication' ? 'rejects or redirects an anonymous caller' : 'rejects a caller without the role or permission';
    out.push({
      kind: c.kind,
      name: label,
      scope,
      path: def!.file.facts.path,
      line: c.line,
      reason: `project decorator ${lastSegment(name)}: its body ${why} (\`${c.name}\`)`,
    });
  }
  return out;
}

/** Handler-body checks as guards at handler scope. */
export function bodyGuards(fn: PyFunction, path: string): Guard[] {
  return fn.checks.map((c) => ({ kind: c.kind, name: c.name, scope: 'handler', path, line: c.line }));
}

export function findFunction(file: PyFile, name: string, className?: string): PyFunction | undefined {
  return file.routes.functions.find((f) => f.name === name && f.className === className && (className !== undefined || f.topLevel));
}

export function findClass(file: PyFile, name: string): PyClass | undefined {
  return file.routes.classes.find((c) => c.name === name && c.enclosing === undefined);
}

/** A function or class a dotted name refers to, anywhere in the project. */
export function resolveDefinition(modules: PyModules, file: PyFile, dotted: string): { file: PyFile; fn?: PyFunction; cls?: PyClass } | null {
  const target = modules.resolve(file, dotted);
  if (target?.kind !== 'symbol') return null;
  const fn = findFunction(target.file, target.name);
  if (fn) return { file: target.file, fn };
  const cls = findClass(target.file, target.name);
  return cls ? { file: target.file, cls } : null;
}

/**
 * String value of a path-like argument: literals, constants found in the project, f-strings and `+`
 * concatenations of these. A part that cannot be known is kept as written in braces (`{prefix}admin/login/`),
 * never dropped: an unresolved path is shown as such, not as `/`.
 */
export function pathValue(v: PyValue | undefined, constants: Map<string, string | null>): string | null {
  if (!v) return null;
  if (v.str !== undefined) return v.str;
  if (v.dotted) return constantPart(v.dotted, constants);
  return textPathValue(v.text, constants);
}

function constantPart(dotted: string, constants: Map<string, string | null>): string {
  const known = constants.get(lastSegment(dotted));
  return typeof known === 'string' ? known : `{${dotted}}`;
}

const STRING_PART = /^([rRbBuUfF]{0,2})("""|'''|"|')([\s\S]*)\2$/;

/** A path expression from its source text: `f"{prefix}admin/"`, `BASE + "items/"`, `settings.API + f"/{x}"`. */
export function textPathValue(text: string, constants: Map<string, string | null>): string {
  const parts = splitConcatenation(text.trim());
  return parts.map((part) => partValue(part, constants)).join('');
}

function partValue(part: string, constants: Map<string, string | null>): string {
  const s = STRING_PART.exec(part);
  if (s) {
    const body = s[3]!;
    if (!/[fF]/.test(s[1]!)) return body;
    return body.replace(/\{([^{}]+)\}/g, (whole, expr: string) => {
      const name = expr.trim();
      if (!/^[\w.]+$/.test(name)) return `{${name.length > 40 ? `${name.slice(0, 39)}…` : name}}`;
      const known = constants.get(lastSegment(name));
      return typeof known === 'string' ? known : whole;
    });
  }
  if (/^[A-Za-z_][\w.]*$/.test(part)) return constantPart(part, constants);
  return `{${part.length > 40 ? `${part.slice(0, 39)}…` : part}}`;
}

/** Splits `a + "b" + f"{c}"` at top-level `+` (outside strings and brackets). */
function splitConcatenation(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === '+' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((p) => p !== '');
}

/** Project-wide string constants by name (`API_V1_STR = "/api/v1"`); null when a name has several values. */
export function stringConstants(modules: PyModules): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const file of modules.files) {
    for (const b of file.facts.bindings) {
      if (b.kind !== 'variable' && b.kind !== 'class-field') continue;
      const seen = out.get(b.name);
      out.set(b.name, seen === undefined || seen === b.value ? b.value : null);
    }
  }
  return out;
}

/** Joins URL prefixes: '/api' + '/users/' + '/{id}' → '/api/users/{id}'. */
export function joinPaths(...parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (!part) continue;
    out = out.replace(/\/+$/, '') + (part.startsWith('/') ? part : `/${part}`);
  }
  return out || '/';
}

export interface EndpointExtras {
  /** Handler bodies (a function, or a class view's methods): their record access and ownership checks. */
  bodies?: Array<PyFunction | undefined>;
  unmounted?: boolean;
}

export function makeEndpoint(
  framework: Framework,
  methods: string[],
  path: string,
  file: string,
  range: Range,
  guards: Guard[],
  optOuts: string[],
  handler?: { file: string; fn?: { name: string; range: Range } },
  extras: EndpointExtras = {},
): Endpoint {
  const endpoint: Endpoint = { framework, methods, path, file, range, guards: dedupeGuards(guards), optOuts: [...new Set(optOuts)] };
  if (handler?.fn) endpoint.handler = { file: handler.file, name: handler.fn.name, range: handler.fn.range };
  if (extras.unmounted) endpoint.unmounted = true;
  const facts = handlerFacts(
    framework,
    path,
    (extras.bodies ?? []).filter((b): b is PyFunction => b !== undefined),
  );
  if (facts) endpoint.handlerFacts = facts;
  return endpoint;
}

const RANK = { read: 0, update: 1, delete: 2 } as const;

/** Merges handler bodies' facts; a parameter is a path parameter when the route names it, else a query one. */
function handlerFacts(framework: Framework, path: string, bodies: PyFunction[]): Endpoint['handlerFacts'] {
  const all = bodies.map((b) => b.handler).filter((h) => h !== undefined);
  if (all.length === 0) return undefined;
  const out: NonNullable<Endpoint['handlerFacts']> = { ownership: all.some((h) => h.ownership), verifiesSignature: all.some((h) => h.verifiesSignature) };
  const signals = [...new Set(all.flatMap((h) => h.signals ?? []))];
  // Redirect-only needs every method's body to redirect; a CAPTCHA in any body protects its form.
  const redirect = bodies.every((b) => b.handler?.signals?.includes('redirect'));
  const kept = signals.filter((s) => s !== 'redirect' || redirect);
  if (kept.length > 0) out.signals = kept;
  const names = [...new Set(all.flatMap((h) => h.capabilityNames ?? []))].sort();
  if (names.length > 0) out.capabilityNames = names;
  const credential = all.find((h) => h.credentialInput)?.credentialInput;
  if (credential) out.credentialInput = credential;
  const documented = all.find((h) => h.documentedPublic)?.documentedPublic;
  if (documented) out.documentedPublic = documented;
  const authz = all.find((h) => h.clientAuthz)?.clientAuthz;
  if (authz) out.clientAuthz = authz;
  let best: NonNullable<(typeof all)[number]['access']> | undefined;
  for (const h of all) if (h.access && (!best || RANK[h.access.op] > RANK[best.op])) best = h.access;
  if (best) {
    const inPath = new RegExp(`[{<:]${best.name}[}>]|<\\w+:${best.name}>|\\(\\?P<${best.name}>`).test(path);
    const source = best.origin === 'param' ? (inPath || framework !== 'fastapi' ? 'params' : 'query') : best.origin;
    out.recordAccess = { op: best.op, call: best.call, source, name: best.name, line: best.line };
  }
  return out;
}

function dedupeGuards(guards: Guard[]): Guard[] {
  const seen = new Set<string>();
  return guards.filter((g) => {
    const key = `${g.kind}|${g.name}|${g.scope}|${g.path}|${g.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const HTTP_METHOD_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace']);

/** Methods listed in a `methods=[…]` argument, upper-cased; null when absent or not literal. */
export function methodsOf(v: PyValue | undefined): string[] | null {
  if (!v?.items) return null;
  const out = v.items.map((i) => i.str?.toUpperCase()).filter((m): m is string => !!m);
  return out.length > 0 ? out : null;
}

/** An app or router instance (`app = FastAPI()`, `bp = Blueprint(…)`), keyed by file and variable. */
export interface AppObject<K extends string> {
  key: string;
  file: PyFile;
  name: string;
  kind: K;
  call: PyCall;
}

/** The app/router instances of the project, by constructor name → kind, found again from any file's names. */
export class AppObjects<K extends string> {
  private readonly byKey = new Map<string, AppObject<K>>();

  constructor(
    private readonly modules: PyModules,
    constructors: Record<string, K>,
  ) {
    for (const file of modules.files) {
      for (const call of file.routes.calls) {
        const kind = constructors[lastSegment(call.callee)];
        if (kind === undefined || !call.assignedTo) continue;
        const key = `${file.facts.path}#${call.assignedTo}`;
        this.byKey.set(key, { key, file, name: call.assignedTo, kind, call });
      }
    }
  }

  /** The instance a dotted name used in `file` refers to (defined there or imported). */
  find(file: PyFile, dotted: string): AppObject<K> | null {
    const local = this.byKey.get(`${file.facts.path}#${dotted}`);
    if (local) return local;
    const target = this.modules.resolve(file, dotted);
    return target?.kind === 'symbol' ? (this.byKey.get(`${target.file.facts.path}#${target.name}`) ?? null) : null;
  }

  /** The object a method call is made on: `app.include_router(…)` → app. */
  owner(file: PyFile, callee: string): AppObject<K> | null {
    const dot = callee.lastIndexOf('.');
    return dot < 0 ? null : this.find(file, callee.slice(0, dot));
  }

  /**
   * Route decorators on these objects: `@app.get('/x')`, `@bp.route('/x', methods=[…])`. `listVerb` is the
   * decorator that takes `methods=` (`api_route`, `route`); the HTTP-verb decorators give their own method.
   */
  *routeDecorators(listVerb: string): Generator<{
    file: PyFile;
    fn: PyFunction;
    owner: AppObject<K>;
    methods: string[];
    path: PyValue | undefined;
    call: NonNullable<PyValue['call']>;
    range: Range;
  }> {
    for (const file of this.modules.files) {
      for (const fn of file.routes.functions) {
        for (const [i, decorator] of fn.decorators.entries()) {
          const call = decorator.call;
          const verb = call ? lastSegment(call.callee) : '';
          if (!call || !(verb === listVerb || HTTP_METHOD_DECORATORS.has(verb))) continue;
          const owner = this.owner(file, call.callee);
          if (!owner) continue;
          const methods = verb === listVerb ? (methodsOf(call.kwargs['methods']) ?? ['GET']) : [verb.toUpperCase()];
          yield { file, fn, owner, methods, path: call.args[0] ?? call.kwargs['path'] ?? call.kwargs['rule'], call, range: fn.decoratorRanges[i] ?? fn.range };
        }
      }
    }
  }

  all(): AppObject<K>[] {
    return [...this.byKey.values()];
  }
}
