/**
 * SARIF 2.1.0 reporter, shaped for GitHub code scanning (see shared/SARIF.md).
 *
 * Guarantees: exactly one run; rules unique and sorted by id; results sorted by path, line, column, rule;
 * artifact URIs relative to the repository root (no `./`, no `file:`, no backslashes, never absolute, no
 * `uriBaseId`); no timestamps; the absolute scan root never appears in the output.
 */
import type { Log, Notification, PropertyBag, Run } from 'sarif';
import type { ScanResult } from '../types.js';
import { severityRank } from '../types.js';
import type { Rule } from '../model/rule.js';
import { compareStrings } from '../util/compare.js';
import { makePathNormaliser, makeScrubber } from './sarif-paths.js';
import { type RuleHelpOptions, toRuleDescriptor, uniqueSortedRules } from './sarif-rules.js';
import { type SarifProfile, compareErrors, compareResults, readSuppression, requireFindingPath, toNotification, toResult } from './sarif-results.js';

export { FINGERPRINT_KEY, type FindingExtras, type SarifProfile } from './sarif-results.js';
export { MAX_DESCRIPTION_LENGTH, MAX_RULE_TAGS, ruleTags } from './sarif-rules.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_TOOL_NAME = 'complianceagent';
export const DEFAULT_SARIF_CATEGORY = 'complianceagent/';
export const DEFAULT_INFORMATION_URI = 'https://github.com/complianceagent/complianceagent';
/** GitHub code scanning accepts at most this many results per run. */
export const MAX_SARIF_RESULTS = 25_000;

export interface SarifOptions extends RuleHelpOptions {
  /** The rules that ran: `tool.driver.rules` is exactly these, unique by id and sorted by id. */
  rules: readonly Rule[];
  /** `full` (default) keeps suppressed results with `suppressions`; `github` leaves them out. */
  profile?: SarifProfile;
  /** `automationDetails.id`; default `complianceagent/`. A missing trailing `/` is added. */
  category?: string;
  /** `tool.driver.informationUri`; default the project's GitHub page. */
  informationUri?: string;
}

/** One step of a data-flow finding, source → sink. Paths are repo-root-relative POSIX like `Finding.location`. */
export type { CodeFlowStep, FindingFix, FindingSuppression, FixReplacement } from '../types.js';

export function toSarif(result: ScanResult, options: SarifOptions): Log {
  const profile: SarifProfile = options.profile ?? 'full';
  const scrub = makeScrubber(result.root, result.repoPrefix);
  const paths = makePathNormaliser(result.root, result.repoPrefix);

  const rules = uniqueSortedRules(options.rules);
  const ruleIndex = new Map<string, number>();
  for (const [index, rule] of rules.entries()) ruleIndex.set(rule.id, index);

  // Findings: drop suppressed ones for GitHub, sort, cap.
  let findings = result.findings.map((finding) => ({ finding, path: requireFindingPath(finding, paths) }));
  let suppressedOmitted = 0;
  if (profile === 'github') {
    const kept = findings.filter(({ finding }) => readSuppression(finding) === undefined);
    suppressedOmitted = findings.length - kept.length;
    findings = kept;
  }
  let dropped = 0;
  if (findings.length > MAX_SARIF_RESULTS) {
    dropped = findings.length - MAX_SARIF_RESULTS;
    findings = [...findings]
      .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || compareResults(a, b))
      .slice(0, MAX_SARIF_RESULTS);
  }
  findings = [...findings].sort(compareResults);

  const results = findings.map(({ finding, path }) => {
    const index = ruleIndex.get(finding.ruleId);
    if (index === undefined) {
      throw new Error(`toSarif: finding for rule ${finding.ruleId}, which is not among options.rules`);
    }
    return toResult(finding, path, index, profile, paths, scrub);
  });

  const notifications: Notification[] = [];
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text:
          `${dropped} result(s) were dropped: a SARIF run may hold at most ${MAX_SARIF_RESULTS} results ` +
          `(GitHub code scanning limit), so only the ${MAX_SARIF_RESULTS} most severe were kept.`,
      },
    });
  }
  notifications.push(...[...result.errors].sort(compareErrors).map((error) => toNotification(error, paths, scrub)));

  const runProperties: PropertyBag = {
    profile,
    coverage: coverageProperties(result),
  };
  if (suppressedOmitted > 0) runProperties.suppressedResultsOmitted = suppressedOmitted;
  if (dropped > 0) runProperties.resultsDroppedOverLimit = dropped;

  const run: Run = {
    tool: {
      driver: {
        name: SARIF_TOOL_NAME,
        semanticVersion: result.tool.version,
        informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
        rules: rules.map((rule) => toRuleDescriptor(rule, options)),
      },
    },
    automationDetails: { id: normaliseCategory(options.category) },
    invocations: [
      {
        executionSuccessful: true,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results,
    properties: runProperties,
  };

  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

// ---------------------------------------------------------------------------------------------------------------
// Run properties

function coverageProperties(result: ScanResult): PropertyBag {
  const filesByLanguage: Record<string, number> = {};
  let filesScanned = 0;
  const languages = Object.keys(result.coverage.filesByLanguage).sort(compareStrings);
  for (const language of languages) {
    const count = result.coverage.filesByLanguage[language as keyof typeof result.coverage.filesByLanguage] ?? 0;
    filesByLanguage[language] = count;
    filesScanned += count;
  }
  const counts = new Map<string, number>();
  for (const skipped of result.coverage.skipped) counts.set(skipped.reason, (counts.get(skipped.reason) ?? 0) + 1);
  const byReason: Record<string, number> = {};
  for (const reason of [...counts.keys()].sort(compareStrings)) byReason[reason] = counts.get(reason)!;
  return {
    filesScanned,
    filesByLanguage,
    linesScanned: result.coverage.linesScanned,
    skipped: { total: result.coverage.skipped.length, byReason },
    scanErrors: result.errors.length,
  };
}

function normaliseCategory(category: string | undefined): string {
  const trimmed = (category ?? '').trim().replace(/^\/+/, '');
  if (!trimmed) return DEFAULT_SARIF_CATEGORY;
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
