import type { Range } from '../model/facts.js';
import { findConnectionStringPassword, findProviderSecrets, maskSecret } from '../model/secrets.js';

const MAX_SNIPPET = 240;

/**
 * Masks secrets in a piece of text that is about to leave the engine (a snippet, a message). Explicit secret
 * values are masked wherever they occur; provider-format secrets and connection-string passwords are masked
 * as a safety net even when no rule named them.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join(maskSecret(secret));
  }
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
function maskRangeOnLine(line: string, lineNo: number, range: Range): string {
  if (lineNo < range.start.line || lineNo > range.end.line) return line;
  const from = lineNo === range.start.line ? range.start.column - 1 : 0;
  const to = lineNo === range.end.line ? range.end.column - 1 : line.length;
  if (to <= from) return line;
  const covered = line.slice(from, to);
  const open = /^[rbuf]*["'`]/i.exec(covered)?.[0] ?? '';
  const close = /["'`]$/.test(covered) && covered.length > open.length ? covered[covered.length - 1]! : '';
  return line.slice(0, from) + open + maskSecret('') + close + line.slice(to);
}

/** The first line of a finding's range, with secrets masked and long lines cut. */
export function makeSnippet(lines: readonly string[], range: Range, secrets: readonly string[], redactRanges: readonly Range[]): string {
  const lineNo = range.start.line;
  let line = (lines[lineNo - 1] ?? '').replace(/\r$/, '');
  for (const r of [...redactRanges].sort((a, b) => b.start.column - a.start.column)) line = maskRangeOnLine(line, lineNo, r);
  line = redactText(line, secrets);
  if (line.length > MAX_SNIPPET) {
    const start = Math.max(0, Math.min(range.start.column - 1 - 40, line.length - MAX_SNIPPET));
    line = (start > 0 ? '…' : '') + line.slice(start, start + MAX_SNIPPET) + (start + MAX_SNIPPET < line.length ? '…' : '');
  }
  return line.trimEnd();
}
