import type { Finding } from '../types.js';
import { maskSecret, shannonEntropy } from '../model/secrets.js';
import { redactSecretsInText } from './redact.js';

/**
 * Whole statements for the PDF (issue 18): a finding's snippet is its first line (`path(`, `MIDDLEWARE = [`),
 * which tells a reader nothing. For a finding whose range spans lines, the lines after the first are read from
 * the scanned files, up to a bound, and redacted before they leave this function:
 * - a line where any finding starts is replaced by that finding's own snippet (the engine redacted it with
 *   every secret it knew);
 * - every other line goes through redactSecretsInText (provider formats, connection strings, values of
 *   secret-named keys) and then every quoted string that reads as a token (16+ token characters mixing letters
 *   and digits, high entropy) is masked.
 * SOC2-002 findings keep their one line: the statement around a secret is not shown. Keyed by fingerprint.
 */

export const MAX_STATEMENT_LINES = 8;
const MAX_LINE_CHARS = 160;
const QUOTED = /(["'`])((?:(?!\1)[^\\\n]|\\.){16,})\1/g;

/** A token, not a word, path or module name: one run of token characters mixing letters and digits, high entropy. */
function looksRandom(body: string): boolean {
  return /^[A-Za-z0-9+/=_-]+$/.test(body) && /\d/.test(body) && /[A-Za-z]/.test(body) && !/^[a-z_]+(\/[a-z_]+)+$/i.test(body) && shannonEntropy(body) >= 3.5;
}

function maskRandomStrings(line: string): string {
  return line.replace(QUOTED, (all, quote: string, body: string) => (looksRandom(body) ? `${quote}${maskSecret(body)}${quote}` : all));
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
}

/**
 * The statement text of each multi-line finding (fingerprint → text), its first line the finding's snippet.
 * `readLines(path)` returns the file's lines (repo-relative path) or undefined when it cannot be read.
 */
export function multiLineStatements(findings: readonly Finding[], readLines: (path: string) => readonly string[] | undefined): Record<string, string> {
  const startsAt = new Map<string, string>();
  for (const f of findings) {
    const key = `${f.location.path}\0${f.location.startLine}`;
    if (!startsAt.has(key)) startsAt.set(key, f.snippet);
  }
  const out: Record<string, string> = {};
  const cache = new Map<string, readonly string[] | undefined>();
  for (const f of findings) {
    const { path, startLine, endLine } = f.location;
    if (f.ruleId === 'SOC2-002' || f.properties?.history === true || endLine <= startLine || f.snippet.trim() === '') continue;
    if (!cache.has(path)) cache.set(path, readLines(path));
    const lines = cache.get(path);
    if (!lines) continue;
    const last = Math.min(endLine, startLine + MAX_STATEMENT_LINES - 1, lines.length);
    const rest: string[] = [];
    for (let n = startLine + 1; n <= last; n++) {
      const own = startsAt.get(`${path}\0${n}`);
      rest.push(clip(own ?? maskRandomStrings(redactSecretsInText(lines[n - 1] ?? '')).trimEnd()));
    }
    if (rest.length === 0) continue;
    if (endLine > last) rest.push('…');
    out[f.fingerprint] = [f.snippet, ...rest].join('\n');
  }
  return out;
}
