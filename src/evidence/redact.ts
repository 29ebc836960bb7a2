import { redactText } from '../model/redact.js';
import { classifySecretName, maskSecret } from '../model/secrets.js';

/**
 * Redaction of free text that goes into the evidence but did not come through a rule: commit subjects, the
 * configuration file and its settings. On top of redactText (provider-format secrets, connection-string
 * passwords) a value written after a secret-named key (`password: …`, `API_TOKEN=…`, `"secret": "…"`) is
 * masked whatever it looks like, in values and in comments alike: a configuration file's comment is read by
 * nobody's parser but everyone's eyes.
 */

/** `key:` / `key=` / `"key":` with the key's name captured; the value follows. */
const NAMED_VALUE = /(?<![\w.$-])(["']?)([A-Za-z_$][\w.$-]{0,100})\1[ \t]*[:=](?!\/\/)[ \t]*/g;
/** `scheme://user:password@host` in any URL (redactText knows only database and broker schemes). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/'"`]*:)([^\s@/'"`]+)(@)/gi;
const MASK = maskSecret('');

function maskUrlPasswords(line: string): string {
  return line.replace(URL_PASSWORD, (_all, head: string, password: string, at: string) => `${head}${maskSecret(password)}${at}`);
}

/**
 * Masks the values of secret-named keys on one line. Returns the line and, when a secret-named key opens a
 * YAML block scalar (`password: |`), the key's indentation: more-indented lines that follow are the value.
 */
function maskNamedValues(line: string): { line: string; blockIndent?: number; openQuote?: string } {
  let out = '';
  let from = 0;
  NAMED_VALUE.lastIndex = 0;
  for (let m = NAMED_VALUE.exec(line); m; m = NAMED_VALUE.exec(line)) {
    const valueStart = m.index + m[0].length;
    if (classifySecretName(m[2]!) === null) continue;
    const rest = line.slice(valueStart);
    if (rest.trim() === '') continue;
    out += line.slice(from, valueStart);
    const quote = /^["'`]/.exec(rest)?.[0];
    if (/^[|>][-+0-9]*\s*(#.*)?$/.test(rest)) {
      return { line: out + rest, blockIndent: /^\s*/.exec(line)![0].length };
    }
    if (quote) {
      const close = rest.indexOf(quote, 1);
      if (close > 0) {
        out += quote + MASK + quote;
        from = valueStart + close + 1;
        NAMED_VALUE.lastIndex = from;
        continue;
      }
      // A quoted value that goes on over the next lines, up to the closing quote.
      return { line: out + quote + MASK, openQuote: quote };
    }
    // Unquoted (or unterminated): everything to the end of the line is the value, or may be part of it.
    return { line: out + MASK };
  }
  return { line: out + line.slice(from) };
}

/**
 * A text with secrets masked, line by line: redactText, passwords in URLs, and every value after a
 * secret-named key (including YAML block scalars under one). Line endings are kept.
 */
export function redactSecretsInText(text: string): string {
  const lines = text.split('\n');
  let blockIndent: number | undefined;
  let openQuote: string | undefined;
  return lines
    .map((raw) => {
      const cr = raw.endsWith('\r') ? '\r' : '';
      let line = cr ? raw.slice(0, -1) : raw;
      if (openQuote !== undefined) {
        const close = line.indexOf(openQuote);
        if (close < 0) return `${MASK}${cr}`;
        line = `${MASK}${line.slice(close)}`;
        openQuote = undefined;
      }
      if (blockIndent !== undefined) {
        const indent = /^\s*/.exec(line)![0].length;
        if (line.trim() === '' || indent > blockIndent) return line.trim() === '' ? raw : `${line.slice(0, indent)}${MASK}${cr}`;
        blockIndent = undefined;
      }
      const masked = maskNamedValues(maskUrlPasswords(redactText(line)));
      blockIndent = masked.blockIndent;
      openQuote = masked.openQuote;
      return masked.line + cr;
    })
    .join('\n');
}

/**
 * A JSON-like value (configuration settings, rule options) with secrets masked: strings through
 * redactSecretsInText, and any scalar under a secret-named key replaced by the mask.
 */
export function redactValue(value: unknown, key?: string): unknown {
  if (key !== undefined && classifySecretName(key) !== null && (typeof value === 'string' || typeof value === 'number')) return maskSecret(String(value));
  if (typeof value === 'string') return redactSecretsInText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  return value;
}
