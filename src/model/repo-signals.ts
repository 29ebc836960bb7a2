/** Repository signals as data (read by src/evidence/repo-signals.ts; read by controls and reports). */

export type CiSystem = 'GitHub Actions' | 'GitLab CI' | 'CircleCI' | 'Azure Pipelines' | 'Jenkins' | 'Bitbucket Pipelines';

export interface CiConfig {
  path: string;
  system: CiSystem;
  /** Names of the test commands seen (CI_TEST_PATTERNS). */
  tests: string[];
  /** Names of the security scanners seen (CI_SECURITY_SCANNERS). */
  securityScans: string[];
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
}
