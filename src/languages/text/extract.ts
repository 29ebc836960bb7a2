import { emptyFacts, type FileFacts } from '../../model/facts.js';
import { findTextSecrets } from '../../model/secret-text.js';
import { countLines, lineStarts, positionAt } from '../../util/lines.js';

/** One string fact per secret found by the provider-pattern pass (placeholder-shaped tokens too: the rule ranks them low); its range covers the secret alone. */
export function extractText(path: string, source: string): FileFacts {
  const facts = emptyFacts(path, 'text', countLines(source));
  const found = findTextSecrets(source, { placeholders: true });
  if (found.length === 0) return facts;
  const starts = lineStarts(source);
  for (const s of found) {
    facts.strings.push({ value: s.value, range: { start: positionAt(starts, s.start), end: positionAt(starts, s.end) } });
  }
  return facts;
}
