import { CONTROLS, CONTROL_IDS, RULE_CONTROLS, type ControlId, type RuleId } from '../model/control-catalog.js';
import { CATEGORY_LABELS, matchImport, type LibrarySignal, type SignalCategory } from './evidence-signals.js';
import { severityRank, type Finding, type Severity } from '../types.js';
import type { ProjectModel } from '../model/project.js';
import type { GuardKind } from '../model/endpoints.js';
import { authSensitiveKind, isAuthenticated } from '../model/endpoint-guards.js';
import { looksLikeTestPath } from '../model/secrets.js';
import type { RepoSignals, SdkUsage } from '../model/repo-signals.js';

type SdkFeature = SdkUsage['features'][number];
import { changeReviewStatus, changeReviewSummary } from './change-review.js';
import { historyReason, type SecretsHistory } from './secrets-history.js';

/**
 * Control evidence and status (shared/CONTROLS.md): positive evidence from the code and the repository, and
 * negative evidence from the open findings of the rules mapped to each control. Pure: everything read from
 * disk or git arrives as data.
 */

export const CONTROL_STATUSES = ['implemented', 'partial', 'gap', 'not-assessed'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export const STATUS_LABELS: Record<ControlStatus, string> = {
  implemented: 'Implemented',
  partial: 'Partially implemented',
  gap: 'Gap',
  'not-assessed': 'Not assessed',
};

export interface EvidenceReference {
  path: string;
  line?: number;
}

export interface EvidenceItem {
  /** What kind of evidence: `Password hashing`, `Endpoint authentication`, `Dependency updates` … */
  kind: string;
  summary: string;
  references: EvidenceReference[];
}

export type RuleCheckState = 'run' | 'not-available' | 'disabled';

export interface RuleCheck {
  ruleId: string;
  state: RuleCheckState;
}

export interface ControlAssessment {
  id: ControlId;
  title: string;
  family: string;
  paraphrase: string;
  status: ControlStatus;
  /** False for controls that lie outside code (always "Not assessed"; `--fail-on not-assessed` skips them). */
  assessableFromCode: boolean;
  reasons: string[];
  evidence: EvidenceItem[];
  /** Open findings at or above the threshold (these decide the status). */
  openFindings: Finding[];
  /** Open findings below the threshold (listed, do not change the status). */
  belowThreshold: Finding[];
  /** Suppressed findings: documented exceptions. */
  exceptions: Finding[];
  checks: RuleCheck[];
}

export interface AssessInput {
  findings: readonly Finding[];
  /** Ids of the rules built into this version. */
  availableRules: readonly string[];
  /** Ids of the rules that ran (available and not switched off). */
  rulesRun: readonly string[];
  model?: ProjectModel;
  repo: RepoSignals;
  /** Findings at or above this severity decide the status. */
  threshold: Severity;
  /** Secrets in git history (`--history`), for CC6.1/CC6.6; undefined = not examined. */
  history?: SecretsHistory;
}

/** Controls whose evidence lies outside the code: always "Not assessed", with this reason. */
const OUTSIDE_CODE: Partial<Record<ControlId, string>> = {
  'A1.2': 'Backups and recovery procedures live outside the code (infrastructure, runbooks); automated checks of the repository cannot assess them.',
  'C1.1':
    'Classification of confidential data is an organisational record; automated checks do not list classified fields yet (SOC2-005 recognises sensitive fields only to check their protection).',
};

const ENDPOINT_GUARDS: Partial<Record<ControlId, { kind: GuardKind; label: string }>> = {
  'CC6.1': { kind: 'authentication', label: 'Endpoint authentication' },
  'CC6.3': { kind: 'authorization', label: 'Endpoint authorisation' },
  'A1.1': { kind: 'rate-limit', label: 'Endpoint rate limiting' },
  'PI1.1': { kind: 'validation', label: 'Endpoint input validation' },
  'PI1.3': { kind: 'audit', label: 'Endpoint audit logging' },
};

const MAX_REFERENCES = 50;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function compareRefs(a: EvidenceReference, b: EvidenceReference): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

/** Test-runner configuration is test code too (`cypress.config.ts` importing otplib to log a test user in). */
const TOOLING_CONFIG = /(^|\/)(cypress|playwright|jest|vitest|karma|protractor|wdio)\.conf(ig)?\.[cm]?[jt]s$/;

/** Library imports in non-test source files, grouped by signal: one evidence item per library. */
export function libraryEvidence(model: ProjectModel | undefined): Map<ControlId, EvidenceItem[]> {
  const bySignal = new Map<LibrarySignal, EvidenceReference[]>();
  for (const file of model?.files ?? []) {
    if (file.language === 'config' || looksLikeTestPath(file.path) || TOOLING_CONFIG.test(file.path)) continue;
    const ecosystem = file.language === 'python' ? 'python' : 'npm';
    for (const imp of file.imports) {
      for (const signal of matchImport(
        imp.module,
        imp.names.map((n) => n.imported),
        ecosystem,
      )) {
        const refs = bySignal.get(signal) ?? [];
        if (!refs.some((r) => r.path === file.path)) refs.push({ path: file.path, line: imp.line });
        bySignal.set(signal, refs);
      }
    }
  }
  const out = new Map<ControlId, EvidenceItem[]>();
  for (const [signal, refs] of bySignal) {
    refs.sort(compareRefs);
    const item: EvidenceItem = {
      kind: CATEGORY_LABELS[signal.category as SignalCategory],
      summary: `${signal.library} imported in ${plural(refs.length, 'file')}`,
      references: refs.slice(0, MAX_REFERENCES),
    };
    for (const control of signal.controls) out.set(control, [...(out.get(control) ?? []), item]);
  }
  for (const items of out.values()) items.sort((a, b) => (a.kind + a.summary < b.kind + b.summary ? -1 : 1));
  return out;
}

/**
 * A guard's name for people: a call by its callee (`@ratelimit(method="POST", limit=10)` → `@ratelimit(…)`,
 * `passport.authenticate('jwt', { session: false })` → `passport.authenticate(…)`), whitespace folded, at most 40
 * characters. Code that is not a call keeps its text, cut with an ellipsis.
 */
export function guardDisplayName(name: string): string {
  const text = name.replace(/\s+/g, ' ').trim().replace(/\(\)$/, '');
  const call = /^(@?[A-Za-z_$][\w$]*(?:\s?\.\s?[A-Za-z_$][\w$]*)*)\s?\(.+\)$/.exec(text);
  const shown = call ? `${call[1]!.replace(/\s/g, '')}(…)` : text;
  return shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
}

/** Share of endpoints with a guard of the control's kind, naming the guards and where they are declared. */
function endpointEvidence(control: ControlId, model: ProjectModel | undefined): EvidenceItem | undefined {
  const spec = ENDPOINT_GUARDS[control];
  const endpoints = model?.endpoints ?? [];
  if (!spec || endpoints.length === 0) return undefined;
  const guarded = endpoints.filter((e) => e.guards.some((g) => g.kind === spec.kind));
  if (guarded.length === 0) return undefined;
  const guards = new Map<string, EvidenceReference[]>();
  // A check written in a handler body is named as one, not quoted as code (`if (!captchas[0] || …`); a decorator or
  // middleware call by its name, not its arguments (`@ratelimit(method="POST", limit=10, interval=5)` → `@ratelimit(…)`).
  const label = (g: { name: string; scope: string }) => (g.scope === 'handler' ? 'checks in handlers' : guardDisplayName(g.name));
  const seen = new Set<string>();
  for (const e of guarded)
    for (const g of e.guards) {
      const key = `${label(g)}\u0000${g.path}:${g.line}`;
      if (g.kind !== spec.kind || seen.has(key)) continue;
      seen.add(key);
      guards.set(label(g), [...(guards.get(label(g)) ?? []), { path: g.path, line: g.line }]);
    }
  const names = [...guards.keys()].sort();
  const shown = names
    .slice(0, 3)
    .map((n) => `${n} (${[...new Set(guards.get(n)!.map((r) => r.path))].sort()[0]})`)
    .join(', ');
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  return {
    kind: spec.label,
    summary: `${shown}${more} cover${names.length === 1 ? 's' : ''} ${guarded.length} of ${plural(endpoints.length, 'endpoint')}`,
    references: [...guards.values()].flat().sort(compareRefs).slice(0, MAX_REFERENCES),
  };
}

/** The controls each SDK feature gives evidence for: those of the rules it fixes (SOC2-003/010, SOC2-008, SOC2-005). */
const SDK_FEATURE_CONTROLS: Record<SdkFeature, readonly ControlId[]> = {
  'audit-log': ['CC7.2', 'PI1.3'],
  'access-control': ['CC6.3'],
  encryption: ['C1.2', 'CC6.6'],
};

const SDK_FEATURE_NAMES: Record<SdkFeature, string> = { 'audit-log': 'audit logging', 'access-control': 'access control', encryption: 'field encryption' };

/** The ComplianceAgent SDK imported (and configured) in the code: evidence the mechanism exists, like a library import. */
function sdkEvidence(control: ControlId, repo: RepoSignals): EvidenceItem[] {
  const sdk = repo.sdk;
  if (!sdk) return [];
  const features = sdk.features.filter((f) => SDK_FEATURE_CONTROLS[f].includes(control));
  if (features.length === 0) return [];
  const configured = sdk.configured.length > 0 ? `; configured (\`configure()\`) in ${sdk.configured.join(', ')}` : '; no `configure()` call found';
  return [
    {
      kind: 'ComplianceAgent SDK',
      summary: `${features.map((f) => SDK_FEATURE_NAMES[f]).join(' and ')} from the SDK, imported in ${plural(sdk.files.length, 'file')}${configured}`,
      references: [...new Set([...sdk.configured, ...sdk.files])].slice(0, 10).map((path) => ({ path })),
    },
  ];
}

function repoEvidence(control: ControlId, repo: RepoSignals): EvidenceItem[] {
  const items: EvidenceItem[] = [...sdkEvidence(control, repo)];
  if (control === 'CC7.1') {
    for (const d of repo.dependencyUpdates) {
      items.push({
        kind: 'Dependency updates',
        summary: `${d.tool} configuration${d.ecosystems.length ? ` (${d.ecosystems.join(', ')})` : ''}`,
        references: [{ path: d.path }],
      });
    }
    const locks = [...repo.lockfiles, ...repo.pinnedRequirements];
    if (locks.length > 0)
      items.push({
        kind: 'Pinned dependencies',
        summary: `${locks.slice(0, 4).join(', ')}${locks.length > 4 ? ` and ${locks.length - 4} more` : ''}`,
        references: locks.map((path) => ({ path })),
      });
    const scanning = repo.ci.filter((c) => c.securityScans.length > 0);
    for (const c of scanning)
      items.push({
        kind: 'Security scanning in CI',
        summary: `${c.system}${c.triggers?.length ? ` on ${c.triggers.join(', ')}` : ''}: ${(c.scanSteps ?? c.securityScans.map((name) => ({ name, step: '' }))).map((x) => (x.step ? `${x.name} (${x.step})` : x.name)).join(', ')}`,
        references: [{ path: c.path }],
      });
    if (repo.securityPolicy)
      items.push({
        kind: 'Vulnerability disclosure policy',
        summary: 'security policy published in the repository',
        references: [{ path: repo.securityPolicy }],
      });
  }
  if (control === 'CC8.1') {
    const review = repo.changeReview;
    if (review && review.changes > 0)
      items.push({
        kind: 'Change review',
        summary: changeReviewSummary(review),
        references: review.pullRequestFile ? [{ path: review.pullRequestFile }] : [],
      });
    else if (repo.inGitRepository)
      items.push({ kind: 'Version control', summary: 'changes are tracked in git (see the change log of `evidence export`)', references: [] });
    for (const c of repo.ci.filter((ci) => ci.tests.length > 0))
      items.push({ kind: 'Automated tests in CI', summary: `${c.system}: ${c.tests.join(', ')}`, references: [{ path: c.path }] });
    if (repo.codeowners)
      items.push({ kind: 'Code review ownership', summary: 'CODEOWNERS assigns reviewers to changes', references: [{ path: repo.codeowners }] });
  }
  return items;
}

function ruleChecks(control: ControlId, input: AssessInput): RuleCheck[] {
  return (Object.keys(RULE_CONTROLS) as RuleId[])
    .filter((id) => (RULE_CONTROLS[id].controls as readonly string[]).includes(control))
    .map((ruleId) => ({
      ruleId,
      state: input.rulesRun.includes(ruleId) ? 'run' : input.availableRules.includes(ruleId) ? 'disabled' : 'not-available',
    }));
}

function countByRule(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, n]) => `${id} ×${n}`)
    .join(', ');
}

