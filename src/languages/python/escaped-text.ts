/**
 * The text of a Python file with every escape that can stand for a letter, a digit or `_` decoded, wherever it is,
 * for pre-checks ("gates") that look for a word an extractor may read out of a string literal: a word written
 * `'SESSION_COOKIE_\x53ECURE'` or split by a backslash-newline is found in this text, not in the file's.
 *
 * Why a word of [A-Za-z0-9_] that a string literal's value equals (or contains) is in this text: no match of
 * ESCAPE holds a quote, so the scan is never inside a match where a literal's body starts, and inside the body each
 * escape that gives such a character is read as decodeBody (string-literal.ts) reads it: `\\` as a pair, `\`
 * + newline (after any `\r`) dropped, `\xhh`, `\uhhhh`, `\Uhhhhhhhh`, and 1–3 octal digits (a value below 0x100 both
 * for str and bytes: `& 0xff` keeps the bytes reading, and a str escape above 0xff is no such character anyway). Other
 * escapes (`\n`, `\N{…}`, unknown ones) give no such character in the literal's value and are left as written. Text
 * outside strings is decoded too: that only adds words (a superset is what a gate needs).
 */
const ESCAPE = /\\(?:\\|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3})|\r\n?|\n)/g;

/** An escape that can give a letter, a digit or `_` (ESCAPE's hex and octal forms, over-approximated). */
const NAME_ESCAPE = /\\(?:x[3-7]|u00[3-7]|U000000[3-7]|[0-7]{2})/;

/**
 * The text with ESCAPE decoded, cheaply: the file's own when it has no backslash; only its line continuations dropped
 * when it has no NAME_ESCAPE (then a literal's name characters are all written as such, or split by continuations).
 */
export function pyEscapesDecoded(text: string): string {
  if (!text.includes('\\')) return text;
  if (!NAME_ESCAPE.test(text)) {
    if (!text.includes('\\\n') && !text.includes('\\\r')) return text;
    return text.replaceAll('\\\r\n', '').replaceAll('\\\n', '').replaceAll('\\\r', '');
  }
  return text.replace(ESCAPE, (all, x?: string, u?: string, bigU?: string, octal?: string) => {
    if (all === '\\\\') return '\\';
    const hex = x ?? u ?? bigU;
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff);
    return '';
  });
}
