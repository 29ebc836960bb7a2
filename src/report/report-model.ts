import type { Rule } from '../model/rule.js';
import { severityRank, type Coverage, type Finding, type ScanError } from '../types.js';
import type { ControlAssessment } from '../controls/control-evidence.js';
import type { Endpoint } from '../model/endpoints.js';
import type { RepoSignals } from '../model/repo-signals.js';
import { summarize, type Summary } from './summary.js';
import type { ScanResult, Severity } from '../types.js';
import type { ProjectModel } from '../model/project.js';
import type { SecretsHistory } from '../controls/secrets-history.js';

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
  /** What was scanned when it was not simply the work tree: a commit's tree read from git (`--at`, or the period's last commit). */
  scannedAt?: ScannedAt;
}

/** The commit whose files were scanned, and why that one. */
export interface ScannedAt {
  commit: string;
  /** 'commit': its tree read from git into a temporary folder; 'work-tree': it is HEAD, scanned in place. */
  from: 'commit' | 'work-tree';
  /** 'period': the last commit of the period on the branch; 'at': named with --at. */
  chosenBy: 'period' | 'at';
  /** The --at value as given (for 'at'). */
  ref?: string;
}

/** One line saying which commit was scanned and why (cover, README of the export). */
export function scannedAtText(s: ScannedAt, period?: { start: string; end: string }): string {
  const why =
    s.chosenBy === 'period'
      ? `the last commit of the period${period ? ` ${period.start} to ${period.end}` : ''} on the branch`
      : `named with --at ${s.ref ?? s.commit}`;
  const how = s.from === 'commit' ? 'its files read from git, not the work tree' : 'it is HEAD: the work tree was scanned';
  return `${s.commit} (${why}; ${how})`;
}

/** One row of the `agents` inventory (src/cli/agents-command.ts builds it). */
export interface AiRow {
  /** `model`: a LangChain/LlamaIndex chat model constructed (provider, model and limits are set there). */
  type: 'call' | 'model' | 'agent' | 'tool';
  /** Provider (calls) or framework (agents, tools). */
  provider: string;
  /** The call / constructor as written, or the tool name. */
  name: string;
  model: string;
  path: string;
  line: number;
  function: string;
  /** Tools given (calls, agents) or what the tool does (tools: `delete (db.session.delete)`). */
  tools: string[];
  effects: string[];
  limits: string[];
  audit: string[];
  redaction: string[];
  approval: string[];
  roleCheck: string[];
  killSwitch: string[];
}

/** The `agents` inventory as built from the facts. */
export interface AgentInventory {
  rows: AiRow[];
  /** Test and example files with LLM code, left out of the rows (an auditor asks about production code). */
  testFiles: number;
  tracing: Array<{ path: string; what: string }>;
}

/** The AI section: the `agents` inventory and its one-line summary. */
export interface AiInventory extends AgentInventory {
  summary: string;
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
  /** Secrets in git history (`--history`); undefined: not examined. */
  history?: SecretsHistory;
  /** LLM calls, agents and tools (the `agents` inventory); undefined when not gathered. */
  ai?: AiInventory;
  /** Whole statements of multi-line findings (fingerprint → redacted text), printed instead of the one-line snippet. */
  statements?: Record<string, string>;
}

export interface ReportInput {
  source: ReportSource;
  result: ScanResult<ProjectModel>;
  assessments: ControlAssessment[];
  /** Every rule built into this version; `enabled` = it ran in this scan. */
  rules: readonly Rule[];
  threshold: Severity;
  repo: RepoSignals;
  history?: SecretsHistory;
  ai?: AiInventory;
  statements?: Record<string, string>;
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
    ...(input.history ? { history: input.history } : {}),
    ...(input.ai ? { ai: input.ai } : {}),
    ...(input.statements ? { statements: input.statements } : {}),
  };
}

/** One inventory row as JSON (the `agents` command's `-f json` and the evidence export's ai-agents.json). */
export function aiRowJson(r: AiRow) {
  return {
    provider: r.provider,
    name: r.name,
    ...(r.model ? { model: r.model } : {}),
    location: { path: r.path, line: r.line },
    ...(r.function ? { function: r.function } : {}),
    ...(r.type === 'tool' ? { does: r.effects } : { tools: r.tools, limits: r.limits }),
    guards: { audit: r.audit, redaction: r.redaction, approval: r.approval, roleCheck: r.roleCheck, killSwitch: r.killSwitch },
  };
}
