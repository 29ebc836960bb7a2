import { classifySecretName, findConnectionStringPassword, findProviderSecrets, maskSecret } from '../model/secrets.js';
import { routePathSecrets } from '../model/redact.js';

/**
 * Keeping secret values out of the facts cache. The facts of a file hold string literals, and some of them are
 * credentials (bindings, session options, snippets, strings[]). Before an entry is written, every value that
 * could be a secret is cut out of every string in it and replaced by a reference into the file's own text
 * (offset and length of an occurrence, the masked form and a keyed hash). The cache is only read together
 * with the file text it was keyed on, so the references are resolved from that text and checked against the
 * hash; the cache itself never holds the value.
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

/** One string in the entry that held secret values: its path from the entry body, and literal parts / ValueRef indices. */
export interface Patch {
  at: Array<string | number>;
  parts: Array<string | number>;
}

/** Fields that name what an object's `value` holds: bindings (name, path, context), settings and options (api, name). */
const NAMING_FIELDS = ['name', 'path', 'context', 'api'] as const;

const classified = new Map<string, boolean>();

function isSecretName(name: string): boolean {
  let known = classified.get(name);
  if (known === undefined) {
    if (classified.size > 20_000) classified.clear();
    known = classifySecretName(name) !== null;
    classified.set(name, known);
  }
  return known;
}

/**
 * Values shorter than this are left in place: one to three characters are no secret to keep (the mask and hash
 * would give them away anyway), and cutting them out of every string would split the whole entry.
 */
export const MIN_HIDDEN_LENGTH = 4;

/**
 * A candidate this long found inside an object key (or the file path) keeps the file out of the cache; shorter
 * ones also occur in the facts' own field names (`path`, `kind`), which are not the file's data.
 */
export const MIN_KEY_CHECK_LENGTH = 6;

/** No provider format or connection string fits in fewer characters (`amqp://:p@` has 10). */
const MIN_FORMAT_LENGTH = 10;

/** Provider-format secrets and every connection-string password in `s`. */
function addFormatSecrets(s: string, out: Set<string>): void {
  if (s.length < MIN_FORMAT_LENGTH) return;
  for (const hit of findProviderSecrets(s)) out.add(hit.secret);
  // What outputs mask in a route path (a token-like segment: `/hook/<40 hex>`) is a secret at rest too.
  if (s.includes('/')) for (const segment of routePathSecrets(s)) out.add(segment);
  let rest = s;
  for (let guard = 0; guard < 100 && rest !== ''; guard++) {
    const conn = findConnectionStringPassword(rest);
    if (!conn) break;
    if (conn.password !== '') out.add(conn.password);
    rest = rest.slice(conn.index + Math.max(conn.length, 1));
  }
}

/** `{ expr: '…' }`: an option value read as source text (see OptionValue). */
function isExpr(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'expr';
}

/**
 * Every value in `body` that SOC2-002 or any other reader could treat as a secret, conservatively: values of
 * bindings and options whose name (or key) classifySecretName() recognises, positional secret arguments,
 * strings (and lists, `{ expr }` values) under such keys, and every provider-format secret and connection-string
 * password found in any string or key anywhere in the body.
 */
export function secretCandidates(body: unknown): Set<string> {
  const out = new Set<string>();
  // Facts repeat the same strings (kinds, names, modules): each is searched for provider formats once.
  const searched = new Set<string>();
  const search = (s: string): void => {
    if (searched.has(s)) return;
    searched.add(s);
    addFormatSecrets(s, out);
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
    for (const [key, value] of Object.entries(record)) {
      search(key);
      const holdsSecret = isSecretName(key) || (key === 'value' && named);
      // A secret key passes on to its string, list and `{ expr }` values, not into structured facts below it.
      const structured = typeof value === 'object' && value !== null && !Array.isArray(value) && !isExpr(value);
      visit(value, holdsSecret && !structured);
    }
  };
  visit(body, false);
  return out;
}

/** Sets an own property, also one named `__proto__` (a plain assignment would call the prototype setter instead). */
function setOwn(node: object, key: string | number, value: string): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type HideOutcome = { ok: true; values: ValueRef[]; patches: Patch[] } | { ok: false; reason: 'not-in-text' | 'in-key' };