/** Whether the positive evidence covers the control's scope, and the sentence that says how much. */
interface ScopeCoverage {
  covered: boolean;
  /** Part of the scope covered, part not: at best Partially implemented. */
  partial: boolean;
  reason: string;
}

/** CI scanners that find vulnerable dependencies (the others scan the project's own code or its secrets). */
const DEPENDENCY_SCANNERS = new Set([
  'dependency review',
  'Snyk',
  'Trivy',
  'Grype',
  'npm audit',
  'pip-audit',
  'Safety',
  'OSV-Scanner',
  'OWASP Dependency-Check',
  'GitLab security template',
]);

const SCOPE_GUARDS: Partial<Record<ControlId, { kind: GuardKind; label: string }>> = {
  'CC6.1': { kind: 'authentication', label: 'Authentication' },
  'CC6.3': { kind: 'authorization', label: 'Authorisation' },
};

/**
 * Statuses never rest on absence: CC6.1 and CC6.3 are covered only when every endpoint that is not public (by
 * design or an explicit opt-out) has a recognised guard of their kind; A1.1, PI1.1 and PI1.3 by guards their rules
 * check the need for; CC7.1 by a dependency update configuration or a scan step in CI. Library imports alone show
 * that a mechanism exists, not where it applies: they never cover a scope.
 */
