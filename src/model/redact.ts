import type { Endpoint, Guard, HttpApp } from './endpoints.js';
import type { Range } from './facts.js';
import type { ProjectModel } from './project.js';
import { findConnectionStringPassword, findProviderSecrets, maskSecret, shannonEntropy, whyNotSecret } from './secrets.js';

const MAX_SNIPPET = 240;

/** Explicit secrets shorter than this are masked only in their own finding, not in every text that leaves the engine. */
export const MIN_SHARED_SECRET = 6;

/**
 * A set of known secret values, found in any text in time linear in the text (times the few secrets that share
 * a tail), however many secrets there are: a scan masks every secret any rule found in every snippet, and a
 * repository of fixtures can hold thousands.
 */
export class SecretSet {
  private readonly byTail = new Map<string, string[]>();
  private readonly masks = new Map<string, string>();
  /** Length of the longest secret (0 when empty). */
  readonly longest: number;
  private readonly key: number;

  constructor(secrets: Iterable<string>) {
    const list = [...new Set(secrets)].filter((s) => s.length >= 3);
    this.longest = list.reduce((n, s) => Math.max(n, s.length), 0);
    this.key = list.reduce((n, s) => Math.min(n, s.length), 8);
    for (const secret of list.sort((a, b) => b.length - a.length)) {
      const tail = secret.slice(-this.key);
      const bucket = this.byTail.get(tail);
      if (bucket) bucket.push(secret);
      else this.byTail.set(tail, [secret]);
    }
  }

  /** Adds every occurrence in `text` as [start, end, secret]. */
  collect(text: string, out: Array<[number, number, string]>): void {
    if (this.byTail.size === 0) return;
    for (let end = this.key; end <= text.length; end++) {
      const bucket = this.byTail.get(text.slice(end - this.key, end));
      if (!bucket) continue;
      for (const secret of bucket) if (end >= secret.length && text.startsWith(secret, end - secret.length)) out.push([end - secret.length, end, secret]);
    }
  }

  mask(secret: string): string {
    let m = this.masks.get(secret);
    if (m === undefined) {
      m = maskSecret(secret);
      this.masks.set(secret, m);
    }
    return m;
  }
}

/** `text` with every occurrence masked; overlapping occurrences (of different secrets) become one mask. */
function maskOccurrences(text: string, found: Array<[number, number, string]>, masks: SecretSet): string {
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let last = 0;
  for (let i = 0; i < found.length; ) {
    const [start, , secret] = found[i]!;
    let end = found[i]![1];
    let j = i + 1;
    for (; j < found.length && found[j]![0] < end; j++) end = Math.max(end, found[j]![1]);
    out += text.slice(last, start) + (j === i + 1 ? masks.mask(secret) : maskSecret(''));
    last = end;
    i = j;
  }
  return out + text.slice(last);
}

/**
 * Masks secrets in a piece of text that is about to leave the engine (a snippet, a message). Explicit secret
 * values (`secrets`, and the `shared` set every finding masks) are masked wherever they occur; provider-format
 * secrets and connection-string passwords are masked as a safety net even when no rule named them.
 */
export function redactText(text: string, secrets: readonly string[] = [], shared?: SecretSet): string {
  let out = text;
  const found: Array<[number, number, string]> = [];
  const own = secrets.length > 0 ? new SecretSet(secrets) : undefined;
  shared?.collect(out, found);
  own?.collect(out, found);
  if (found.length > 0) out = maskOccurrences(out, found, own ?? shared!);
  for (const hit of findProviderSecrets(out).sort((a, b) => b.index - a.index)) {
    out = out.slice(0, hit.index) + maskSecret(hit.secret, hit.patternId) + out.slice(hit.index + hit.length);
  }
  for (let guard = 0; guard < 20; guard++) {
    const conn = findConnectionStringPassword(out);
    if (!conn || conn.password === maskSecret(conn.password)) break;
    const masked = maskSecret(conn.password);
    if (out.slice(conn.index, conn.index + conn.length) === masked) break;
    out = out.slice(0, conn.index) + masked + out.slice(conn.index + conn.length);
  }
  return out;
}

