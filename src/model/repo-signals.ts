/** Repository signals as data (read by src/evidence/repo-signals.ts; read by controls and reports). */

export type CiSystem = 'GitHub Actions' | 'GitLab CI' | 'CircleCI' | 'Azure Pipelines' | 'Jenkins' | 'Bitbucket Pipelines';

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
  /** Distinct people after `.mailmap` and unification by name or email. */
  authors: number;
  /** Changes without review evidence, newest first (the report shows the first few; change-log.json has them all). */
  exceptions: Array<{ hash: string; date: string; author: string; kind: 'direct-push' | 'branch-merge' | 'pull-request'; subject: string; reason: string }>;
}
