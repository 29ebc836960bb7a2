/** Repository signals as data (read by src/evidence/repo-signals.ts; read by controls and reports). */
import type { FileFacts } from './facts.js';

export type CiSystem =
  | 'GitHub Actions'
  | 'GitLab CI'
  | 'CircleCI'
  | 'Azure Pipelines'
  | 'Jenkins'
  | 'Bitbucket Pipelines'
  | 'Travis CI'
  | 'Drone'
  | 'Buildkite';

export interface CiConfig {
  path: string;
  system: CiSystem;
  /** Names of the test commands seen (CI_TEST_PATTERNS). */
  tests: string[];
  /** Names of the security scanners its steps run (CI_SECURITY_SCANNERS: actions, commands, images; never words). */
  securityScans: string[];
  /** The step that runs each scanner (`uses: github/codeql-action/analyze@v3`, `run: semgrep ci`), same order. */
  scanSteps?: Array<{ name: string; step: string }>;
  /** GitHub Actions events the workflow runs on (`pull_request`, `push`, `schedule`), sorted. */
  triggers?: string[];
}

export interface DependencyUpdateConfig {
  tool: 'Dependabot' | 'Renovate';
  path: string;
  /** Dependabot's package ecosystems (`npm`, `pip`, `github-actions`); empty for Renovate. */
  ecosystems: string[];
}

export interface RepoSignals {
  /** False when the scanned folder is not inside a git repository (repository files are then looked for in it). */
  inGitRepository: boolean;
  lockfiles: string[];
  /** requirements*.txt files whose every requirement is pinned with `==`. */
  pinnedRequirements: string[];
  dependencyUpdates: DependencyUpdateConfig[];
  ci: CiConfig[];
  codeowners?: string;
  securityPolicy?: string;
  /** Change review over the audit period, when a period was read (CC8.1). */
  changeReview?: ChangeReviewFigures;
  /** The ComplianceAgent SDK in the scanned code (docs/sdk.md), when any file imports it. */
  sdk?: SdkUsage;
}

/** Where the code imports the ComplianceAgent SDK, and what of it: evidence that the SDK is installed and configured. */
export interface SdkUsage {
  /** Files that import the SDK (`from complianceagent import …`, `'complianceagent/sdk'`), sorted. */
  files: string[];
  /** Files that import `configure` (`configure(regulations=["SOC2"])` is the SDK's set-up call). */
  configured: string[];
  /** What the imports use: audit logging, access control, field encryption. */
  features: Array<'audit-log' | 'access-control' | 'encryption'>;
}

const SDK_MODULE = /^complianceagent(\/sdk)?$/;
const SDK_FEATURES: ReadonlyArray<[RegExp, SdkUsage['features'][number]]> = [
  [/^(audit_?log|auditLog|record_?event|recordEvent|file_?sink|fileSink)$/, 'audit-log'],
  [/^(access_?control|accessControl)$/, 'access-control'],
  [/^(encrypt_?field|encryptField|decrypt_?field|decryptField|encrypt_value|decrypt_value)$/, 'encryption'],
];

/** The SDK usage of a scanned project, from its import facts (undefined when no file imports the SDK). */
export function sdkUsageOf(files: readonly FileFacts[]): SdkUsage | undefined {
  const using = new Set<string>();
  const configured = new Set<string>();
  const features = new Set<SdkUsage['features'][number]>();
  for (const file of files) {
    for (const fact of file.imports) {
      if (!SDK_MODULE.test(fact.module)) continue;
      using.add(file.path);
      for (const { imported } of fact.names) {
        if (imported === 'configure') configured.add(file.path);
        for (const [pattern, feature] of SDK_FEATURES) if (pattern.test(imported)) features.add(feature);
      }
    }
  }
  if (using.size === 0) return undefined;
  const sorted = (values: Iterable<string>) => [...values].sort();
  return { files: sorted(using), configured: sorted(configured), features: SDK_FEATURES.map(([, f]) => f).filter((f) => features.has(f)) };
}

/**
 * Change management over an audit period, from the first-parent history of the branch (src/evidence/change-management.ts);
 * read by CC8.1. Absent when no period was read (`controls test` without `--period`).
 */
export interface ChangeReviewFigures {
  period: { start: string; end: string };
  /** The branch (or `HEAD`) whose history was read, and its commit. */
  branch: string;
  head: string;
  /** True when the clone is shallow: the history, and so the figures, may be cut off. */
  shallow: boolean;
  /** Changes to the branch in the period (first-parent commits). */
  changes: number;
  pullRequests: number;
  directPushes: number;
  branchMerges: number;
  /** Of the direct pushes, those committed by the hosting service (`GitHub <noreply@github.com>`): web edits or rebase merges, which git cannot tell apart. */
  committedByHostingService: number;
  /** Changes with review evidence (a merged pull request, an approval in the export, a review trailer). */
  reviewed: number;
  /** Of those, changes whose approval is recorded (a `Reviewed-by:`/`Approved-by:` trailer or an approving review in the export). */
  approved: number;
  /** The pull-request export given with `--pull-requests`, if any. */
  pullRequestFile?: string;
  /** When CODEOWNERS was in the branch during the period (from git): per path, the days it was present. */
  codeowners?: Array<{ path: string; from: string; to: string }>;
  /** Distinct people after `.mailmap` and unification by name or email. */
  authors: number;
  /** Changes without review evidence, newest first (the report shows the first few; change-log.json has them all). */
  exceptions: Array<{
    hash: string;
    date: string;
    author: string;
    kind: 'direct-push' | 'branch-merge' | 'pull-request';
    subject: string;
    reason: string;
    /** For a merge: the commits it brings in from its other parents (made off the branch's first-parent line, not listed one by one). */
    mergedCommits?: number;
  }>;
}
