import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPinnedRequirements, readRepoSignals } from '../../src/evidence/repo-signals.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ca-repo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('readRepoSignals', () => {
  it('finds dependency updates, lockfiles, CI tests and scanners, CODEOWNERS and a security policy', async () => {
    const root = tree({
      '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n',
      '.github/workflows/test.yml': 'on: [pull_request, push]\njobs:\n  t:\n    steps:\n      - run: python -m pytest\n',
      // A pull-request bot's spam filter names scanners in a regular expression: words, not scan steps.
      '.github/workflows/spam.yml':
        'on: pull_request_target\njobs:\n  s:\n    steps:\n      - run: echo "$BODY" | grep -Eiq \'snyk|trivy|grype|semgrep\' && exit 1\n',
      '.github/workflows/release.yaml': 'jobs:\n  r:\n    steps:\n      - run: twine upload dist/*\n',
      '.github/workflows/notes.txt': 'run: pytest\n',
      '.gitlab-ci.yml': 'scan:\n  script:\n    - trivy fs .\n',
      CODEOWNERS: '# owners\n/app/ @team\n',
      'SECURITY.md': '# Reporting\n',
      'poetry.lock': '',
      'requirements.txt': 'django==5.0.6\nrequests==2.32.3  # http\n',
      'requirements-dev.txt': 'pytest>=8\n',
      'services/api/package-lock.json': '{}',
    });
    expect(await readRepoSignals(root, root, true)).toEqual({
      inGitRepository: true,
      lockfiles: ['poetry.lock'],
      pinnedRequirements: ['requirements.txt'],
      dependencyUpdates: [{ tool: 'Dependabot', path: '.github/dependabot.yml', ecosystems: ['docker', 'pip'] }],
      ci: [
        { path: '.github/workflows/release.yaml', system: 'GitHub Actions', tests: [], securityScans: [] },
        { path: '.github/workflows/spam.yml', system: 'GitHub Actions', tests: [], securityScans: [], triggers: ['pull_request_target'] },
        { path: '.github/workflows/test.yml', system: 'GitHub Actions', tests: ['pytest'], securityScans: [], triggers: ['pull_request', 'push'] },
        { path: '.gitlab-ci.yml', system: 'GitLab CI', tests: [], securityScans: ['Trivy'], scanSteps: [{ name: 'Trivy', step: 'run: trivy fs .' }] },
      ],
      codeowners: 'CODEOWNERS',
      securityPolicy: 'SECURITY.md',
    });
  });

  it('counts the scanned subproject lockfile and ignores an empty CODEOWNERS', async () => {
    const root = tree({ 'services/api/package-lock.json': '{}', '.github/CODEOWNERS': '# nobody yet\n', 'renovate.json': '{}' });
    const signals = await readRepoSignals(root, join(root, 'services', 'api'), false);
    expect(signals.lockfiles).toEqual(['services/api/package-lock.json']);
    expect(signals.codeowners).toBeUndefined();
    expect(signals.dependencyUpdates).toEqual([{ tool: 'Renovate', path: 'renovate.json', ecosystems: [] }]);
  });
});

describe('isPinnedRequirements', () => {
  it.each([
    ['django==5.0.6\n', true],
    ['-r base.txt\n# comment\nDjango==5.0 ; python_version >= "3.10"\nuvicorn[standard]==0.30.1\n', true],
    ['django>=5\n', false],
    ['django==5.0\nrequests\n', false],
    ['# only comments\n', false],
  ])('%j → %s', (text, pinned) => {
    expect(isPinnedRequirements(text)).toBe(pinned);
  });
});
