import type { JsFeatureInput } from '../feature-input.js';
import type { Node } from '@babel/types';
import { isFunction, propertyKey } from '../ast.js';
import { Summaries, classifyGuard } from './guards.js';
import { exportNamesOf, readModule } from './module-info.js';
import { extractNest } from './nestjs.js';
import { guardClassesOf } from './nest-guards.js';
import { extractNext } from './nextjs.js';
import { HTTP_METHODS } from './router-parts.js';
import { extractRouters } from './routers.js';
import { REQUEST_ID_SOURCES, SIGNATURE_CALLS } from './summary.js';
import { AUTHZ_CALLS, GUARD_NAMES, GUARD_PACKAGES, IDENTITY_CALLS, OWNER_PROPERTIES, ROLE_PROPERTIES } from '../tables/guards.js';
import { AUTH_HEADER, IDENTITY_DECORATORS, IDENTITY_NAMES, IDENTITY_SEGMENT } from '../tables/identity.js';
import type { FileFacts } from '../../../model/facts.js';
import type { JsFunctionSummary, JsRoutes } from '../../../model/js-routes.js';

const FRAMEWORK_MODULES = /^(express|fastify|fastify-plugin|koa|@koa\/router|koa-router|@nestjs\/|next(\/|$)|next-auth)/;
const NEXT_FILE = /(?:^|\/)(?:src\/)?(?:pages\/api\/|app\/(?:.+\/)?route\.|middleware\.|proxy\.|next\.config\.)/;
function usesFramework(facts: FileFacts, path: string): boolean {
  return facts.imports.some((i) => FRAMEWORK_MODULES.test(i.module)) || NEXT_FILE.test(path);
}

/**
 * Calls a router file makes: the routers, NestJS and Next.js readers run on a file without a framework import only
 * when one is there. Every method routers.ts registers (HTTP_METHODS: `router.all`, koa's and restify's `del` too).
 */
const ROUTER_CALL = new RegExp(String.raw`\b(?:${[...HTTP_METHODS, 'use', 'route', 'register'].join('|')})\s*\(`);

/**
 * `^(…)$`, a table matched against one whole name, as regex sources that find such a name in a text: each
 * alternative between word boundaries, except that a leading `\w*`, `\w+` or `(?:\w+_?)?` goes with its
 * boundary (`\w*_?audit\w*` → `_?audit`), and so does a trailing `\w*`. A superset of the names, and fast.
 */
function asWords(table: RegExp): string[] {
  const s = table.source;
  if (!s.startsWith('^(') || !s.endsWith(')$') || groupEnd(s, 1) !== s.length - 2) throw new Error(`not a whole-name table: ${s}`);
  const body = s.slice(s.startsWith('^(?:') ? 4 : 2, -2);
  return topAlternatives(body).map((alt) => {
    const open = alt.replace(/^(?:\\w[*+]|\(\?:\\w\+_\?\)\?)/, '');
    const close = open.replace(/\\w\*$/, '');
    return `${open === alt ? '\\b' : ''}(?:${close})${close === open ? '\\b' : ''}`;
  });
}

/** The alternatives of a regex body at its top level. */
function topAlternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(body.slice(from, i));
      from = i + 1;
    }
  }
  out.push(body.slice(from));
  return out;
}

/** The index of the `)` that closes the group opened at `open` (escapes and character classes skipped). */
function groupEnd(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * One regex for many alternatives: those that start at a word boundary share one `\\b(?:…)` (which V8 scans fast;
 * a long flat alternation it scans slowly), the others follow.
 */
function anyOf(sources: string[], flags = ''): RegExp {
  const words = new Set<string>();
  const rest = new Set<string>();
  for (const s of sources) (s.startsWith('\\b') ? words : rest).add(s.startsWith('\\b') ? s.slice(2) : s);
  return new RegExp([`\\b(?:${[...words].join('|')})`, ...rest].join('|'), flags);
}

/** Tables matched case-sensitively: a case-insensitive one here would make the gate miss names. */
function cased(table: RegExp): RegExp {
  if (table.flags.includes('i')) throw new Error(`case-insensitive table in a case-sensitive gate: ${table.source}`);
  return table;
}

/** A literal name whose punctuation a string may also spell escaped (`'express\\-jwt'`). */
function literal(name: string): string {
  return [...name].map((c) => (/\w/.test(c) ? c : `\\\\?\\${c}`)).join('');
}

/** AUTH_HEADER: plain words and dashes, a dash maybe escaped. */
function headerWords(table: RegExp): string {
  if (!/^[\w|-]+$/.test(table.source)) throw new Error(`not a list of header names: ${table.source}`);
  return table.source.replace(/-/g, '\\\\?-');
}

/**
 * A backslash that a string literal or identifier may decode into a word character (`\x61`, `\u0061`, `\141`,
 * `\a`, `\8`). The gate reads names as the source spells them, so a file with one is read again as `decodeEscapes`
 * spells it. Left out: `\n \r \t \b \f \v \0`, which decode to no word character, and escaped punctuation,
 * which no gated name has but module names and headers, whose punctuation the gate's regexes let be escaped
 * (`literal`, `headerWords`).
 */
const NAME_ESCAPE = /\\(?:[ac-eg-mo-qsuw-zA-Z_1-9]|0[0-7])/;
/** A line continuation joins what is around it in a string, but not in a comment: a file with one is not gated. */
const LINE_CONTINUATION = /\\[\n\r\u2028\u2029]/;
const ESCAPE_SEQUENCE = /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-3][0-7]{0,2}|[4-7][0-7]?)|(.))/g;