/** Replaces the part of `line` covered by `range` (on line `lineNo`) with a mask, keeping surrounding quotes. */
function maskRangeOnLine(line: string, lineNo: number, range: Range, shift = 0): string {
  if (lineNo < range.start.line || lineNo > range.end.line) return line;
  const from = Math.max(0, (lineNo === range.start.line ? range.start.column - 1 : 0) - shift);
  const to = Math.min(line.length, lineNo === range.end.line ? range.end.column - 1 - shift : line.length);
  if (to <= from) return line;
  const covered = line.slice(from, to);
  const open = /^[rbuf]*["'`]/i.exec(covered)?.[0] ?? '';
  const close = /["'`]$/.test(covered) && covered.length > open.length ? covered[covered.length - 1]! : '';
  return line.slice(0, from) + open + maskSecret('') + close + line.slice(to);
}

/**
 * The first line of a finding's range, with secrets masked and long lines cut to MAX_SNIPPET characters.
 * `lines` must be split the way the file's parser counts lines (`splitLines(text, lineTerminatorsFor(language))`).
 * `redactRanges` may hold ranges of other findings: every one that touches the line is masked.
 */
export function makeSnippet(lines: readonly string[], range: Range, secrets: readonly string[], redactRanges: readonly Range[], shared?: SecretSet): string {
  const lineNo = range.start.line;
  const full = lines[lineNo - 1] ?? '';
  // Only a window of a long (minified, CR-joined) line is redacted: wide enough on each side that any secret
  // reaching into the snippet lies wholly inside it, so the cost does not grow with the line.
  const longest = secrets.reduce((n, s) => Math.max(n, s.length), shared?.longest ?? 0);
  const margin = MAX_SNIPPET + longest + 1024;
  const column = Math.max(0, range.start.column - 1);
  const from = full.length > 2 * margin + MAX_SNIPPET ? Math.max(0, column - margin) : 0;
  const to = full.length > 2 * margin + MAX_SNIPPET ? Math.min(full.length, column + MAX_SNIPPET + margin) : full.length;
  let line = full.slice(from, to);
  const touching = redactRanges.filter((r) => r.start.line <= lineNo && r.end.line >= lineNo);
  for (const r of touching.sort((a, b) => b.start.column - a.start.column)) line = maskRangeOnLine(line, lineNo, r, from);
  line = redactText(line, secrets, shared);
  const prefix = from > 0 ? '…' : '';
  const suffix = to < full.length ? '…' : '';
  if (line.length > MAX_SNIPPET) {
    const start = Math.max(0, Math.min(column - from - 40, line.length - MAX_SNIPPET));
    return (start > 0 || prefix ? '…' : '') + line.slice(start, start + MAX_SNIPPET).trimEnd() + (start + MAX_SNIPPET < line.length || suffix ? '…' : '');
  }
  return prefix + line.trimEnd() + suffix;
}

/**
 * A path segment that reads as a random token rather than a word: a capability URL (`/hook/<token>`) keeps its
 * secret in the route itself. Hex of 32+ digits, or 20+ letters and digits mixing upper case, lower case and
 * digits with the spread of random text (camel-case names such as `getUserById2FAEnabled` stay readable).
 */
function looksLikeToken(segment: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(segment)) return true;
  if (segment.length < 20 || !/^[A-Za-z0-9_-]+$/.test(segment)) return false;
  if (!/[A-Z]/.test(segment) || !/[a-z]/.test(segment) || !/\d/.test(segment)) return false;
  // Random text switches between upper case, lower case and digits at ~60% of adjacent pairs; words far less.
  const cls = (c: string) => (c >= 'A' && c <= 'Z' ? 1 : c >= 'a' && c <= 'z' ? 2 : c >= '0' && c <= '9' ? 3 : 0);
  let switches = 0;
  for (let i = 1; i < segment.length; i++) if (cls(segment[i]!) !== cls(segment[i - 1]!)) switches++;
  return switches / (segment.length - 1) >= 0.45 && shannonEntropy(segment) >= 3.5;
}

/** The secrets a route path holds: provider-format tokens anywhere in it and token-like segments. */
export function routePathSecrets(path: string): string[] {
  const found = findProviderSecrets(path).map((hit) => hit.secret);
  for (const segment of path.split(/[/?#&=;:.,]+/)) if (looksLikeToken(segment) && !found.some((s) => s.includes(segment))) found.push(segment);
  return found;
}

/** A quoted literal of 8 to 200 characters (no line breaks); each alternative excludes the other's first character. */
const LITERAL = /(['"`])((?:(?!\1)[^\\\r\n]|\\.){8,200})\1/g;

/**
 * A guard is shown as written, and a literal in it may be a credential no rule named
 * (`basicAuth({ users: { admin: '…' } })`): literals that could be secrets - letters and digits, no blank, and
 * not ruled out by `whyNotSecret` - are masked. Role, strategy and permission names stay readable.
 */
function maskGuardLiterals(text: string): string {
  const out = text.replace(LITERAL, (literal, quote: string, value: string) =>
    /\d/.test(value) && /[A-Za-z]/.test(value) && !/\s/.test(value) && whyNotSecret(value) === null ? `${quote}${maskSecret('')}${quote}` : literal,
  );
  // A name shortened inside a literal (`jwt({ secret: 'Hq8Lm2…`) shows the start of a value no mask matches.
  if (!out.endsWith('…')) return out;
  const open = Math.max(out.lastIndexOf("'"), out.lastIndexOf('"'), out.lastIndexOf('`'));
  if (open === -1 || out.split(out[open]!).length % 2 !== 0) return out; // every quote of that kind is closed
  return out.length - 1 - (open + 1) >= 4 ? `${out.slice(0, open + 1)}${maskSecret('')}…` : out;
}

/**
 * The project model as it may leave the engine: route paths, guard and handler names and opt-outs with every
 * known secret, every provider-format secret and every token-like route segment masked, and literals in guards
 * that could be secrets masked too. Rules read the raw
 * model; commands, reporters and the evidence export only ever see this one.
 */
export function redactProjectModel(model: ProjectModel, secrets: SecretSet): ProjectModel {
  const r = (text: string) => redactText(text, [], secrets);
  const guard = (g: Guard): Guard => ({ ...g, name: maskGuardLiterals(r(g.name)) });
  const endpoint = (e: Endpoint): Endpoint => {
    const out: Endpoint = { ...e, path: r(e.path), guards: e.guards.map(guard), optOuts: e.optOuts.map(r) };
    if (e.handler) out.handler = { ...e.handler, ...(e.handler.name !== undefined ? { name: r(e.handler.name) } : {}) };
    if (e.handlerFacts) {
      out.handlerFacts = { ...e.handlerFacts };
      const access = e.handlerFacts.recordAccess;
      if (access) out.handlerFacts.recordAccess = { ...access, call: r(access.call), name: r(access.name) };
    }
    return out;
  };
  const app = (a: HttpApp): HttpApp => ({ ...a, guards: a.guards.map(guard) });
  return { files: model.files, endpoints: model.endpoints.map(endpoint), apps: model.apps.map(app) };
}

/** Every secret the endpoint model holds in its route paths (added to the secrets masked in findings). */
export function modelSecrets(model: ProjectModel): string[] {
  const found = new Set<string>();
  for (const e of model.endpoints) for (const s of routePathSecrets(e.path)) found.add(s);
  return [...found];
}
