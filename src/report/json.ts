import type { Rule } from '../model/rule.js';
import type { ScanResult } from '../types.js';
import { summarize } from './summary.js';

/** The JSON report: deterministic (no timestamps, no absolute paths), findings already redacted. */
export function toJson(result: ScanResult, rules: readonly Rule[]): string {
  const report = {
    tool: result.tool,
    scanned: result.repoPrefix || '.',
    summary: summarize(result),
    rules: rules.map((r) => ({ id: r.id, slug: r.slug, title: r.title, severity: r.severity, confidence: r.confidence, controls: r.controls, cwe: r.cwe })),
    findings: result.findings,
    errors: result.errors,
    coverage: result.coverage,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