/**
 * The text with every escape sequence replaced by what it stands for, as in a string literal or identifier. A
 * backslash always pairs with what follows it, in a string, a regex literal or a comment alike, and none reaches
 * past a line end (LINE_CONTINUATION aside): the names of the file's strings and identifiers read here as in its AST.
 */
function decodeEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, (_, brace?: string, u4?: string, x2?: string, octal?: string, other?: string) => {
    const code = brace ?? u4 ?? x2;
    if (code !== undefined) return String.fromCodePoint(Math.min(Number.parseInt(code, 16), 0x10ffff));
    return octal !== undefined ? String.fromCharCode(Number.parseInt(octal, 8)) : (other ?? '');
  });
}

/** `401` as a number literal in any spelling (`401`, `4_01`, `4.01e2`, `0x191`, `0o621`, `0621`, `0b…`). */
const NUMBER_401 = /4_?0_?1|4[._]*0[._]*1[0._]*[eE]|0[xX][0_]*1_?9_?1|0[oO][0_]*6_?2_?1|\b0+621|0[bB][01_]+/;

/**
 * Names the summaries and guard values react to, case-sensitive: who the caller is (summary.ts `isIdentity`:
 * request members, user variables, identity calls, NestJS user decorators), roles and owner columns
 * (`mentionsRole`, `comparesOwner`, `hasOwnerKey`), request identifiers (`requestSource`, `@Param`/`@Query`/`@Body`),
 * self-checking auth calls (SELF_CHECKING_AUTH_CALLS: `jwt.verify`, `jsonwebtoken.verify`, `jwtVerify`,
 * `verifyIdToken`, `verifyAccessToken`; `x.authenticate` and `auth.protect` are GUARD_NAMES words), signature
 * checks (SIGNATURE_CALLS, which also covers HELPER_SIGNATURE), a 401 (`answers401`), authorisation calls
 * (AUTHZ_CALLS, only ever a callee: the name then, past spaces, `(`, `<`, `?.`, `!`, `)`, a comment, the end of a
 * quoted key, `as` or `satisfies`), and the guard packages as `require('…')` strings (`classifyGuard`).
 */
const CASED_NAMES = anyOf([
  ...[IDENTITY_SEGMENT, IDENTITY_NAMES, IDENTITY_DECORATORS, IDENTITY_CALLS, ROLE_PROPERTIES, OWNER_PROPERTIES].flatMap((t) => asWords(cased(t))),
  `\\b(?:${[...REQUEST_ID_SOURCES, 'Param', 'Query', 'Body'].join('|')})\\b`,
  '\\b(?:jwt|jsonwebtoken|jwtVerify|verifyIdToken|verifyAccessToken)\\b',
  cased(SIGNATURE_CALLS).source.replace(/\$$/, ''),
  NUMBER_401.source,
  `\\b(?:${asWords(cased(AUTHZ_CALLS)).join('|')})(?=\\s*(?:[()<?!/]|['"\`]\\s*[\\]/]|as\\b|satisfies\\b))`,
  `['"\`](?:${GUARD_PACKAGES.map((p) => literal(p.module)).join('|')})['"\`]`,
]);

/**
 * Names and texts matched case-insensitively: every GUARD_NAMES pattern (`classifyGuard` gives an exported value
 * the kind its name says, whatever the kind; the summaries read the authentication and rate-limit names),
 * AUTH_HEADER, and what `publicSignals` finds in a body: `redirect(` (REDIRECT), a CAPTCHA
 * (CAPTCHA_CHECK), a token check (TOKEN_CHECK: `unserialize(`, `unsign(`, `loads(`, `…token(`), a constant text or
 * page (CONSTANT_HANDLER, STATIC_PAGE_HANDLER: `.send(`, `.end(`, `.render(`) or a file (STATIC_FILE_HANDLER: `.sendFile(`).
 */
