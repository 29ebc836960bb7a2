import { createHmac } from 'node:crypto';
import type { FileFacts } from '../model/facts.js';
import { MIN_KEY_CHECK_LENGTH, hideSecrets, secretCandidates, type Patch, type ValueRef } from './cache-secrets.js';
import type { Extracted } from './extract.js';

/**
 * One entry of the facts cache, prepared where the file was extracted (a worker thread, or the main thread for
 * in-process scans): the secret values cut out (cache-secrets.ts), the content signed with the cache folder's
 * key, the whole entry serialised. The main thread then only stores the string and writes it with the pack, so a
 * cold scan with a cache does no per-file cache work on the thread that also reads files and runs the rules.
 */

export const PACK_FORMAT = 'complianceagent-facts-cache';
export const PACK_VERSION = 2;

export interface StoredEntry {
  key: string;
  facts: FileFacts | null;
  errors: Extracted['errors'];
  values: ValueRef[];
  patches: Patch[];
  mac: string;
}

export type UncachedReason = 'not-in-text' | 'in-key' | 'in-path' | 'leak-check';

/** The entry as JSON (what the pack holds under the file's path), or why the file is not cached. */
export type PreparedEntry = { json: string } | { skip: UncachedReason };

/** HMAC-SHA256 over the parts (each ended by a NUL), hex. */
export function macOf(hmacKey: Uint8Array, ...parts: string[]): string {
  const h = createHmac('sha256', hmacKey);
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export function signedContent(e: Pick<StoredEntry, 'key' | 'facts' | 'errors' | 'values' | 'patches'>): string {
  return JSON.stringify([e.key, e.facts, e.errors, e.values, e.patches]);
}

/** The keyed hash of a secret value, bound to the entry's cache key. */
export function valueHasher(hmacKey: Uint8Array, key: string): (value: string) => string {
  return (value) => macOf(hmacKey, 'value', key, value);
}

/**
 * Prepares the entry of `path` (extracted from `text`, whose cache key is `key`). Secret values are replaced by
 * references into `text`; when that is not possible (a value written with escapes) the file is not cached.
 */
export function prepareEntry(hmacKey: Uint8Array, path: string, key: string, extracted: Extracted, text: string): PreparedEntry {
  const body = JSON.parse(JSON.stringify({ facts: extracted.facts, errors: extracted.errors })) as { facts: FileFacts | null; errors: Extracted['errors'] };
  const candidates = secretCandidates(body);
  // A value of stars is what masks look like: no secret, and found in every mask.
  const long = [...candidates].filter((c) => c.length >= MIN_KEY_CHECK_LENGTH && !/^\*+$/.test(c));
  // The path is the entry's name in the pack, outside the signed content.
  if (long.some((c) => path.includes(c))) return { skip: 'in-path' };
  const hidden = hideSecrets(body, candidates, text, valueHasher(hmacKey, key));
  if (!hidden.ok) return { skip: hidden.reason };
  const entry = { key, facts: body.facts, errors: body.errors, values: hidden.values, patches: hidden.patches };
  const content = signedContent(entry);
  // A second line of defence: no value (raw or JSON-escaped) may be left anywhere in what is written.
  if (long.some((c) => content.includes(c) || content.includes(JSON.stringify(c).slice(1, -1)))) return { skip: 'leak-check' };
  const stored: StoredEntry = { ...entry, mac: macOf(hmacKey, 'entry', PACK_FORMAT, String(PACK_VERSION), path, content) };
  return { json: JSON.stringify(stored) };
}
