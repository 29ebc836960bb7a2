/**
 * Fixture annotations in the semgrep-rules style: a comment line `ruleid: SOC2-002` (or `ok:`, `todoruleid:`,
 * `todook:`) applies to the next code line. `ruleid: SOC2-002 severity=low` also checks the severity.
 */
export type Mark = 'ruleid' | 'ok' | 'todoruleid' | 'todook';

export interface Annotation {
  mark: Mark;
  ruleId: string;
  severity?: string;
  /** 1-based line the annotation applies to. */
  line: number;
  /** 1-based line of the comment itself. */
  commentLine: number;
}

/** Comment openers per kind of file: `//` is a comment in code and JSONC, but a value in `.npmrc`. */
function commentOpeners(path: string): string {
  if (/\.(c|m)?(j|t)sx?$/.test(path)) return String.raw`\/\/|\/\*|\*|\{\s*\/\*`;
  if (/\.json$/.test(path)) return String.raw`\/\/|\/\*|\*`;
  if (/\.(ini|cfg|conf|properties)$/.test(path)) return '#|;|!';
  // Text files of languages we do not parse (issue 15): C-family line comments, and `#` for the rest.
  if (/\.(go|java|kt|cs|php|swift|rs|c|cc|cpp|h|scala|tf)$/.test(path)) return String.raw`\/\/|#|\/\*|\*`;
  return '#';
}

export function parseAnnotations(text: string, path: string): Annotation[] {
  const openers = commentOpeners(path);
  const ANNOTATION = new RegExp(
    String.raw`^\s*(?:${openers})\s*(todoruleid|ruleid|todook|ok)\s*:\s*([A-Z0-9, -]+?)(?:\s+severity=(\w+))?\s*(?:\*\/\s*\}?|-->)?\s*$`,
  );
  const COMMENT_ONLY = new RegExp(String.raw`^\s*(?:${openers})`);
  const lines = text.split('\n');
  const out: Annotation[] = [];
  let pending: Array<Omit<Annotation, 'line'>> = [];
  lines.forEach((raw, i) => {
    const m = ANNOTATION.exec(raw);
    if (m) {
      for (const id of m[2]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const a: Omit<Annotation, 'line'> = { mark: m[1] as Mark, ruleId: id, commentLine: i + 1 };
        if (m[3]) a.severity = m[3];
        pending.push(a);
      }
      return;
    }
    if (raw.trim() === '' || COMMENT_ONLY.test(raw)) return;
    for (const a of pending) out.push({ ...a, line: i + 1 });
    pending = [];
  });
  if (pending.length > 0) throw new Error(`annotation at line ${pending[0]!.commentLine} has no code line after it`);
  return out;
}