const ANY_CASE_NAMES = anyOf(
  [
    ...GUARD_NAMES.flatMap((g) => asWords(g.pattern)),
    headerWords(AUTH_HEADER),
    '(?:redirect|permanentRedirect)\\(|captcha|turnstile|(?:unserialize|unsign|loads|token)\\s*\\(|\\.(?:send|end|render|sendFile)\\(',
  ],
  'i',
);
const GUARD_MODULES = new Set(GUARD_PACKAGES.map((p) => p.module));

/** What makes a function or scope exported: `export`, `module.exports`, `exports.x`. */
const EXPORTS = /export/;

/**
 * A plugin or `routes(app)` function (router-parts.ts `pluginParam`: its first parameter gets `.route(`,
 * `.register(`, `.addHook(`, or an HTTP method called with a path string, `''` or `'*'`, first), or an app made
 * by `require('express')()` / `require('express').Router()` (`creation`): the only scopes of a file that imports
 * no framework. The method is a member name: after a `.`, a comment or at a line's start (past a line comment),
 * then spaces and `(` with the string's quote, or what may stand between: `<`, a comment, a parenthesis.
 */
const ROUTER_SCOPE = new RegExp(
  [
    `(?:[.\\n\\r\\u2028\\u2029]|\\*/)\\s*(?:route|register|addHook)\\b`,
    `(?:[.\\n\\r\\u2028\\u2029]|\\*/)\\s*(?:${[...HTTP_METHODS].join('|')})\\s*(?:[</]|\\)\\s*[(</]|\\(\\s*(?:['"\`]\\\\?[/*'"\`]|[/(]))`,
    `['"\`](?:express|fastify|koa)['"\`]`,
  ].join('|'),
);

/**
 * What of the endpoint feature may find anything in this file beyond its barrel re-exports (read apart, always):
 * `'all'`, only the exported functions and guard values (`'exports'`: no router, NestJS or Next.js fact), or
 * nothing (`'none'`). A necessary condition, from every branch that can add a fact:
 * - a framework import or a Next.js file name: routers, NestJS, Next.js routes (nestjs.ts and nextjs.ts add
 *   nothing otherwise; NEXT_FILE covers PAGES_API, APP_ROUTE, MIDDLEWARE and NEXT_CONFIG);
 * - else routers.ts only finds scopes (and through them uses, routes, and the summaries of their handlers and
 *   middleware) where ROUTER_CALL and ROUTER_SCOPE hold;
 * - an exported function or guard value is kept only with checks (kinds), a record access, ownership, a signature
 *   check or public-by-design signals: the file says `export` and names one of CASED_NAMES or ANY_CASE_NAMES, or
 *   imports a guard package (GUARD_PACKAGES: `importKind`, module-level guard variables). Optional authentication
 *   (`optionalAuth`) comes with no kinds and keeps nothing by itself; a NestJS `@Req()` parameter adds `name.user`,
 *   a dotted name no root can be; NestJS guard classes need a NestJS import.
 * Names are read as spelled and, with a NAME_ESCAPE, as decoded (`decodeEscapes`). The exported functions are read
 * whenever the routers are: their summaries are the route handlers' too (reading an export sets their `exportedAs`).
 */
export function jsRoutesMayApply(text: string, facts: FileFacts, path: string): 'all' | 'exports' | 'none' {
  if (usesFramework(facts, path) || LINE_CONTINUATION.test(text)) return 'all';
  let decoded: string | null | undefined;
  // The text as a file with escapes spells its names, read only when the text as written is not enough.
  const asDecoded = (test: (t: string) => boolean) => {
    if (decoded === undefined) decoded = NAME_ESCAPE.test(text) ? decodeEscapes(text) : null;
    return decoded !== null && test(decoded);
  };
  const routerScope = (t: string) => ROUTER_SCOPE.test(t);
  if (ROUTER_CALL.test(text) && (routerScope(text) || asDecoded(routerScope))) return 'all';
  const exported = (t: string) => EXPORTS.test(t);
  if (facts.imports.some((i) => GUARD_MODULES.has(i.module))) return exported(text) || asDecoded(exported) ? 'exports' : 'none';
  return mayExportGuards(text) || asDecoded(mayExportGuards) ? 'exports' : 'none';
}

/** The text says `export` and names something a summary or guard value is kept for. */
function mayExportGuards(text: string): boolean {
  return EXPORTS.test(text) && (CASED_NAMES.test(text) || ANY_CASE_NAMES.test(text));
}

/**
 * The JS/TS endpoint feature: fills `facts.jsRoutes` for files that use a web framework, declare file-based
 * Next.js routes, or export functions other files may use as handlers or middleware.
 */
export function extractJsRoutes(input: JsFeatureInput): void {
  extractJsRoutesWith(input, true);
}

