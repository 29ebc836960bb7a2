/**
 * Text from a scanned repository (file names, code lines, parser messages) is untrusted: an escape sequence in
 * a file name (`\x1b[2J`, `\x1b]8;;…`) would drive the reader's terminal, a newline would forge a line of the
 * report, and bidirectional overrides (Trojan Source) reorder what is shown. Everything a human reads on a
 * terminal goes through `escapeForTerminal` before it is coloured: C0 and C1 control characters, DEL, line and
 * paragraph separators and bidi controls are shown as `\n`, `\x1b`, `\u202e`. Tabs are kept where asked (code).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeForTerminal(text: string, options: { keepTabs?: boolean } = {}): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === '\t' && options.keepTabs) return ch;
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
