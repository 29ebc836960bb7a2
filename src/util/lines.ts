/**
 * Line breaks, counted the way each parser counts them, so that a finding's line number, its snippet and the
 * line count of its file always agree:
 * - `standard`: `\r\n`, `\n` and a lone `\r` — Python's universal newlines, YAML, the config extractor, and
 *   tree-sitter once `parsePython` has turned lone CRs into LFs (same length, so offsets do not move);
 * - `javascript`: also U+2028 and U+2029 (ECMAScript line terminators; Babel counts them, even inside strings).
 */
export type LineTerminators = 'standard' | 'javascript';

const BREAK: Record<LineTerminators, RegExp> = {
  standard: /\r\n|[\r\n]/g,
  javascript: /\r\n|[\r\n\u2028\u2029]/g,
};

/** The line terminators the parser of `language` (a `FileFacts` language) counts. */
export function lineTerminatorsFor(language: string): LineTerminators {
  return language === 'javascript' || language === 'typescript' ? 'javascript' : 'standard';
}

/** Each line's text (without its terminator) and start offset. A trailing terminator opens no extra line. */
export function linesWithOffsets(text: string, terminators: LineTerminators = 'standard'): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = new RegExp(BREAK[terminators]);
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  if (start < text.length || out.length === 0) out.push({ text: text.slice(start), start });
  return out;
}

/** The lines of `text` without their terminators (`lines[n - 1]` is line n as the parser numbers it). */
export function splitLines(text: string, terminators: LineTerminators = 'standard'): string[] {
  return text.split(BREAK[terminators]);
}

/** Number of lines as editors count them (a trailing line break does not open a new line). */
export function countLines(text: string, terminators: LineTerminators = 'standard'): number {
  if (text.length === 0) return 0;
  const re = new RegExp(BREAK[terminators]);
  let lines = 1;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines++;
    end = m.index + m[0].length;
  }
  return end === text.length ? lines - 1 : lines;
}

/** Start offset of every line, for offset → line/column conversion. */
export function lineStarts(text: string, terminators: LineTerminators = 'standard'): number[] {
  const starts = [0];
  const re = new RegExp(BREAK[terminators]);
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** 1-based line/column (UTF-16 units) of a string offset, by binary search over `lineStarts`. */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
