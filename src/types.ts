import type { Language, Range } from './model/facts.js';
import type { ProjectModel } from './model/project.js';

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
export type ScanErrorKind = 'read' | 'parse' | 'timeout' | 'rule' | 'config' | 'suppression';

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

export interface ScanResult {
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
  /** The project model (facts, endpoints); in memory only, never written by a reporter as a whole. */
  model?: ProjectModel;
}

export type { Language, Range };
