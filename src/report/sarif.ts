/**
 * SARIF 2.1.0 reporter, shaped for GitHub code scanning (see shared/SARIF.md).
 *
 * Guarantees: exactly one run; rules unique and sorted by id; results sorted by path, line, column, rule;
 * artifact URIs relative to the repository root (no `./`, no `file:`, no backslashes, never absolute, no
 * `uriBaseId`); no timestamps; the absolute scan root never appears in the output.
 */
import type {
  ArtifactChange,
  CodeFlow,
  Fix,
  Log,
  Notification,
  PhysicalLocation,
  PropertyBag,
  Region,
  ReportingDescriptor,
  Result,
  Run,
  Suppression,
  ThreadFlowLocation,
} from 'sarif';
import type { Finding, FindingSuppression, ScanError, ScanResult, Severity } from '../types.js';
import { severityRank } from '../types.js';
import type { Rule } from '../model/rule.js';
import { CONTROLS, isControlId } from '../model/control-catalog.js';
import { sarifLevel, sarifPrecision, securitySeverity } from './severity-score.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_TOOL_NAME = 'complianceagent';
export const DEFAULT_SARIF_CATEGORY = 'complianceagent/';
export const DEFAULT_INFORMATION_URI = 'https://github.com/complianceagent/complianceagent';
/** `partialFingerprints` key for our own content-based fingerprint. */
export const FINGERPRINT_KEY = 'complianceagent/v1';
/** GitHub code scanning accepts at most this many results per run. */
export const MAX_SARIF_RESULTS = 25_000;
/** GitHub truncates/rejects longer rule descriptions. */
export const MAX_DESCRIPTION_LENGTH = 1024;
/** GitHub reads at most this many rule tags. */
export const MAX_RULE_TAGS = 20;

export type SarifProfile = 'full' | 'github';

export interface SarifOptions {
  /** The rules that ran: `tool.driver.rules` is exactly these, unique by id and sorted by id. */
  rules: readonly Rule[];
  /** The rule's markdown docs (`help.markdown`; `help.text` is a plain-text rendering of it). */
  ruleHelp?: (ruleId: string) => string | undefined;
  /** Optional `helpUri` per rule (absolute URL). */
  ruleHelpUri?: (ruleId: string) => string | undefined;
  /** `full` (default) keeps suppressed results with `suppressions`; `github` leaves them out. */
  profile?: SarifProfile;
  /** `automationDetails.id`; default `complianceagent/`. A missing trailing `/` is added. */
  category?: string;
  /** `tool.driver.informationUri`; default the project's GitHub page. */
  informationUri?: string;
}

/** One step of a data-flow finding, source → sink. Paths are repo-root-relative POSIX like `Finding.location`. */
export type { CodeFlowStep, FindingFix, FindingSuppression, FixReplacement } from '../types.js';

/** The optional parts of a `Finding` this reporter writes (kept as a name for callers that used it). */
export type FindingExtras = Pick<Finding, 'codeFlow' | 'fix' | 'suppression'>;

export function toSarif(result: ScanResult, options: SarifOptions): Log {
  const profile: SarifProfile = options.profile ?? 'full';
  const scrub = makeScrubber(result.root, result.repoPrefix);
  const paths = makePathNormaliser(result.root, result.repoPrefix);

  const rules = uniqueSortedRules(options.rules);
  const ruleIndex = new Map<string, number>();
  rules.forEach((rule, index) => ruleIndex.set(rule.id, index));

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
      .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || compareFindings(a, b))
      .slice(0, MAX_SARIF_RESULTS);
  }
  findings = [...findings].sort(compareFindings);

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
// Rules

function uniqueSortedRules(rules: readonly Rule[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}

function toRuleDescriptor(rule: Rule, options: SarifOptions): ReportingDescriptor {
  const markdown = options.ruleHelp?.(rule.id) ?? defaultHelpMarkdown(rule);
  const helpUri = options.ruleHelpUri?.(rule.id);
  const descriptor: ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.slug),
    shortDescription: { text: truncate(rule.title, MAX_DESCRIPTION_LENGTH) },
    fullDescription: { text: truncate(rule.description, MAX_DESCRIPTION_LENGTH) },
    help: { text: markdownToText(markdown), markdown },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ruleTags(rule),
      precision: sarifPrecision(rule.confidence),
      'security-severity': securitySeverity(rule.severity),
    },
  };
  return descriptor;
}

