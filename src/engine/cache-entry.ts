import { createHmac } from 'node:crypto';
import { MIN_KEY_CHECK_LENGTH, MIN_HIDDEN_LENGTH, secretCandidates, type ValueRef } from './cache-secrets.js';
import { maskSecret } from '../model/secrets.js';
import type { Extracted } from './extract.js';

/**
 * One entry of the facts cache, prepared where the file was extracted (a worker thread, or the main thread for
 * in-process scans). An entry is one line of the pack: `<mac> TAB <meta JSON> TAB <content JSON>`.
 * - content: the extraction (`{"facts":…,"errors":…}`) as JSON text, with every value that could be a secret cut
 *   out and replaced by its mask (text-level, so object keys are covered as well as strings);
 * - meta: `{ path, key, values, patches }`: the file's path and cache key, one ValueRef per cut-out value (where it
 *   is in the file text, its mask, its keyed hash) and the patches (offset in the content, value index);
 * - mac: HMAC-SHA256 with the cache folder's key over the exact meta and content text as stored, so a reader
 *   verifies what it read without serialising anything again.
 * JSON text never holds a raw tab or newline (JSON.stringify escapes them), so the separators are unambiguous.
 */

export const PACK_FORMAT = 'complianceagent-facts-cache';
export const PACK_VERSION = 3;

export interface EntryMeta {
  path: string;
  key: string;
  values: ValueRef[];
  /** Flat pairs: offset in the stored content where a mask stands, index into `values`; ascending offsets. */
  patches: number[];
}

export type UncachedReason = 'not-in-text' | 'in-path' | 'leak-check';

/** The pack line of the entry, or why the file is not cached. */
export type PreparedEntry = { line: string } | { skip: UncachedReason };

/** HMAC-SHA256 over the parts (each ended by a NUL), hex. */
export function macOf(hmacKey: Uint8Array, ...parts: string[]): string {
  const h = createHmac('sha256', hmacKey);
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** The MAC of an entry: its meta and content text exactly as stored in the pack. */
export function entryMac(hmacKey: Uint8Array, meta: string, content: string): string {
  return macOf(hmacKey, 'entry', PACK_FORMAT, String(PACK_VERSION), meta, content);
}

/** The keyed hash of a secret value, bound to the entry's cache key. */
export function valueHasher(hmacKey: Uint8Array, key: string): (value: string) => string {
  return (value) => macOf(hmacKey, 'value', key, value);
}

/** Where the content starts in a pack line (after the second tab). */
export function contentStart(line: string): number {
  return line.indexOf('\t', line.indexOf('\t') + 1) + 1;
}

/** The extraction as the JSON text an entry's content is made of (and the worker sends to the main thread). */
export function extractedJson(extracted: Extracted): string {
  return JSON.stringify({ facts: extracted.facts, errors: extracted.errors });
}

/** `s` as it appears inside a JSON string literal. */
export function jsonEscaped(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Prepares the entry of `path` (extracted from `text`, whose cache key is `key`); `json` is extractedJson() of the
 * extraction when the caller already has it. Every value that could be a secret (secretCandidates) is cut out of
 * the JSON text wherever it occurs and stored as a reference into `text`; when a value does not occur verbatim in
 * `text` (written with escapes) or occurs in the path, the file is not cached.
 */
export function prepareEntry(
  hmacKey: Uint8Array,
  path: string,
  key: string,
  extracted: Extracted,
  text: string,
  json: string = extractedJson(extracted),
): PreparedEntry {
  const candidates = [...secretCandidates({ facts: extracted.facts, errors: extracted.errors })]
    .filter((c) => c.length >= MIN_HIDDEN_LENGTH)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const values: ValueRef[] = [];
  const patches: number[] = [];
  let content = json;
  if (candidates.length > 0) {
    // A value of stars is what masks look like: no secret, and found in every mask.
    const long = candidates.filter((c) => c.length >= MIN_KEY_CHECK_LENGTH && !/^\*+$/.test(c));
    // The path is the entry's name in the pack, outside what can be cut out.
    if (long.some((c) => path.includes(c))) return { skip: 'in-path' };
    const hash = valueHasher(hmacKey, key);
    const index = new Map<string, number>();
    for (const value of candidates) {
      const o = text.indexOf(value);
      if (o === -1) return { skip: 'not-in-text' };
      index.set(jsonEscaped(value), values.length);
      values.push({ o, n: value.length, m: maskSecret(value), h: hash(value) });
    }
    // Longest first: at each position the longest candidate wins, so a shorter one inside it never splits it.
    const pattern = new RegExp([...index.keys()].map(escapeRegExp).join('|'), 'g');
    const out: string[] = [];
    let last = 0;
    let length = 0;
    for (const m of json.matchAll(pattern)) {
      const i = index.get(m[0])!;
      const mask = jsonEscaped(values[i]!.m);
      out.push(json.slice(last, m.index), mask);
      length += m.index - last;
      patches.push(length, i);
      length += mask.length;
      last = m.index + m[0].length;
    }
    out.push(json.slice(last));
    content = out.join('');
    // A second line of defence: no value (raw or JSON-escaped) may be left anywhere in what is written.
    if (long.some((c) => content.includes(c) || content.includes(jsonEscaped(c)))) return { skip: 'leak-check' };
  }
  const meta = JSON.stringify({ path, key, values, patches } satisfies EntryMeta);
  return { line: `${entryMac(hmacKey, meta, content)}\t${meta}\t${content}` };
}

/**
 * The content of an entry with its values put back, each read from `text` and checked against its keyed hash;
 * undefined when anything does not fit (the entry is then not used).
 */
export function revealContent(content: string, meta: EntryMeta, text: string, hash: (value: string) => string): string | undefined {
  const { values, patches } = meta;
  if (!Array.isArray(values) || !Array.isArray(patches) || patches.length % 2 !== 0) return undefined;
  if (patches.length === 0) return content;
  const resolved: Array<{ value: string; mask: string }> = [];
  for (const ref of values as Array<Partial<ValueRef> | null>) {
    if (typeof ref !== 'object' || ref === null) return undefined;
    const { o, n, m, h } = ref;
    if (!Number.isInteger(o) || !Number.isInteger(n) || o! < 0 || n! <= 0 || o! + n! > text.length || typeof h !== 'string' || typeof m !== 'string')
      return undefined;
    const value = text.slice(o, o! + n!);
    if (hash(value) !== h) return undefined;
    resolved.push({ value: jsonEscaped(value), mask: jsonEscaped(m) });
  }
  const out: string[] = [];
  let last = 0;
  for (let p = 0; p < patches.length; p += 2) {
    const at = patches[p];
    const ref = resolved[patches[p + 1]!];
    if (!Number.isInteger(at) || ref === undefined || at! < last || !content.startsWith(ref.mask, at)) return undefined;
    out.push(content.slice(last, at), ref.value);
    last = at! + ref.mask.length;
  }
  out.push(content.slice(last));
  return out.join('');
}
