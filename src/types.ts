/**
 * The result vocabulary every layer speaks: severities, findings, scan errors, coverage, positions. It imports
 * nothing of the project, so reporters, configuration, controls and evidence never reach into the engine.
 */

export type Language = 'javascript' | 'typescript' | 'python' | 'config' | 'text';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like editors and SARIF do. */
  column: number;
}

export interface Range {
  start: Position;
  /** The position just after the last character. */
  end: Position;
}

/** Settings a rule may read from `.complianceagent.yml` (`rules.<id>.options`). */
export type RuleOptions = Record<string, unknown>;

/** A rule's entry in `.complianceagent.yml`: a severity override and options. */
export interface RuleSetting {
  severity?: Severity;
  options?: RuleOptions;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Confidence = 'high' | 'medium' | 'low';

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s); // critical 4 … low 1
}

export interface Location {
  /** Repo-root-relative POSIX path. */
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** One step of a data flow from source to sink (SARIF codeFlows). */
export interface CodeFlowStep {
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface FixReplacement {
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  /** Column after the replaced text. */
  endColumn: number;
  text: string;
}

/** A safe, mechanical replacement (SARIF `fixes` on the result). */
export interface FindingFix {
  description: string;
  replacements: FixReplacement[];
}

/** A documented exception: the finding stays in reports but never fails the build. */
export interface FindingSuppression {
  kind: 'inSource' | 'external';
  justification: string;
  /** Who accepted it and until when (ignore file entries). */
  author?: string;
  expires?: string;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  controls: string[];
  cwe: string[];
  message: string;
  location: Location;
  /** The source line(s) of the finding with every secret value masked. */
  snippet: string;
  /** `ca1:` + content hash; never contains line numbers or secret values. */
  fingerprint: string;
  /** Rule-specific, already-redacted extras (e.g. `{ secretKind: 'aws-access-key-id' }`). */
  properties?: Record<string, string | number | boolean>;
  /** Source → sink steps for data-flow findings. */
  codeFlow?: CodeFlowStep[];
  fix?: FindingFix;
  suppression?: FindingSuppression;
}

/** 'suppression': a rejected, unused or expired suppression (reported like ESLint's unused disable directives). */
export type ScanErrorKind = 'read' | 'parse' | 'timeout' | 'rule' | 'config' | 'suppression' | 'internal';

export interface ScanError {
  path: string;
  kind: ScanErrorKind;
  message: string;
  /** Where a parser could say. */
  line?: number;
}

export type SkipReason = 'excluded' | 'ignored' | 'too-large' | 'binary' | 'symlink-outside-root' | 'unsupported';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface Coverage {
  /** Files parsed and analysed, by language. */
  filesByLanguage: Partial<Record<Language, number>>;
  linesScanned: number;
  skipped: SkippedFile[];
}

export interface ScanResult<Model = unknown> {
  tool: { name: string; version: string };
  /** Absolute path of the scanned root (never written to SARIF/JSON as-is; see reporters). */
  root: string;
  /** Prefix from the repository root to the scanned root (`''` when they are the same), POSIX. */
  repoPrefix: string;
  rulesRun: string[];
  findings: Finding[];
  errors: ScanError[];
  coverage: Coverage;
  /** With a baseline: how many findings it matched (left out of `findings`) and how many entries matched none. */
  baseline?: { matched: number; stale: number };
  /** With --changed-since: the ref and the commit compared against; `findings` holds only those on changed lines. */
  changedSince?: { ref: string; base: string; findingsOutside: number };
  /** The project model (facts, endpoints; `ProjectModel` from the engine); in memory only, never written by a reporter as a whole. */
  model?: Model;
}

/** `.complianceagent.yml` as read (src/config/load.ts). */
export type FailOn = Severity | 'none';

export interface Config {
  failOn?: FailOn;
  /** Whether findings in test and example files count toward --fail-on (default false). */
  failOnTestFindings?: boolean;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  respectGitignore?: boolean;
  /** Rule ids switched off. */
  disabledRules: string[];
  settings: Record<string, RuleSetting>;
  /** Where it was read from ('' when no file). */
  source: string;
}