/**
 * Cuts every occurrence of every candidate out of the strings of `body` (modified in place: each such string
 * becomes its masked form) and records how to put them back. Fails when a candidate does not occur verbatim in
 * `text` (a literal written with escape sequences) or inside an object key: such a file is not cached.
 */
export function hideSecrets(body: unknown, candidates: Iterable<string>, text: string, hash: (value: string) => string): HideOutcome {
  const sorted = [...new Set(candidates)].filter((c) => c.length >= MIN_HIDDEN_LENGTH).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (sorted.length === 0) return { ok: true, values: [], patches: [] };
  const values: ValueRef[] = [];
  const index = new Map<string, number>();
  for (const value of sorted) {
    const o = text.indexOf(value);
    if (o === -1) return { ok: false, reason: 'not-in-text' };
    index.set(value, values.length);
    values.push({ o, n: value.length, m: maskSecret(value), h: hash(value) });
  }
  // Longest first: at each position the longest candidate wins, so a shorter one inside it never splits it.
  const pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  const keyCandidates = sorted.filter((c) => c.length >= MIN_KEY_CHECK_LENGTH);
  const patches: Patch[] = [];
  let inKey = false;
  const visit = (node: unknown, at: Array<string | number>): void => {
    if (typeof node !== 'object' || node === null) return;
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, value] of entries) {
      if (typeof key === 'string' && keyCandidates.some((c) => key.includes(c))) inKey = true;
      if (typeof value !== 'string') {
        visit(value, [...at, key]);
        continue;
      }
      const parts: Array<string | number> = [];
      let last = 0;
      for (const m of value.matchAll(pattern)) {
        if (m.index > last) parts.push(value.slice(last, m.index));
        parts.push(index.get(m[0])!);
        last = m.index + m[0].length;
      }
      if (parts.length === 0) continue;
      if (last < value.length) parts.push(value.slice(last));
      patches.push({ at: [...at, key], parts });
      setOwn(node, key, parts.map((p) => (typeof p === 'number' ? values[p]!.m : p)).join(''));
    }
  };
  visit(body, []);
  if (inKey) return { ok: false, reason: 'in-key' };
  return { ok: true, values, patches };
}

function isPart(p: unknown, valueCount: number): p is string | number {
  return typeof p === 'string' || (Number.isInteger(p) && (p as number) >= 0 && (p as number) < valueCount);
}

/**
 * Puts the values back into `body` (modified in place): each reference is read from `text` and must match its
 * keyed hash. False when anything does not fit (the entry is then not used).
 */
export function revealSecrets(body: unknown, values: unknown, patches: unknown, text: string, hash: (value: string) => string): boolean {
  if (!Array.isArray(values) || !Array.isArray(patches)) return false;
  const resolved: string[] = [];
  for (const ref of values as Array<Partial<ValueRef> | null>) {
    if (typeof ref !== 'object' || ref === null) return false;
    const { o, n, h } = ref;
    if (!Number.isInteger(o) || !Number.isInteger(n) || o! < 0 || n! <= 0 || o! + n! > text.length || typeof h !== 'string') return false;
    const value = text.slice(o, o! + n!);
    if (hash(value) !== h) return false;
    resolved.push(value);
  }
  for (const patch of patches as Array<Partial<Patch> | null>) {
    if (typeof patch !== 'object' || patch === null || !Array.isArray(patch.at) || patch.at.length === 0 || !Array.isArray(patch.parts)) return false;
    if (!patch.parts.every((p) => isPart(p, resolved.length))) return false;
    let node: unknown = body;
    for (const step of patch.at.slice(0, -1)) {
      if (typeof node !== 'object' || node === null || (typeof step !== 'string' && typeof step !== 'number') || !Object.hasOwn(node, step)) return false;
      node = (node as Record<string | number, unknown>)[step];
    }
    const last = patch.at.at(-1);
    if (typeof node !== 'object' || node === null || (typeof last !== 'string' && typeof last !== 'number') || !Object.hasOwn(node, last)) return false;
    if (typeof (node as Record<string | number, unknown>)[last] !== 'string') return false;
    setOwn(node, last, patch.parts.map((p) => (typeof p === 'number' ? resolved[p]! : p)).join(''));
  }
  return true;
}
