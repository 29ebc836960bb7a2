import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument, stringify } from 'yaml';
import { MAX_CONFIG_ALIASES, describeYamlError } from '../util/yaml.js';
import { UsageError } from '../errors.js';
import type { IgnoreEntry } from './suppressions.js';

export const IGNORE_FILE = '.complianceagent-ignore.yml';

const FINGERPRINT_RE = /^ca1:[0-9a-f]{32}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = new Set(['fingerprint', 'reason', 'author', 'expires', 'rule', 'path']);

const HEADER = [
  '# Documented exceptions for complianceagent, keyed by finding fingerprint (see docs/ci.md).',
  '# Each entry needs a reason and an author; after `expires` (YYYY-MM-DD) the finding is reported again.',
  '# Add one with: complianceagent ignore add <fingerprint> --reason "…" --author "…" [--expires YYYY-MM-DD]',
].join('\n');

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function isFingerprint(value: string): boolean {
  return FINGERPRINT_RE.test(value);
}

/** Parses and validates the ignore file; every problem names the entry and key. */
export function parseIgnoreFile(text: string, source: string): IgnoreEntry[] {
  const doc = parseDocument(text);
  // yaml's own messages can quote the file: say what is wrong and where, never the text.
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new UsageError(`${source}${yamlError.linePos ? `:${yamlError.linePos[0].line}` : ''}: ${describeYamlError(yamlError.code)}`, 'fix the YAML syntax');
  let raw: unknown;
  try {
    raw = (doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES }) ?? {}) as unknown;
  } catch {
    // yaml refuses to expand more aliases than allowed (a "billion laughs" bomb) and throws.
    throw new UsageError(
      `${source}: invalid YAML: too many aliases (more than ${MAX_CONFIG_ALIASES} expansions; a YAML alias bomb?)`,
      'an ignore file needs no aliases: write the entries out',
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${source}: expected a mapping with an 'ignores' list`);
  const extra = Object.keys(raw).filter((k) => k !== 'ignores');
  if (extra.length > 0) throw new UsageError(`${source}: unknown key '${extra[0]}'`, "the file has one key, 'ignores'");
  const list = (raw as { ignores?: unknown }).ignores ?? [];
  if (!Array.isArray(list)) throw new UsageError(`${source}: 'ignores' must be a list`);
  return list.map((item: unknown, i) => {
    const at = `${source}: ignores[${i}]`;
    if (typeof item !== 'object' || item === null) throw new UsageError(`${at} must be a mapping`);
    const e = item as Record<string, unknown>;
    const unknown = Object.keys(e).find((k) => !KEYS.has(k));
    if (unknown) throw new UsageError(`${at}: unknown key '${unknown}'`);
    const str = (key: string): string | undefined => {
      const v = e[key];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string' && !(v instanceof Date)) throw new UsageError(`${at}.${key} must be text`);
      return v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
    };
    const fingerprint = str('fingerprint');
    if (!fingerprint || !isFingerprint(fingerprint)) throw new UsageError(`${at}.fingerprint must be a finding fingerprint like ca1:0123…(32 hex digits)`);
    const reason = str('reason');
    if (!reason) throw new UsageError(`${at}: a reason is required`, 'say why the finding is accepted');
    const author = str('author');
    if (!author) throw new UsageError(`${at}: an author is required`, 'say who accepted the finding');
    const entry: IgnoreEntry = { fingerprint, reason, author };
    const expires = str('expires');
    if (expires !== undefined) {
      if (!isIsoDate(expires)) throw new UsageError(`${at}.expires must be a date YYYY-MM-DD (got '${expires}')`);
      entry.expires = expires;
    }
    const rule = str('rule');
    if (rule) entry.rule = rule;
    const path = str('path');
    if (path) entry.path = path;
    return entry;
  });
}

/** The entries of `file`, or none when it does not exist. */
export async function readIgnoreFile(file: string, source = IGNORE_FILE): Promise<IgnoreEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseIgnoreFile(text, source);
}

/** Sorted by fingerprint, keys in a fixed order, no timestamps: the file diffs and merges cleanly. */
export function formatIgnoreFile(entries: readonly IgnoreEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const ignores = sorted.map((e) => {
    const out: Record<string, string> = { fingerprint: e.fingerprint };
    if (e.rule) out.rule = e.rule;
    if (e.path) out.path = e.path;
    out.reason = e.reason;
    out.author = e.author;
    if (e.expires) out.expires = e.expires;
    return out;
  });
  return `${HEADER}\n${stringify({ ignores }, { lineWidth: 0, defaultStringType: 'PLAIN' })}`;
}

/** Adds or replaces the entry for its fingerprint. */
export async function addIgnoreEntry(file: string, entry: IgnoreEntry): Promise<'added' | 'updated'> {
  const entries = await readIgnoreFile(file, file);
  const existing = entries.findIndex((e) => e.fingerprint === entry.fingerprint);
  if (existing >= 0) entries[existing] = entry;
  else entries.push(entry);
  await writeFile(file, formatIgnoreFile(entries));
  return existing >= 0 ? 'updated' : 'added';
}