/** `security`, then `soc2/<control>`, then `external/cwe/cwe-<n>`; unique, at most 20. */
export function ruleTags(rule: Pick<Rule, 'controls' | 'cwe'>): string[] {
  const tags = ['security', ...rule.controls.map((c) => `soc2/${c}`), ...rule.cwe.map(cweTag)];
  return [...new Set(tags)].slice(0, MAX_RULE_TAGS);
}

function cweTag(cwe: string): string {
  const trimmed = cwe.trim().toLowerCase();
  return /^\d+$/.test(trimmed) ? `external/cwe/cwe-${trimmed}` : `external/cwe/${trimmed}`;
}

/** `hardcoded-secret` → `HardcodedSecret`. */
export function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function defaultHelpMarkdown(rule: Rule): string {
  const lines = [`# ${rule.title}`, '', rule.description, ''];
  if (rule.remediation) lines.push('## Remediation', '', rule.remediation, '');
  if (rule.controls.length > 0) {
    lines.push('## SOC 2 controls', '');
    for (const control of rule.controls) {
      lines.push(isControlId(control) ? `- ${control}: ${CONTROLS[control].title}` : `- ${control}`);
    }
    lines.push('');
  }
  if (rule.cwe.length > 0) {
    lines.push('## References', '');
    for (const cwe of rule.cwe) {
      const number = /(\d+)/.exec(cwe)?.[1];
      lines.push(number ? `- [${cwe}](https://cwe.mitre.org/data/definitions/${number}.html)` : `- ${cwe}`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd() + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// Results

interface PlacedFinding {
  finding: Finding;
  /** Normalised repo-relative URI. */
  path: string;
}

function toResult(
  finding: Finding,
  path: string,
  ruleIndex: number,
  profile: SarifProfile,
  paths: PathNormaliser,
  scrub: (text: string) => string,
): Result {
  const loc = finding.location;
  const region: Region = regionOf(loc.startLine, loc.startColumn, loc.endLine, loc.endColumn);
  if (finding.snippet) region.snippet = { text: scrub(finding.snippet) };

  const properties: PropertyBag = {
    severity: finding.severity,
    confidence: finding.confidence,
    controls: [...finding.controls],
  };
  const extra = finding.properties ?? {};
  for (const key of Object.keys(extra).sort(compareStrings)) {
    if (key in properties) continue; // ours win
    const value = extra[key];
    properties[key] = typeof value === 'string' ? scrub(value) : value;
  }

  const sarifResult: Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: scrub(finding.message || finding.title) },
    locations: [{ physicalLocation: { artifactLocation: { uri: path }, region } }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };

  const codeFlow = readCodeFlow(finding, paths, scrub);
  if (codeFlow) sarifResult.codeFlows = [codeFlow];
  const fix = readFix(finding, paths, scrub);
  if (fix) sarifResult.fixes = [fix];
  const suppression = readSuppression(finding);
  if (suppression && profile === 'full') {
    const entry: Suppression = { kind: suppression.kind };
    if (suppression.justification) entry.justification = scrub(suppression.justification);
    sarifResult.suppressions = [entry];
  }
  sarifResult.properties = properties;
  return sarifResult;
}

function regionOf(startLine: number, startColumn?: number, endLine?: number, endColumn?: number): Region {
  const sl = positiveInt(startLine) ?? 1;
  const region: Region = { startLine: sl };
  const sc = positiveInt(startColumn);
  if (sc !== undefined) region.startColumn = sc;
  const el = positiveInt(endLine);
  const ec = positiveInt(endColumn);
  if (el !== undefined && el >= sl) {
    region.endLine = el;
    if (ec !== undefined && (el > sl || sc === undefined || ec >= sc)) region.endColumn = ec;
  }
  return region;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

function requireFindingPath(finding: Finding, paths: PathNormaliser): string {
  const uri = paths(finding.location.path);
  if (uri === undefined) {
    throw new Error(
      `toSarif: finding ${finding.ruleId} has a path that is not inside the repository: ${JSON.stringify(
        paths.redact(finding.location.path),
      )}`,
    );
  }
  return uri;
}

function compareFindings(a: PlacedFinding, b: PlacedFinding): number {
  const la = a.finding.location;
  const lb = b.finding.location;
  return (
    compareStrings(a.path, b.path) ||
    la.startLine - lb.startLine ||
    la.startColumn - lb.startColumn ||
    compareStrings(a.finding.ruleId, b.finding.ruleId) ||
    la.endLine - lb.endLine ||
    la.endColumn - lb.endColumn ||
    compareStrings(a.finding.fingerprint, b.finding.fingerprint) ||
    compareStrings(a.finding.message, b.finding.message)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- extras (codeFlow / fix / suppression), read defensively ----------------------------------------------------

function extrasOf(finding: Finding): FindingExtras {
  return finding as Finding & FindingExtras;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCodeFlow(finding: Finding, paths: PathNormaliser, scrub: (s: string) => string): CodeFlow | undefined {
  const steps: unknown = extrasOf(finding).codeFlow;
  if (!Array.isArray(steps)) return undefined;
  const locations: ThreadFlowLocation[] = [];
  for (const step of steps as unknown[]) {
    if (!isRecord(step) || typeof step.path !== 'string') continue;
    const uri = paths(step.path);
    const line = positiveInt(step.line);
    if (uri === undefined || line === undefined) continue;
    const region: Region = { startLine: line };
    const column = positiveInt(step.column);
    if (column !== undefined) region.startColumn = column;
    const physicalLocation: PhysicalLocation = { artifactLocation: { uri }, region };
    const message = typeof step.message === 'string' && step.message ? { text: scrub(step.message) } : undefined;
    locations.push({ location: { physicalLocation, ...(message ? { message } : {}) } });
  }
  if (locations.length === 0) return undefined;
  return { threadFlows: [{ locations }] };
}

function readFix(finding: Finding, paths: PathNormaliser, scrub: (s: string) => string): Fix | undefined {
  const fix: unknown = extrasOf(finding).fix;
  if (!isRecord(fix) || !Array.isArray(fix.replacements)) return undefined;
  const changes = new Map<string, ArtifactChange>();
  for (const r of fix.replacements as unknown[]) {
    if (!isRecord(r) || typeof r.path !== 'string' || typeof r.text !== 'string') continue;
    const uri = paths(r.path);
    const startLine = positiveInt(r.startLine);
    if (uri === undefined || startLine === undefined) continue;
    let change = changes.get(uri);
    if (!change) {
      change = { artifactLocation: { uri }, replacements: [] };
      changes.set(uri, change);
    }
    change.replacements.push({
      deletedRegion: regionOf(startLine, r.startColumn as number, r.endLine as number, r.endColumn as number),
      insertedContent: { text: r.text },
    });
  }
  if (changes.size === 0) return undefined;
  const description = typeof fix.description === 'string' && fix.description ? fix.description : undefined;
  return {
    ...(description ? { description: { text: scrub(description) } } : {}),
    artifactChanges: [...changes.values()],
  };
}

function readSuppression(finding: Finding): FindingSuppression | undefined {
  const suppression: unknown = extrasOf(finding).suppression;
  if (!isRecord(suppression)) return undefined;
  const kind = suppression.kind === 'inSource' || suppression.kind === 'external' ? suppression.kind : undefined;
  if (!kind) return undefined;
  return { kind, justification: typeof suppression.justification === 'string' ? suppression.justification : '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications and run properties

function toNotification(error: ScanError, paths: PathNormaliser, scrub: (s: string) => string): Notification {
  const notification: Notification = {
    level: 'warning',
    message: { text: scrub(`${error.kind} error: ${error.message}`) },
  };
  const uri = error.path ? paths(error.path) : undefined;
  if (uri !== undefined) {
    const physicalLocation: PhysicalLocation = { artifactLocation: { uri } };
    const line = positiveInt(error.line);
    if (line !== undefined) physicalLocation.region = { startLine: line };
    notification.locations = [{ physicalLocation }];
  }
  return notification;
}

function compareErrors(a: ScanError, b: ScanError): number {
  return (
    compareStrings(a.path, b.path) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.message, b.message)
  );
}

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

// ---------------------------------------------------------------------------------------------------------------
// Paths and absolute-root hygiene

interface PathNormaliser {
  /** A repo-root-relative URI reference for `path`, or `undefined` when it cannot be one. */
  (path: string): string | undefined;
  /** `path` with the scan root hidden, for error messages. */
  redact(path: string): string;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:\//;

function posixRoot(root: string): string {
  return root.replace(/\\/g, '/').replace(/\/+$/, '');
}

function makePathNormaliser(root: string, repoPrefix: string): PathNormaliser {
  const rootPosix = posixRoot(root);
  const prefix = repoPrefix.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
  const normalise = ((input: string): string | undefined => {
    let path = input.replace(/\\/g, '/');
    if (/^file:/i.test(path)) {
      try {
        path = decodeURIComponent(new URL(path).pathname);
        if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
      } catch {
        return undefined;
      }
    }
    if (path.startsWith('/') || WINDOWS_ABSOLUTE.test(path)) {
      // An absolute path under the scanned root: make it repo-relative. Anything else cannot be shown.
      if (rootPosix.length > 0 && (path === rootPosix || path.startsWith(`${rootPosix}/`))) {
        const rest = path.slice(rootPosix.length).replace(/^\/+/, '');
        path = prefix ? (rest ? `${prefix}/${rest}` : prefix) : rest;
      } else {
        return undefined;
      }
    }
    const segments: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.length === 0) return undefined; // escapes the repository
        segments.pop();
        continue;
      }
      segments.push(segment);
    }
    if (segments.length === 0) return undefined;
    return segments.map((segment, i) => encodeSegment(segment, i === 0)).join('/');
  }) as PathNormaliser;
  normalise.redact = (path: string) => makeScrubber(root, repoPrefix)(path);
  return normalise;
}

/** Percent-encode what a URI reference cannot hold literally (space, `#`, `?`, `%`, non-ASCII …). */
function encodeSegment(segment: string, first: boolean): string {
  const encoded = encodeURIComponent(segment).replace(/%(40|2B|2C|3D|24|26|3B)/g, (match) =>
    decodeURIComponent(match),
  );
  // ':' may stay in later segments; in the first one it would read as a URI scheme.
  return first ? encoded : encoded.replace(/%3A/g, ':');
}

/** Replaces the absolute scan root in free text by the repo-relative prefix (or nothing). */
function makeScrubber(root: string, repoPrefix: string): (text: string) => string {
  const variants = new Set<string>();
  const trimmed = root.replace(/[\\/]+$/, '');
  // Never scrub a filesystem root such as `/` or `C:`: that would mangle every path-like string.
  if (trimmed.length > 0 && !/^[A-Za-z]:$/.test(trimmed)) {
    variants.add(trimmed);
    variants.add(trimmed.replace(/\\/g, '/'));
    variants.add(trimmed.replace(/\//g, '\\'));
  }
  const prefix = repoPrefix.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  // The root, followed by a separator or by something that cannot continue a path segment.
  const pattern = new RegExp(`(?:${ordered.map(escapeRegExp).join('|')})(?:([\\\\/])|(?![\\w.\\-]))`, 'g');
  return (text: string) =>
    text.replace(pattern, (_match, sep: string | undefined) => (prefix ? `${prefix}${sep ? '/' : ''}` : sep ? '' : '.'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Cut `text` to at most `max` UTF-16 code units, never inside a surrogate pair, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1; // room for the ellipsis
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  let head = text.slice(0, cut);
  const space = head.search(/\s+\S*$/);
  if (space > max * 0.8) head = head.slice(0, space);
  return `${head.trimEnd()}…`;
}

/** A plain-text rendering of markdown: headings, emphasis, links, code fences, quotes and HTML tags removed. */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      if (
        fenceMatch &&
        fenceMatch[1]![0] === fence.char &&
        fenceMatch[1]!.length >= fence.length &&
        fenceMatch[2]!.trim() === ''
      ) {
        fence = undefined;
      } else {
        out.push(`    ${line}`);
      }
      continue;
    }
    if (fenceMatch) {
      fence = { char: fenceMatch[1]![0]!, length: fenceMatch[1]!.length };
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(''); // thematic break (or setext `---` underline)
      continue;
    }
    if (/^\s{0,3}=+\s*$/.test(line)) continue; // setext `===` underline
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table separator
    let text = line;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading) text = heading[1]!;
    text = text.replace(/^(\s{0,3}>\s?)+/, '');
    text = text.replace(/^(\s*)[*+-]\s+(\[[ xX]\]\s+)?/, '$1- ');
    if (/^\s*\|.*\|\s*$/.test(text)) text = text.trim().replace(/^\|\s*|\s*\|$/g, '').replace(/\s*\|\s*/g, ' | ');
    out.push(inlineToText(text));
  }
  return out
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function inlineToText(line: string): string {
  // Split on code spans: their content is literal.
  const parts = line.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 3) {
    out += inlineMarkupToText(parts[i] ?? '');
    const code = parts[i + 2];
    if (code !== undefined) out += code.replace(/^ (.*) $/, '$1');
  }
  return out;
}

function inlineMarkupToText(text: string): string {
  const escapes: string[] = [];
  let s = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_m, ch: string) => {
    escapes.push(ch);
    return `\uE000${escapes.length - 1}\uE001`;
  });
  s = s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*["')])?\s*\)/g, (_m, label: string, url: string) =>
      /^(https?:|mailto:)/i.test(url) && label !== url ? `${label} (${url})` : label,
    )
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/\*(?=\S)([^*]*?\S)\*/g, '$1')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1');
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => escapes[Number(i)] ?? '');
}
