import { SEVERITIES, severityRank, type ScanResult, type Severity } from '../engine/types.js';

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  byControl: Record<string, number>;
  filesScanned: number;
  linesScanned: number;
  skippedByReason: Record<string, number>;
  errors: number;
  /** The one-line verdict every format prints. Never "compliant": automated checks gather evidence. */
  verdict: string;
}

function sortedRecord(entries: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function summarize(result: ScanResult): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule = new Map<string, number>();
  const byControl = new Map<string, number>();
  for (const f of result.findings) {
    bySeverity[f.severity]++;
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    for (const c of f.controls) byControl.set(c, (byControl.get(c) ?? 0) + 1);
  }
  const skipped = new Map<string, number>();
  for (const s of result.coverage.skipped) skipped.set(s.reason, (skipped.get(s.reason) ?? 0) + 1);
  const filesScanned = Object.values(result.coverage.filesByLanguage).reduce((a, b) => a + (b ?? 0), 0);
  const total = result.findings.length;
  return {
    total,
    bySeverity,
    byRule: sortedRecord(byRule),
    byControl: sortedRecord(byControl),
    filesScanned,
    linesScanned: result.coverage.linesScanned,
    skippedByReason: sortedRecord(skipped),
    errors: result.errors.length,
    verdict: total === 0 ? 'No issues detected by automated checks.' : `${total} issue${total === 1 ? '' : 's'} detected by automated checks.`,
  };
}

/** True when a finding at or above `failOn` exists. */
export function failsAt(result: ScanResult, failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}