function scopeCoverage(control: ControlId, input: AssessInput, evidence: readonly EvidenceItem[]): ScopeCoverage {
  const spec = SCOPE_GUARDS[control];
  const endpoints = input.model?.endpoints ?? [];
  if (spec && endpoints.length > 0) {
    const needing = endpoints.filter((e) => !e.publicByDesign && e.optOuts.length === 0);
    const guarded = needing.filter((e) => e.guards.some((g) => g.kind === spec.kind)).length;
    const publicCount = endpoints.length - needing.length;
    const reason = `${spec.label} recognised on ${guarded} of ${plural(needing.length, 'endpoint')} that need it${publicCount ? ` (${publicCount} more public by design or opted out)` : ''}.`;
    return { covered: needing.length > 0 && guarded === needing.length, partial: guarded > 0 && guarded < needing.length, reason };
  }
  if (control === 'A1.1' && endpoints.length > 0 && evidence.some((e) => e.kind === ENDPOINT_GUARDS[control]!.label)) {
    // The endpoints SOC2-006 checks: sign-in, sign-up, password reset or change, one-time codes and token minting that write.
    const sensitive = endpoints.filter((e) => {
      if (looksLikeTestPath(e.file) || !e.methods.some((m) => ['POST', 'PUT', 'PATCH', '*'].includes(m))) return false;
      return authSensitiveKind(e.path, isAuthenticated(e) ? [] : e.methods) !== null;
    });
    const limited = sensitive.filter((e) => e.guards.some((g) => g.kind === 'rate-limit')).length;
    const all = endpoints.filter((e) => e.guards.some((g) => g.kind === 'rate-limit')).length;
    const scope =
      sensitive.length === 0
        ? 'No sign-in, sign-up, password, one-time-code or token endpoint found to need rate limiting'
        : `Rate limiting recognised on ${limited} of ${plural(sensitive.length, 'sign-in, sign-up, password, one-time-code or token endpoint')} (those SOC2-006 checks)`;
    return {
      covered: sensitive.length > 0 && limited === sensitive.length,
      partial: limited > 0 && limited < sensitive.length,
      reason: `${scope}; ${all} of ${plural(endpoints.length, 'endpoint')} in all.`,
    };
  }
  if (ENDPOINT_GUARDS[control] && evidence.some((e) => e.kind === ENDPOINT_GUARDS[control]!.label) && !spec)
    return { covered: true, partial: false, reason: 'Guards recognised on endpoints (above); the mapped rules check the endpoints that need them.' };
  if (control === 'CC7.1') {
    const scans = input.repo.ci.flatMap((c) => c.securityScans);
    const dependencies = input.repo.dependencyUpdates.length > 0 || scans.some((n) => DEPENDENCY_SCANNERS.has(n));
    const code = scans.some((n) => !DEPENDENCY_SCANNERS.has(n));
    return {
      covered: dependencies,
      partial: !dependencies && code,
      reason: dependencies
        ? 'Vulnerable dependencies are detected by a dependency update configuration or a dependency scan step in CI.'
        : code
          ? 'Code is scanned in CI, but nothing detects vulnerable dependencies (no Dependabot or Renovate configuration, no dependency scan step).'
          : 'Nothing found that detects vulnerable dependencies or code (no Dependabot or Renovate configuration, no scan step in CI).',
    };
  }
  return {
    covered: false,
    partial: false,
    reason: evidence.length > 0 ? 'The evidence shows the mechanism exists (library imports); where it applies across the code is not measured.' : '',
  };
}

