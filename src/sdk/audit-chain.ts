/**
 * The audit log's hash chain: pure functions, shared by the SDK's writers and `complianceagent audit verify`.
 *
 * Each event line carries `seq` (0, 1, 2 …), `prev` (the previous line's hash, 64 zeros for the first) and `hash`
 * = SHA-256 (or HMAC-SHA-256 with a key) of `prev` + the canonical JSON of the event without `hash`. Changing,
 * deleting, inserting or reordering a line breaks the chain at that line. Removing lines from the end cannot be
 * seen from the file alone: compare the head hash (printed by verify) with one recorded elsewhere. Without a key,
 * someone who can rewrite the whole file can also recompute the chain; with a key kept apart from the log, they
 * cannot. The Python SDK (sdk/python) writes the same format, so either verifier reads either log.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level, no whitespace: the bytes that are hashed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** The hash of one event (without its `hash` field) chained to `prev`. */
export function chainHash(prev: string, event: Record<string, unknown>, key?: string | Uint8Array): string {
  const { hash: _ignored, ...rest } = event;
  const data = prev + canonicalJson(rest);
  return key === undefined ? createHash('sha256').update(data, 'utf8').digest('hex') : createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

export interface ChainState {
  seq: number;
  head: string;
}

/** Adds seq/prev/hash to an event and advances the state. */
export function sealEvent<E extends object>(event: E, state: ChainState, key?: string | Uint8Array): E & { seq: number; prev: string; hash: string } {
  const sealed = { ...event, seq: state.seq, prev: state.head } as E & { seq: number; prev: string; hash: string };
  sealed.hash = chainHash(state.head, sealed as Record<string, unknown>, key);
  state.seq += 1;
  state.head = sealed.hash;
  return sealed;
}

/** The state to continue a chained log from its last complete line (a fresh state for an empty text). */
export function chainStateOf(text: string): ChainState {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  if (!last) return { seq: 0, head: GENESIS };
  const event = JSON.parse(last) as { seq?: unknown; hash?: unknown };
  if (typeof event.seq !== 'number' || typeof event.hash !== 'string') throw new Error('the log does not end with a chained event (no seq/hash)');
  return { seq: event.seq + 1, head: event.hash };
}

export interface ChainProblem {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  /** The last line's hash: record it elsewhere to detect lines removed from the end later. */
  head: string;
  problems: ChainProblem[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Verifies a JSON-lines audit log written with a hash chain. Every problem is listed with its line; after a
 * broken link the chain continues from the line as written, so one edit reports one line, not the rest of the file.
 */
export function verifyAuditLog(text: string, options: { key?: string | Uint8Array; expectHead?: string } = {}): ChainVerification {
  const problems: ChainProblem[] = [];
  let head = GENESIS;
  let seq = 0;
  let events = 0;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      problems.push({ line, reason: 'empty line' });
      return;
    }
    let event: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      event = parsed as Record<string, unknown>;
    } catch {
      problems.push({ line, reason: 'not a JSON object' });
      return;
    }
    events += 1;
    const { hash, prev } = event;
    if (typeof hash !== 'string' || !HEX64.test(hash) || typeof prev !== 'string' || typeof event.seq !== 'number') {
      problems.push({ line, reason: 'no hash chain fields (seq, prev, hash)' });
      return;
    }
    if (event.seq !== seq) problems.push({ line, reason: `sequence ${event.seq} where ${seq} was expected (a line was removed, inserted or reordered)` });
    if (!sameHex(prev, head)) problems.push({ line, reason: 'prev does not match the previous line (a line was removed, inserted or reordered)' });
    if (!sameHex(chainHash(prev, event, options.key), hash)) problems.push({ line, reason: 'hash does not match the content (the line was modified)' });
    head = hash;
    seq = event.seq + 1;
  });
  if (options.expectHead !== undefined && !sameHex(options.expectHead.toLowerCase(), head)) {
    problems.push({ line: lines.length, reason: `the log ends at ${head}, not at the expected head ${options.expectHead} (lines removed from the end?)` });
  }
  return { ok: problems.length === 0, events, head, problems };
}
