import { classifySecretName, findConnectionStringPassword, findPatternMatches, hasConnectionMarker, providerPatternsIn } from '../model/secrets.js';
import { routePathSecrets } from '../model/redact.js';

/**
 * Keeping secret values out of the facts cache. The facts of a file hold string literals, and some of them are
 * credentials (bindings, session options, snippets, strings[]). Before an entry is written, every value that
 * could be a secret is cut out of the entry's JSON text and replaced by a reference into the file's own text
 * (offset and length of an occurrence, the masked form and a keyed hash; cache-entry.ts does the cutting).
 * The cache is only read together with the file text it was keyed on, so the references are resolved from that
 * text and checked against the hash; the cache itself never holds the value.
 */

/** A value cut out of the entry: where it is in the file text, its masked form and its keyed hash. */
export interface ValueRef {
  /** Offset and length (UTF-16 code units) of an occurrence in the file text. */
  o: number;
  n: number;
  /** maskSecret(value): what a reader of the cache sees instead of the value. */
  m: string;
  /** Keyed hash of the value (HMAC-SHA256, the cache folder's key, bound to the entry's cache key). */
  h: string;
}

/** Fields that name what an object's `value` holds: bindings (name, path, context), settings and options (api, name). */
const NAMING_FIELDS = ['name', 'path', 'context', 'api'] as const;

/** classifySecretName remembers its answers (model/memo.ts). */
const isSecretName = (name: string): boolean => classifySecretName(name) !== null;

/**
 * Values shorter than this are left in place: one to three characters are no secret to keep (the mask and hash
 * would give them away anyway), and cutting them out of every string would split the whole entry.
 */
export const MIN_HIDDEN_LENGTH = 4;

/**
 * A candidate this long found in the file path keeps the file out of the cache, and is checked absent from the
 * stored entry (the leak check); shorter ones also occur in the facts' own field names (`path`, `kind`), which
 * are cut out with the rest but cannot be told apart from the file's data by that check.
 */
export const MIN_KEY_CHECK_LENGTH = 6;

/** No provider format or connection string fits in fewer characters (`amqp://:p@` has 10). */
const MIN_FORMAT_LENGTH = 10;

/** A route-path segment that could read as a token (redact.ts looksLikeToken) is at least 20 of these. */
const TOKEN_RUN = /[\w-]{20}/;

/**
 * Provider-format secrets and every connection-string password in `strings` (each distinct, at least
 * MIN_FORMAT_LENGTH long). A pattern runs only on strings that hold one of its keywords (as findProviderSecrets
 * does), and only patterns whose keyword occurs somewhere in the entry are tried at all: most entries hold none,
 * so the cost is one search per keyword over the entry's strings, not one per keyword and string. Every match
 * is a candidate, overlapping ones included (a superset of findProviderSecrets, which keeps the first of
 * overlapping matches).
 */
function addFormatSecrets(strings: readonly string[], out: Set<string>): void {
  if (strings.length === 0) return;
  const lowers = strings.map((s) => s.toLowerCase());
  const joined = lowers.join('\n');
  const patterns = providerPatternsIn(joined);
  const connections = hasConnectionMarker(joined);
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i]!;
    const lower = lowers[i]!;
    for (const pattern of patterns) for (const hit of findPatternMatches(pattern, s, lower)) out.add(hit.secret);
    // What outputs mask in a route path (a token-like segment: `/hook/<40 hex>`) is a secret at rest too; its
    // provider-format secrets are the ones just added.
    if (s.includes('/') && TOKEN_RUN.test(s)) for (const segment of routePathSecrets(s)) out.add(segment);
    if (!connections || !hasConnectionMarker(lower)) continue;
    let rest = s;
    for (let guard = 0; guard < 100 && rest !== ''; guard++) {
      const conn = findConnectionStringPassword(rest);
      if (!conn) break;
      if (conn.password !== '') out.add(conn.password);
      rest = rest.slice(conn.index + Math.max(conn.length, 1));
    }
  }
}

/** `{ expr: '…' }`: an option value read as source text (see OptionValue). */
function isExpr(value: object): boolean {
  return Object.hasOwn(value, 'expr') && Object.keys(value).length === 1;
}

/** A source range (`{ start: { line, column }, end: … }`, numbers only): nothing in it to search. */
function isRange(value: unknown): boolean {
  const r = value as { start?: { line?: unknown; column?: unknown }; end?: { line?: unknown; column?: unknown } } | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.start === 'object' &&
    r.start !== null &&
    typeof r.end === 'object' &&
    r.end !== null &&
    typeof r.start.line === 'number' &&
    typeof r.start.column === 'number' &&
    typeof r.end.line === 'number' &&
    typeof r.end.column === 'number' &&
    Object.keys(r).length === 2 &&
    Object.keys(r.start).length === 2 &&
    Object.keys(r.end).length === 2
  );
}

/**
 * Every value in `body` that SOC2-002 or any other reader could treat as a secret, conservatively: values of
 * bindings and options whose name (or key) classifySecretName() recognises, positional secret arguments,
 * strings (and lists, `{ expr }` values) under such keys, and every provider-format secret and connection-string
 * password found in any string or key anywhere in the body.
 */
export function secretCandidates(body: unknown): Set<string> {
  const out = new Set<string>();
  // Facts repeat the same strings (kinds, names, modules): each is searched for provider formats once, at the end.
  const searched = new Set<string>();
  const search = (s: string): void => {
    if (s.length >= MIN_FORMAT_LENGTH) searched.add(s);
  };
  const visit = (node: unknown, secret: boolean): void => {
    if (typeof node === 'string') {
      if (secret && node.length >= MIN_HIDDEN_LENGTH) out.add(node);
      search(node);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, secret);
      return;
    }
    const record = node as Record<string, unknown>;
    if (secret && isExpr(record)) {
      visit(record.expr, true);
      return;
    }
    const named = record.kind === 'argument' || NAMING_FIELDS.some((f) => typeof record[f] === 'string' && isSecretName(record[f] as string));
    for (const key of Object.keys(record)) {
      const value = record[key];
      // Ranges are most of the objects in the facts (one per binding, string, call…) and hold only numbers.
      if (key === 'range' && isRange(value)) continue;
      search(key);
      const holdsSecret = isSecretName(key) || (key === 'value' && named);
      // A secret key passes on to its string, list and `{ expr }` values, not into structured facts below it.
      const structured = typeof value === 'object' && value !== null && !Array.isArray(value) && !isExpr(value);
      visit(value, holdsSecret && !structured);
    }
  };
  visit(body, false);
  addFormatSecrets([...searched], out);
  return out;
}
