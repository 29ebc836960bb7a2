import { SEVERITIES, severityRank, type Finding, type ScanResult, type Severity } from '../types.js';
import { looksLikeTestPath } from '../model/secrets.js';

export interface Summary {
  /** Findings that count: suppressed ones (documented exceptions) are left out of this and the breakdowns. */
  total: number;
  /** Suppressed findings (inline directive or ignore file): reported as documented exceptions. */
  suppressed: number;
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
  let suppressed = 0;
  for (const f of result.findings) {
    if (f.suppression) {
      suppressed++;
      continue;
    }
    bySeverity[f.severity]++;
    byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    for (const c of f.controls) byControl.set(c, (byControl.get(c) ?? 0) + 1);
  }
  const skipped = new Map<string, number>();
  for (const s of result.coverage.skipped) skipped.set(s.reason, (skipped.get(s.reason) ?? 0) + 1);
  const filesScanned = Object.values(result.coverage.filesByLanguage).reduce((a, b) => a + (b ?? 0), 0);
  const total = result.findings.length - suppressed;
  const exceptions = suppressed > 0 ? ` ${suppressed} suppressed as documented exception${suppressed === 1 ? '' : 's'}.` : '';
  const known = result.baseline?.matched
    ? ` ${result.baseline.matched} known finding${result.baseline.matched === 1 ? '' : 's'} in the baseline not shown.`
    : '';
  const outside = result.changedSince?.findingsOutside
    ? ` ${result.changedSince.findingsOutside} finding${result.changedSince.findingsOutside === 1 ? '' : 's'} on lines not changed since ${result.changedSince.ref} not shown.`
    : '';
  return {
    total,
    suppressed,
    bySeverity,
    byRule: sortedRecord(byRule),
    byControl: sortedRecord(byControl),
    filesScanned,
    linesScanned: result.coverage.linesScanned,
    skippedByReason: sortedRecord(skipped),
    errors: result.errors.length,
    verdict:
      (total === 0 ? 'No issues detected by automated checks.' : `${total} issue${total === 1 ? '' : 's'} detected by automated checks.`) +
      exceptions +
      known +
      outside,
  };
}

/** Sample code that does not ship (the folders SOC2-002 also treats as samples). */
const EXAMPLE_DIR = /(?:^|\/)(?:examples?|samples?|docs?|demos?)\//i;

/**
 * A finding in a test or example file (test/, tests/, __tests__/, fixtures/, *.test.*, *.spec.*, test_*.py,
 * conftest.py, examples/, samples/, docs/, demo/): reported, but by default it does not fail the build.
 */
export function isTestOrExamplePath(path: string): boolean {
  return looksLikeTestPath(path) || EXAMPLE_DIR.test(path);
}

export interface FailPolicy {
  /** Findings in test and example files count too (--fail-on-test-findings). Default false. */
  includeTestFindings?: boolean;
}

/**
 * The findings that decide the exit code: at or above `failOn`, not suppressed (documented exceptions never fail
 * the build) and, unless `includeTestFindings`, not in a test or example file.
 */
export function failingFindings(result: ScanResult, failOn: Severity | 'none', policy: FailPolicy = {}): Finding[] {
  if (failOn === 'none') return [];
  return result.findings.filter(
    (f) => !f.suppression && severityRank(f.severity) >= severityRank(failOn) && (policy.includeTestFindings || !isTestOrExamplePath(f.location.path)),
  );
}

/** True when a finding at or above `failOn` exists that counts under `policy` (see failingFindings). */
export function failsAt(result: ScanResult, failOn: Severity | 'none', policy: FailPolicy = {}): boolean {
  return failingFindings(result, failOn, policy).length > 0;
}
