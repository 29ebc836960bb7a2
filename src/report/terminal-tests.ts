import type { Finding } from '../types.js';
import { isTestOrExamplePath } from './summary.js';

/**
 * Issue 15: low hard-coded-secret findings in test and example files (fixture passwords, sample tokens) are found and
 * kept in every machine-readable report, but the terminal shows them as one line per file unless `--verbose`: a
 * hundred fixture passwords must not bury the one live key. Higher severities (a provider key in a test is still a
 * live key) and suppressed findings are always listed one by one.
 */
export const COLLAPSED_RULE = 'SOC2-002';
/** A file with fewer collapsible findings than this lists them as usual. */
const MIN_COLLAPSED = 2;

export interface CollapsedFile {
  path: string;
  findings: Finding[];
}

function collapsible(f: Finding): boolean {
  return f.ruleId === COLLAPSED_RULE && f.severity === 'low' && !f.suppression && isTestOrExamplePath(f.location.path);
}

/** Splits the listed findings into those shown one by one and, per test or example file, those summarised. */
export function collapseTestSecrets(findings: readonly Finding[], verbose: boolean): { kept: Finding[]; collapsed: CollapsedFile[] } {
  if (verbose) return { kept: [...findings], collapsed: [] };
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) if (collapsible(f)) byPath.set(f.location.path, [...(byPath.get(f.location.path) ?? []), f]);
  const collapsed = [...byPath]
    .filter(([, fs]) => fs.length >= MIN_COLLAPSED)
    .map(([path, fs]) => ({ path, findings: fs }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hidden = new Set(collapsed.flatMap((c) => c.findings));
  return { kept: findings.filter((f) => !hidden.has(f)), collapsed };
}

/** `12 low hard-coded secrets in this test or example file, first at line 4 (--verbose lists them)`. */
export function collapsedText(file: CollapsedFile): string {
  const first = Math.min(...file.findings.map((f) => f.location.startLine));
  return `${file.findings.length} low hard-coded secrets in this test or example file, first at line ${first} (--verbose lists them)`;
}