/** The endpoint facts, with or without the gate (without: every file is read in full; the tests compare both). */
export function extractJsRoutesWith(input: JsFeatureInput, useGate: boolean): void {
  const { ast, path, text, facts } = input;
  const out: JsRoutes = { scopes: [], uses: [], routes: [], functions: [] };
  const parts = useGate ? jsRoutesMayApply(text, facts, path) : 'all';
  if (parts !== 'none') readEndpoints(input, out, parts === 'all');
  const reexports: NonNullable<JsRoutes['reexports']> = [];
  for (const node of ast.program.body) {
    if (node.type === 'ExportNamedDeclaration' && node.source && node.source.value.startsWith('.')) {
      for (const sp of node.specifiers) {
        if (sp.type !== 'ExportSpecifier') continue;
        reexports.push({
          module: node.source.value,
          imported: sp.local.name,
          exported: sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value,
        });
      }
    } else if (node.type === 'ExportAllDeclaration' && node.source.value.startsWith('.')) {
      reexports.push({ module: node.source.value, imported: '*', exported: '*' });
    }
  }
  if (reexports.length > 0) out.reexports = reexports;
  if (out.scopes.length + out.uses.length + out.routes.length + out.functions.length > 0 || out.nest || out.nextMiddleware || out.nextConfig || out.reexports)
    facts.jsRoutes = out;
}

/** Routers, NestJS, Next.js, and the exported functions and guard values: everything but the re-exports. */
function readEndpoints(input: JsFeatureInput, out: JsRoutes, routers: boolean): void {
  const { ast, index, path, text, facts } = input;
  const info = readModule(ast, text, facts.imports);
  const summaries = new Summaries(info);
  if (routers && (usesFramework(facts, path) || ROUTER_CALL.test(text))) {
    extractRouters(ast, index, info, summaries, out);
    extractNest(ast, index, info, summaries, out);
    extractNext(ast, path, info, summaries, out);
  }
  // Exported functions: handlers and middleware that routes in other files refer to.
  for (const [local, names] of info.exportsByName) {
    const fn = info.functions.get(local);
    if (fn) summaries.of(fn, local, names);
  }
  for (const e of info.exportedNodes) {
    const n = e.node;
    if (
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'FunctionDeclaration' ||
      n.type === 'ObjectMethod' ||
      n.type === 'ClassMethod'
    ) {
      summaries.of(n, e.names[0]!, exportNamesOf(info, null, n));
    }
  }
  // Exported guard values: `export const auth = passport.authenticate('jwt')`, `export default { required: jwt({…}) }`.
  const values: JsFunctionSummary[] = [];
  const addValue = (node: Node, local: string, names: string[]) => {
    const g = classifyGuard(node, info, summaries);
    if (!g || (g.kinds.length === 0 && !g.optionalAuth)) return;
    const value: JsFunctionSummary = {
      exportedAs: names,
      name: local,
      line: g.line,
      checks: g.kinds.map((kind) => ({ kind, name: g.name, line: g.line })),
      ownership: false,
      verifiesSignature: false,
    };
    if (g.optionalAuth) value.optionalAuth = true;
    values.push(value);
  };
  for (const [local, names] of info.exportsByName) {
    const init = info.inits.get(local);
    if (!init) continue;
    if (init.type === 'ObjectExpression') {
      for (const p of init.properties) {
        const key = p.type === 'ObjectProperty' || p.type === 'ObjectMethod' ? propertyKey(p) : null;
        if (key === null) continue;
        const value = p.type === 'ObjectProperty' ? (p.value as Node) : p;
        const memberNames = names.flatMap((n) => (n === 'default' ? [key, `default.${key}`] : [`${n}.${key}`]));
        if (isFunction(value)) summaries.of(value, `${local}.${key}`, memberNames);
        else addValue(value, `${local}.${key}`, memberNames);
      }
    } else addValue(init, local, names);
  }
  // Exported NestJS guard classes, classified by their `canActivate` for the controllers that import them.
  if (facts.imports.some((i) => i.module.startsWith('@nestjs/'))) {
    const classes: Node[] = [];
    index.visit(ast, ['ClassDeclaration'], (n) => {
      classes.push(n);
    });
    for (const [name, guard] of guardClassesOf(classes, text)) {
      const names = info.exportsByName.get(name);
      if (!names) continue;
      const line = classes.find((c) => (c as { id?: { name: string } | null }).id?.name === name)?.loc?.start.line ?? 1;
      values.push({ exportedAs: names, name, line, checks: [], ownership: false, verifiesSignature: false, nestGuard: guard });
    }
  }
  out.functions = [...values, ...summaries.all()].filter(
    // A handler another file routes to keeps what makes it public by design (`res.render('dashboard')`, a redirect).
    (s) => s.exportedAs.length > 0 && (s.checks.length > 0 || s.access || s.ownership || s.verifiesSignature || s.nestGuard || s.signals),
  );
}
