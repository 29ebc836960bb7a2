/** Plain-text helpers for SARIF rule texts: GitHub shows `help.text` where it cannot render markdown. */

/** Cut `text` to at most `max` UTF-16 code units, never inside a surrogate pair, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1; // room for the ellipsis
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  let head = text.slice(0, cut);
  const space = head.search(/\s+\S*$/);
  if (space > max * 0.8) head = head.slice(0, space);
  return `${head.trimEnd()}…`;
}

/** A plain-text rendering of markdown: headings, emphasis, links, code fences, quotes and HTML tags removed. */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence.char && fenceMatch[1]!.length >= fence.length && fenceMatch[2]!.trim() === '') {
        fence = undefined;
      } else {
        out.push(`    ${line}`);
      }
      continue;
    }
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(''); // thematic break (or setext `---` underline)
      continue;
    }
    if (/^\s{0,3}=+\s*$/.test(line)) continue; // setext `===` underline
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table separator
    let text = line;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading) text = heading[1]!;
    text = text.replace(/^(\s{0,3}>\s?)+/, '');
    text = text.replace(/^(\s*)[*+-]\s+(\[[ xX]\]\s+)?/, '$1- ');
    if (/^\s*\|.*\|\s*$/.test(text))
      text = text
        .trim()
        .replace(/^\|\s*|\s*\|$/g, '')
        .replace(/\s*\|\s*/g, ' | ');
    out.push(inlineToText(text));
  }
  return out
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function inlineToText(line: string): string {
  // Split on code spans: their content is literal.
  const parts = line.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 3) {
    out += inlineMarkupToText(parts[i] ?? '');
    const code = parts[i + 2];
    if (code !== undefined) out += code.replace(/^ (.*) $/, '$1');
  }
  return out;
}

function inlineMarkupToText(text: string): string {
  const escapes: string[] = [];
  let s = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_m, ch: string) => {
    escapes.push(ch);
    return `\uE000${escapes.length - 1}\uE001`;
  });
  s = s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*["')])?\s*\)/g, (_m, label: string, url: string) =>
      /^(https?:|mailto:)/i.test(url) && label !== url ? `${label} (${url})` : label,
    )
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/\*(?=\S)([^*]*?\S)\*/g, '$1')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1');
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => escapes[Number(i)] ?? '');
}
