/** SARIF results (with code flows, fixes and suppressions) and tool notifications, built from findings and scan errors. */
import type { ArtifactChange, CodeFlow, Fix, Notification, PhysicalLocation, PropertyBag, Region, Result, Suppression, ThreadFlowLocation } from 'sarif';
import type { Finding, FindingSuppression, ScanError } from '../types.js';
import { compareFindingsInFile, compareStrings } from '../util/compare.js';
import type { PathNormaliser } from './sarif-paths.js';
import { sarifLevel } from './severity-score.js';

/** `partialFingerprints` key for our own content-based fingerprint. */
export const FINGERPRINT_KEY = 'complianceagent/v1';

export type SarifProfile = 'full' | 'github';

/** The optional parts of a `Finding` this reporter writes (kept as a name for callers that used it). */
export type FindingExtras = Pick<Finding, 'codeFlow' | 'fix' | 'suppression'>;

export interface PlacedFinding {
  finding: Finding;
  /** Normalised repo-relative URI. */
  path: string;
}

export function toResult(
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

export function requireFindingPath(finding: Finding, paths: PathNormaliser): string {
  const uri = paths(finding.location.path);
  if (uri === undefined) {
    throw new Error(`toSarif: finding ${finding.ruleId} has a path that is not inside the repository: ${JSON.stringify(paths.redact(finding.location.path))}`);
  }
  return uri;
}

/** Path (the normalised URI), then the order of `compareFindingsInFile`, then end, then fingerprint: a total order. */
export function compareResults(a: PlacedFinding, b: PlacedFinding): number {
  return (
    compareStrings(a.path, b.path) ||
    compareFindingsInFile(a.finding, b.finding) ||
    a.finding.location.endLine - b.finding.location.endLine ||
    a.finding.location.endColumn - b.finding.location.endColumn ||
    compareStrings(a.finding.fingerprint, b.finding.fingerprint)
  );
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

export function readSuppression(finding: Finding): FindingSuppression | undefined {
  const suppression: unknown = extrasOf(finding).suppression;
  if (!isRecord(suppression)) return undefined;
  const kind = suppression.kind === 'inSource' || suppression.kind === 'external' ? suppression.kind : undefined;
  if (!kind) return undefined;
  return { kind, justification: typeof suppression.justification === 'string' ? suppression.justification : '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications

export function toNotification(error: ScanError, paths: PathNormaliser, scrub: (s: string) => string): Notification {
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

export function compareErrors(a: ScanError, b: ScanError): number {
  return compareStrings(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.kind, b.kind) || compareStrings(a.message, b.message);
}
