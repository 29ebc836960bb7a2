import type { Rule } from '../model/rule.js';
import { severityRank, type Coverage, type Finding, type ScanError } from '../types.js';
import type { ControlAssessment } from '../controls/control-evidence.js';
import type { Endpoint } from '../model/endpoints.js';
import type { RepoSignals } from '../model/repo-signals.js';
import { summarize, type Summary } from './summary.js';
import type { ScanResult, Severity } from '../types.js';
import type { ProjectModel } from '../model/project.js';

/**
 * What the PDF (and the evidence export's index) show, gathered once from a scan, the control assessment and
 * git. Pure data: no clock, no file system; the command passes the date in.
 */

export interface ReportSource {
  /** Project name (the repository folder's name or package name). */
  project: string;
  /** Scanned folder relative to the repository root ('.' for the whole repository). */
  scanned: string;
  commit?: string;
  branch?: string;
  /** True when the work tree had uncommitted changes to tracked files. */
  dirty?: boolean;
  /** The date the report is for: ISO date-time (commit date, --date or SOURCE_DATE_EPOCH). */
  date: string;
  /** Where the date came from, said on the cover. */
  dateSource: 'commit' | 'option' | 'SOURCE_DATE_EPOCH' | 'clock';
}

export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  controls: readonly string[];
  remediation: string;
  enabled: boolean;
}

export interface ReportModel extends ReportSource {
  tool: { name: string; version: string };
  framework: 'SOC 2';
  summary: Summary;
  /** Open findings, worst first (the executive summary's top risks take the first few). */
  topRisks: Finding[];
  controls: ControlAssessment[];
  /** Suppressed findings with their justification. */
  exceptions: Finding[];
  endpoints: readonly Endpoint[];
  coverage: Coverage;
  errors: ScanError[];
  rules: RuleInfo[];
  /** Severity at or above which open findings decide a control's status. */
  threshold: Severity;
  repo: RepoSignals;
}

export interface ReportInput {
  source: ReportSource;
  result: ScanResult<ProjectModel>;
  assessments: ControlAssessment[];
  /** Every rule built into this version; `enabled` = it ran in this scan. */
  rules: readonly Rule[];
  threshold: Severity;
  repo: RepoSignals;
}

export function worstFirst(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : a.location.startLine - b.location.startLine)
  );
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { result } = input;
  const open = result.findings.filter((f) => !f.suppression);
  return {
    ...input.source,
    tool: result.tool,
    framework: 'SOC 2',
    summary: summarize({ ...result, findings: open }),
    topRisks: [...open].sort(worstFirst),
    controls: input.assessments,
    exceptions: result.findings.filter((f) => f.suppression),
    endpoints: result.model?.endpoints ?? [],
    coverage: result.coverage,
    errors: result.errors,
    rules: input.rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      controls: r.controls,
      remediation: r.remediation,
      enabled: result.rulesRun.includes(r.id),
    })),
    threshold: input.threshold,
    repo: input.repo,
  };
}