/**
 * CONTROLS.md's table, with two guards: "Implemented" needs evidence covering the control's scope, and a check for
 * problems to have run. Evidence of a mechanism without either leaves the control "Not assessed"; evidence on part of
 * the scope makes it "Partially implemented".
 */
function statusOf(evidence: number, open: number, checked: boolean, scope: ScopeCoverage): ControlStatus {
  if (evidence > 0) {
    if (open > 0 || scope.partial) return 'partial';
    return checked && scope.covered ? 'implemented' : 'not-assessed';
  }
  return open > 0 ? 'gap' : 'not-assessed';
}

/** What CC7.1 lacks, said explicitly: no update tool, no lockfile, no scan step. */
function vulnerabilityManagementGaps(repo: RepoSignals): string[] {
  const out: string[] = [];
  if (repo.dependencyUpdates.length === 0) out.push('No Dependabot or Renovate configuration (.github/dependabot.yml, renovate.json …).');
  if (repo.lockfiles.length === 0 && repo.pinnedRequirements.length === 0)
    out.push('No lockfile or fully pinned requirements file at the repository root or in the scanned folder.');
  if (!repo.ci.some((c) => c.securityScans.length > 0))
    out.push(
      repo.ci.length === 0
        ? 'No CI configuration found, so no security scan step.'
        : `No security scan step in the ${plural(repo.ci.length, 'CI file')} read (scanners count only as an action, a command or a job image, not as words).`,
    );
  return out;
}

