import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CI_TEST_PATTERNS, matchCiPatterns, matchCiScanners } from '../controls/evidence-signals.js';
import { readCiSteps } from './ci-steps.js';
import { LOCKFILE_NAMES } from '../discovery/languages.js';

/**
 * Evidence from repository files that are not source code (dependency update configuration, lockfiles, CI
 * workflows, CODEOWNERS). Read with fs here, at the edge; everything after this is pure data. Paths are
 * repo-root-relative POSIX paths.
 */

export type { CiConfig, CiSystem, DependencyUpdateConfig, RepoSignals } from '../model/repo-signals.js';
import type { CiSystem, RepoSignals } from '../model/repo-signals.js';

const DEPENDABOT = ['.github/dependabot.yml', '.github/dependabot.yaml'];
const RENOVATE = [
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
];
const CODEOWNERS = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];
const SECURITY_POLICY = ['SECURITY.md', '.github/SECURITY.md', 'docs/SECURITY.md'];
const SINGLE_FILE_CI: ReadonlyArray<{ path: string; system: CiSystem }> = [
  { path: '.gitlab-ci.yml', system: 'GitLab CI' },
  { path: '.circleci/config.yml', system: 'CircleCI' },
  { path: 'azure-pipelines.yml', system: 'Azure Pipelines' },
  { path: 'Jenkinsfile', system: 'Jenkins' },
  { path: 'bitbucket-pipelines.yml', system: 'Bitbucket Pipelines' },
  { path: '.travis.yml', system: 'Travis CI' },
  { path: '.drone.yml', system: 'Drone' },
  { path: '.buildkite/pipeline.yml', system: 'Buildkite' },
  { path: '.buildkite/pipeline.yaml', system: 'Buildkite' },
  { path: '.buildkite/pipeline.json', system: 'Buildkite' },
  { path: 'buildkite.yml', system: 'Buildkite' },
  { path: 'buildkite.yaml', system: 'Buildkite' },
];

async function readText(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, ...path.split('/')), 'utf8');
  } catch {
    return undefined;
  }
}

async function listDir(root: string, path: string): Promise<string[]> {
  try {
    return (await readdir(join(root, ...path.split('/')), { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function firstExisting(root: string, candidates: readonly string[]): Promise<{ path: string; text: string } | undefined> {
  for (const path of candidates) {
    const text = await readText(root, path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

function dependabotEcosystems(text: string): string[] {
  try {
    const doc = parseYaml(text) as { updates?: Array<{ 'package-ecosystem'?: unknown }> } | null;
    const names = (doc?.updates ?? []).map((u) => u['package-ecosystem']).filter((e): e is string => typeof e === 'string');
    return [...new Set(names)].sort();
  } catch {
    return [];
  }
}

/** True when every requirement line pins an exact version (`pkg==1.2.3`); comments, options and blanks aside. */
export function isPinnedRequirements(text: string): boolean {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('-'));
  return lines.length > 0 && lines.every((l) => /^[A-Za-z0-9._[\],-]+\s*===?\s*[^\s;]+/.test(l));
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Reads the repository-level signals. `repoRoot` is the git repository's root (where `.github/` lives);
 * `scanRoot` the scanned folder, whose lockfiles count too (a subproject of a monorepo).
 */
export async function readRepoSignals(repoRoot: string, scanRoot: string, inGitRepository: boolean): Promise<RepoSignals> {
  const signals: RepoSignals = { inGitRepository, lockfiles: [], pinnedRequirements: [], dependencyUpdates: [], ci: [] };

  const roots = [...new Set([repoRoot, scanRoot])];
  for (const dir of roots) {
    const prefix = toPosix(relative(repoRoot, dir));
    const at = (name: string) => (prefix ? `${prefix}/${name}` : name);
    for (const name of await listDir(dir, '.')) {
      if (LOCKFILE_NAMES.has(name)) signals.lockfiles.push(at(name));
      if (/^requirements[\w.-]*\.txt$/.test(name) && isPinnedRequirements((await readText(dir, name)) ?? '')) signals.pinnedRequirements.push(at(name));
    }
  }
  signals.lockfiles.sort();
  signals.pinnedRequirements.sort();

  const dependabot = await firstExisting(repoRoot, DEPENDABOT);
  if (dependabot) signals.dependencyUpdates.push({ tool: 'Dependabot', path: dependabot.path, ecosystems: dependabotEcosystems(dependabot.text) });
  const renovate = await firstExisting(repoRoot, RENOVATE);
  if (renovate) signals.dependencyUpdates.push({ tool: 'Renovate', path: renovate.path, ecosystems: [] });

  const ciFiles: Array<{ path: string; system: CiSystem }> = (await listDir(repoRoot, '.github/workflows'))
    .filter((n) => /\.ya?ml$/.test(n))
    .map((n) => ({ path: `.github/workflows/${n}`, system: 'GitHub Actions' as const }));
  ciFiles.push(...SINGLE_FILE_CI);
  for (const { path, system } of ciFiles) {
    const text = await readText(repoRoot, path);
    if (text === undefined) continue;
    const { triggers, steps } = readCiSteps(text, system);
    const commands = steps
      .filter((s) => s.type === 'run')
      .map((s) => s.value)
      .join('\n');
    // Jenkinsfiles are Groovy, not YAML: their tests are still read from the text; scanners only ever from steps.
    const tests = matchCiPatterns(system === 'Jenkins' ? text : commands, CI_TEST_PATTERNS);
    const scans = matchCiScanners(steps);
    signals.ci.push({
      path,
      system,
      tests,
      securityScans: scans.map((s) => s.name),
      ...(scans.length ? { scanSteps: scans } : {}),
      ...(triggers.length ? { triggers } : {}),
    });
  }

  const codeowners = await firstExisting(repoRoot, CODEOWNERS);
  if (codeowners?.text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) signals.codeowners = codeowners.path;
  const policy = await firstExisting(repoRoot, SECURITY_POLICY);
  if (policy) signals.securityPolicy = policy.path;
  return signals;
}
