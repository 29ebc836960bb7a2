/**
 * Decoding of Python string literals from their source text, as the interpreter would read them: prefixes
 * (r, b, u, f, t and their combinations), single/triple quotes, escape sequences and `{{`/`}}` in f-strings.
 */

export interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  /** f-string or t-string: `{`/`}` are interpolation delimiters, `{{`/`}}` are literal braces. */
  formatted: boolean;
}

export interface SplitLiteral extends StringPrefix {
  /** The text between the quotes, undecoded. */
  body: string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const PLAIN: StringPrefix = { raw: false, bytes: false, formatted: false };

export function prefixFlags(prefix: string): StringPrefix {
  const p = prefix.toLowerCase();
  return { raw: p.includes('r'), bytes: p.includes('b'), formatted: p.includes('f') || p.includes('t') };
}

/** Splits `rb'''…'''` into prefix flags and body. Tolerates a missing closing quote (error recovery). */
export function splitLiteral(text: string): SplitLiteral | null {
  let i = 0;
  let quoteChar = '';
  for (; i < text.length && i <= 3; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      quoteChar = ch;
      break;
    }
  }
  if (quoteChar === '') return null;
  const triple = text.length >= i + 6 && text[i + 1] === quoteChar && text[i + 2] === quoteChar;
  const quoteLength = triple ? 3 : 1;
  const bodyStart = i + quoteLength;
  let bodyEnd = text.length;
  if (bodyEnd - quoteLength >= bodyStart && text[bodyEnd - 1] === quoteChar && (!triple || text.endsWith(quoteChar.repeat(3)))) {
    bodyEnd -= quoteLength;
  }
  const flags = i === 0 ? PLAIN : prefixFlags(text.slice(0, i));
  return { raw: flags.raw, bytes: flags.bytes, formatted: flags.formatted, body: text.slice(bodyStart, bodyEnd) };
}

/**
 * The value of a literal body, or null when an f-string body holds an interpolation (its value is not known
 * statically). `\N{NAME}` is kept as written: resolving Unicode names needs a table we do not carry.
 */
export function decodeBody(body: string, flags: StringPrefix): string | null {
  // The tokenizer reads source with universal newlines, so a literal spanning lines holds '\n' only.
  const text = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  if (!flags.formatted && (flags.raw || !text.includes('\\'))) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (flags.formatted && (ch === '{' || ch === '}')) {
      if (text[i + 1] !== ch) return null;
      out += ch;
      i += 2;
      continue;
    }
    if (ch !== '\\' || flags.raw) {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined || (flags.formatted && (next === '{' || next === '}'))) {
      out += ch;
      i++;
      continue;
    }
    if (next === '\n') {
      i += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next >= '0' && next <= '7') {
      let j = i + 1;
      while (j < i + 4 && j < text.length && text[j]! >= '0' && text[j]! <= '7') j++;
      out += String.fromCharCode(parseInt(text.slice(i + 1, j), 8) & (flags.bytes ? 0xff : 0x1ff));
      i = j;
      continue;
    }
    const hexLength = next === 'x' ? 2 : flags.bytes ? 0 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = text.slice(i + 2, i + 2 + hexLength);
      const code = hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += 2 + hexLength;
        continue;
      }
    }
    // Unknown escape (and `\N{…}`): Python keeps the backslash.
    out += ch + next;
    i += 2;
  }
  return out;
}

/** The value of one string literal's source text; null for an f-string with interpolations. */
export function decodeLiteral(text: string): string | null {
  const split = splitLiteral(text);
  return split === null ? null : decodeBody(split.body, split);
}
