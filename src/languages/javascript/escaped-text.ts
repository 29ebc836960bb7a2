/**
 * The text of a JS/TS file with its escapes decoded wherever they are, for pre-checks ("gates") that look for a name
 * an extractor reads from an identifier or a string: Babel gives `\u0073ession` (an identifier) and `'s\u0065t'`,
 * `'s\et'` or a key split by a backslash-newline (strings) as `session` / `set`, which the file's text does not hold.
 *
 * Why such a name is in one of the two texts: no match of ESCAPE starts before a string literal's opening quote and
 * ends after it (nothing but a line terminator, a quote inside a string, regex or comment, or an escape's own
 * characters follows a backslash in code), so the scan is never inside a match where a literal's body starts, and
 * each escape is read as the language reads it: `\xhh`, `\uhhhh`, `\u{h…}`, legacy octal (`\0`–`\377`), a line
 * continuation, the single-character escapes, and any other character standing for itself (`\s` is `s`). An
 * identifier can only hold `\u` escapes and nothing next to it is an escape, so its neighbours stay as written; in
 * `continuations: '\n'` a line continuation (outside a string it ends a comment) keeps its line break, so a name at the
 * start of the next line keeps its word boundary; in `continuations: ''` a string split across lines is joined, its
 * quotes stay its boundaries. Text outside literals and identifiers is decoded too: that only adds words.
 */
const ESCAPE = /\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|([0-3][0-7]{0,2}|[4-7][0-7]?)|(\r\n|[\r\n\u2028\u2029])|([\s\S]))/g;
const SINGLE: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

export function jsEscapesDecoded(text: string, continuations: '' | '\n'): string {
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPE, (all, x?: string, braced?: string, u?: string, octal?: string, lineEnd?: string, other?: string) => {
    const hex = x ?? braced ?? u;
    if (hex !== undefined) {
      const code = parseInt(hex, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (lineEnd !== undefined) return continuations;
    return SINGLE[other!] ?? other!;
  });
}

/**
 * An escape that can give a letter, `_` or `$`, or join two lines: a text without one spells every identifier and
 * every string that is a name as the name itself (single-character escapes `\b\f\n\r\t\v` give control characters).
 */
export const JS_NAME_ESCAPE = /\\(?:[ac-eg-mo-qswyzA-Z_$]|x[2-7]|u|[1-7]|[\r\n\u2028\u2029])/;

/** The texts a JS gate reads: the file's own and, when it holds a backslash, the two decoded ones above. */
export function jsGateTexts(text: string): string[] {
  if (!text.includes('\\')) return [text];
  const joined = jsEscapesDecoded(text, '');
  const kept = jsEscapesDecoded(text, '\n');
  return kept === joined ? [text, joined] : [text, joined, kept];
}