export function assessControl(control: ControlId, input: AssessInput, libraries: Map<ControlId, EvidenceItem[]>): ControlAssessment {
  const meta = CONTROLS[control];
  const checks = ruleChecks(control, input);
  const mapped = input.findings.filter((f) => f.controls.includes(control));
  const exceptions = mapped.filter((f) => f.suppression);
  const open = mapped.filter((f) => !f.suppression);
  const openFindings = open.filter((f) => severityRank(f.severity) >= severityRank(input.threshold));
  const belowThreshold = open.filter((f) => severityRank(f.severity) < severityRank(input.threshold));
  const base = {
    id: control,
    assessableFromCode: !OUTSIDE_CODE[control],
    title: meta.title,
    family: meta.family,
    paraphrase: meta.paraphrase,
    openFindings,
    belowThreshold,
    exceptions,
    checks,
  };

  const outside = OUTSIDE_CODE[control];
  if (outside) return { ...base, status: 'not-assessed', reasons: [outside], evidence: [] };

  const evidence: EvidenceItem[] = [];
  const endpoint = endpointEvidence(control, input.model);
  if (endpoint) evidence.push(endpoint);
  evidence.push(...(libraries.get(control) ?? []), ...repoEvidence(control, input.repo));

  if (control === 'CC8.1') {
    // Tracking and CI say nothing about whether changes were reviewed: the status rests on the review figures.
    const review = changeReviewStatus(input.repo.changeReview);
    return { ...base, status: review.status, reasons: review.reasons, evidence };
  }

  const run = checks.filter((c) => c.state === 'run').map((c) => c.ruleId);
  const scope = scopeCoverage(control, input, evidence);
  const status = statusOf(evidence.length, openFindings.length, checks.length === 0 || run.length > 0, scope);
  const reasons: string[] = [];
  if (evidence.length > 0) reasons.push(`${plural(evidence.length, 'piece')} of positive evidence found.`);
  else reasons.push(`No positive evidence found in the code for: ${meta.codeEvidence}.`);
  if (scope.reason && (evidence.length > 0 || control === 'CC7.1')) reasons.push(scope.reason);
  if (control === 'CC7.1') reasons.push(...vulnerabilityManagementGaps(input.repo));
  if (ENDPOINT_GUARDS[control] && (input.model?.endpoints.length ?? 0) === 0)
    reasons.push('No HTTP endpoints were found, so endpoint coverage could not be measured.');

  if (openFindings.length > 0)
    reasons.push(`${plural(openFindings.length, 'open finding')} at or above ${input.threshold} severity (${countByRule(openFindings)}).`);
  else if (run.length > 0) reasons.push(`No issues detected by automated checks (${run.join(', ')}) at or above ${input.threshold} severity.`);
  if (belowThreshold.length > 0)
    reasons.push(
      `${plural(belowThreshold.length, 'open finding')} below ${input.threshold} severity, listed but not counted (${countByRule(belowThreshold)}).`,
    );
  if (exceptions.length > 0)
    reasons.push(
      `${plural(exceptions.length, 'finding')} documented as ${exceptions.length === 1 ? 'an exception' : 'exceptions'} (suppressed with a justification).`,
    );
  if (control === 'CC6.1' || control === 'CC6.6') reasons.push(historyReason(input.history));
  const missing = checks.filter((c) => c.state === 'not-available').map((c) => c.ruleId);
  if (missing.length > 0) reasons.push(`${missing.join(', ')}: not assessed by automated checks yet.`);
  const disabled = checks.filter((c) => c.state === 'disabled').map((c) => c.ruleId);
  if (disabled.length > 0) reasons.push(`${disabled.join(', ')}: switched off in the configuration.`);
  if (checks.length === 0) reasons.push('No rule checks this control for problems; the status rests on the positive evidence.');
  if (status === 'not-assessed' && evidence.length === 0) reasons.push('Without positive evidence or findings the control cannot be assessed from the code.');
  else if (status === 'not-assessed' && !scope.covered)
    reasons.push("The evidence does not cover the control's scope, so the control is not rated Implemented; absence of findings is not evidence.");
  else if (status === 'not-assessed')
    reasons.push('The evidence shows the mechanism exists, but no check for where it is missing has run, so the control is not rated Implemented.');
  return { ...base, status, reasons, evidence };
}

/** Every control of the catalog, in catalog order. */
export function assessControls(input: AssessInput): ControlAssessment[] {
  const libraries = libraryEvidence(input.model);
  return CONTROL_IDS.map((id) => assessControl(id, input, libraries));
}

/** Worst first: the order `--fail-on` reads. */
const STATUS_FAIL_ORDER: Record<ControlStatus, number> = { gap: 0, partial: 1, 'not-assessed': 2, implemented: 3 };

export const FAIL_ON_STATUSES = ['gap', 'partial', 'not-assessed', 'none'] as const;
export type FailOnStatus = (typeof FAIL_ON_STATUSES)[number];

/** True when a control's status is `failOn` or worse (gap < partial < not-assessed < implemented). */
export function controlsFail(assessments: readonly ControlAssessment[], failOn: FailOnStatus): boolean {
  if (failOn === 'none') return false;
  return assessments.some((a) => a.assessableFromCode && STATUS_FAIL_ORDER[a.status] <= STATUS_FAIL_ORDER[failOn]);
}
