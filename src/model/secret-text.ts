/**
 * The provider-pattern pass over plain text (SOC2-002 in files no language plugin parses: `.txt`, `.pem`, `.go`,
 * `.php`, `.tf`, extension-less key files …). Each hit becomes one string fact whose value is just enough text for
 * the rule to find the same secret again (the whole provider match, or the connection string up to its password)
 * and whose range covers the secret alone, so masking leaves the name and the rest of the line readable.
 */
import { SECRET_PATTERNS, isExampleToken, isMaskedToken, isPlaceholderToken } from './secret-patterns.js';
import { findConnectionStringPassword, providerPatternsIn } from './secrets.js';

export interface TextSecret {
  /** Text the rule re-reads: one provider match, or a line prefix ending at a connection-string password. */
  value: string;
  /** Offsets of the secret itself in the scanned text. */
  start: number;
  end: number;
}

const patternOrder = new Map(SECRET_PATTERNS.map((p, i) => [p.id, i]));
const scanners = new Map<string, RegExp>(SECRET_PATTERNS.map((p) => [p.id, new RegExp(p.regex.source, `${p.regex.flags.replace(/[gyd]/g, '')}gd`)]));

/** A line that can hold a connection string with a password: a `://` URL with user info, or `password=`/`pwd=`. */
const CONNECTION_HINT = /:\/\/[^\s@/]*:[^\s@/]*@|[?&;\s'"`](?:password|pwd)=|^(?:password|pwd)\s*=/i;

/** Lines longer than this are data (a bundle, a base64 blob): the connection-string pass skips them. */
const MAX_LINE_FOR_CONNECTIONS = 4096;

/**
 * Before a secret: the value of a credential-named setting, header or option (`GITHUB_TOKEN=`, `api_key = "`,
 * `"token": "`, `X-JFrog-Art-Api: `, `--token=`, `Authorization: Bearer `, `SLACK_WEBHOOK=`).
 */
const CREDENTIAL_VALUE_BEFORE =
  /(?:key|token|secret|pass(?:word|wd)?|pwd|auth\w*|credentials?|api|login|hook(?:[-_.]?url)?)["']?\s*(?:[:?]?=|::=|:::=|:)\s*["']?$|authorization\s*:\s*(?:bearer|token|basic)\s+$/i;

/** A line that is a comment or a bullet of prose (`# …`, `// …`, `; …`, `* …`, `<!-- …`). */
const COMMENT_LINE = /^\s*(?:#|\/\/|;|\/?\*|<!--)/;

/**
 * The secret at `start` is what a program or tool would load as-is: the value of a credential-named setting, header or
 * option on a line that is not a comment. A token masked with `x` elsewhere (bare, in prose, in a comment) is a
 * template of the format, like `<your-token>`, and never reaches anything that uses it.
 */
function isCredentialValue(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return (
    !COMMENT_LINE.test(text.slice(lineStart, Math.min(start, lineStart + 200))) &&
    CREDENTIAL_VALUE_BEFORE.test(text.slice(Math.max(lineStart, start - 200), start))
  );
}

/**
 * Provider-format secrets and connection-string passwords in `text`, sorted by offset, never overlapping. A token in
 * a provider's format with a placeholder-shaped body is kept only with `placeholders` (the rule ranks it low), and a
 * token masked with `x` (`ghp_xxxx…`) only where it is a setting's value (`GITHUB_TOKEN=ghp_xxxx…`): used as-is,
 * it is a finding; bare, in prose or in a comment, it is the format's template. The history pass, which ranks by
 * pattern alone, leaves placeholders out.
 */
export function findTextSecrets(text: string, { placeholders = false }: { placeholders?: boolean } = {}): TextSecret[] {
  const hits: Array<TextSecret & { order: number }> = [];
  for (const pattern of providerPatternsIn(text.toLowerCase())) {
    const order = patternOrder.get(pattern.id)!;
    const re = scanners.get(pattern.id)!;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      const [start, end] = m.indices?.groups?.secret ?? m.indices![0]!;
      const secret = text.slice(start, end);
      if (isExampleToken(secret)) continue;
      if (isPlaceholderToken(secret) && (!placeholders || (isMaskedToken(secret) && !isCredentialValue(text, start)))) continue;
      hits.push({ value: m[0], start, end, order });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.order - b.order);
  const kept: TextSecret[] = [];
  let until = 0;
  for (const h of hits) {
    if (h.start < until) continue;
    kept.push({ value: h.value, start: h.start, end: h.end });
    until = h.end;
  }
  return mergeByOffset(kept, connectionPasswords(text, kept));
}

/** Connection-string passwords line by line, outside the provider hits. */
function connectionPasswords(text: string, taken: readonly TextSecret[]): TextSecret[] {
  const out: TextSecret[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (lineEnd - lineStart <= MAX_LINE_FOR_CONNECTIONS) {
      // The segment starts after the last provider hit ending on this line, so the value holds no other secret.
      let from = lineStart;
      for (const t of taken) if (t.end > from && t.end <= lineEnd) from = t.end;
      const segment = text.slice(from, lineEnd).replace(/\r$/, '');
      if (CONNECTION_HINT.test(segment)) {
        const found = findConnectionStringPassword(segment);
        const start = found ? from + found.index : -1;
        if (found && found.length > 0 && !taken.some((t) => start < t.end && t.start < start + found.length)) {
          // Up to the password and the `@` after it: enough for the rule to find the same password again.
          const stop = found.index + found.length + (segment[found.index + found.length] === '@' ? 1 : 0);
          out.push({ value: segment.slice(0, stop), start, end: start + found.length });
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

function mergeByOffset(a: TextSecret[], b: TextSecret[]): TextSecret[] {
  return [...a, ...b].sort((x, y) => x.start - y.start);
}
