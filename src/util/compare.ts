import type { Finding } from '../types.js';

/** Code-unit order of two strings (what `<` does), not locale order: the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of findings in every output: path, then `compareFindingsInFile`. The engine sorts by it before it
 * numbers equal anchors for fingerprints, so changing it changes fingerprints.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return compareStrings(a.location.path, b.location.path) || compareFindingsInFile(a, b);
}

/** Two findings of one file: start line, start column, rule id, message. */
export function compareFindingsInFile(a: Finding, b: Finding): number {
  const la = a.location;
  const lb = b.location;
  return la.startLine - lb.startLine || la.startColumn - lb.startColumn || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message);
}
