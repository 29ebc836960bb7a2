import { describe, expect, it } from 'vitest';
import { matchCiScanners } from '../../src/controls/evidence-signals.js';
import { readCiSteps } from '../../src/evidence/ci-steps.js';

/** CC7.1 scanner steps outside GitHub Actions: Jenkinsfiles (Groovy), Azure tasks, CircleCI orb steps. */

const scanners = (text: string, system: string) => matchCiScanners(readCiSteps(text, system).steps).map((s) => `${s.name} <- ${s.step}`);

const DECLARATIVE = `
// Security scans run on every build: snyk test and semgrep are mentioned here only in a comment
pipeline {
  agent { docker { image 'aquasec/trivy:0.50.0' } }
  environment { SCANNER = "grype" }
  stages {
    stage('Test') {
      steps {
        sh 'npm ci && npm test'
        echo "now run: gitleaks detect"
      }
    }
    stage('Scan') {
      steps {
        sh '''
          # bandit -r .   (disabled)
          trivy fs --exit-code 1 .
        '''
        sh(script: "semgrep ci --config auto", returnStdout: true)
        sh label: 'Dependencies', script: 'npm audit --audit-level=high'
        snykSecurity(snykInstallation: 'snyk', snykTokenId: 'snyk-token')
        dependencyCheck additionalArguments: '--scan ./', odcInstallation: 'odc'
      }
    }
  }
  post { always { /* gitleaks detect --no-git */ echo 'done' } }
}
`;

describe('Jenkinsfile steps', () => {
  it('recognises scanners run by sh steps, images and plugin steps, not words in comments, echo or environment', () => {
    expect(scanners(DECLARATIVE, 'Jenkins')).toEqual([
      'Snyk <- uses: snykSecurity',
      'Trivy <- image: aquasec/trivy:0.50.0',
      'Semgrep <- run: semgrep ci --config auto',
      'npm audit <- run: npm audit --audit-level=high',
      'OWASP Dependency-Check <- uses: dependencyCheck',
    ]);
  });

  it('reads scripted pipelines: docker.image, bat, double-quoted and escaped scripts', () => {
    const scripted = `node {\n  docker.image("anchore/grype:latest").inside {\n    bat "gitleaks detect --source . \\"--redact\\""\n  }\n  def msg = 'pip-audit would be nice'\n}\n`;
    expect(scanners(scripted, 'Jenkins')).toEqual(['Grype <- image: anchore/grype:latest', 'gitleaks <- run: gitleaks detect --source . "--redact"']);
  });

  it('finds nothing in a Jenkinsfile that only talks about scanners', () => {
    expect(scanners("pipeline { stages { stage('x') { steps { echo 'trivy fs .'; sh 'make build' } } } }\n// sh 'snyk test'\n", 'Jenkins')).toEqual([]);
  });
});

describe('Azure Pipelines and CircleCI steps', () => {
  it('reads Azure tasks and CircleCI orb steps', () => {
    expect(scanners('steps:\n  - task: SnykSecurityScan@1\n    inputs: { testType: app }\n  - script: echo trivy\n', 'Azure Pipelines')).toEqual([
      'Snyk <- uses: SnykSecurityScan@1',
    ]);
    expect(scanners('version: 2.1\norbs:\n  snyk: snyk/snyk@2.0.3\njobs:\n  build:\n    steps:\n      - checkout\n      - snyk/scan\n', 'CircleCI')).toEqual([
      'Snyk <- uses: snyk/scan',
    ]);
  });
});

describe('Travis CI, Drone and Buildkite steps', () => {
  it('reads Travis lifecycle phases, in jobs.include too; a scanner in an env value or a comment is no step', () => {
    const travis = [
      'language: node_js',
      'env:',
      '  - SCANNERS="snyk trivy"',
      'install: npm ci',
      'script:',
      '  - npm test',
      '  # - semgrep ci',
      'after_success:',
      '  - snyk monitor --all-projects',
      'jobs:',
      '  include:',
      '    - stage: security',
      '      before_script: pip install bandit',
      '      script: bandit -r app',
      '',
    ].join('\n');
    expect(scanners(travis, 'Travis CI')).toEqual(['Snyk <- run: snyk monitor --all-projects', 'Bandit <- run: bandit -r app']);
  });

  it('reads every pipeline of a Drone file (one YAML document each): commands and images', () => {
    const drone = [
      'kind: pipeline',
      'name: test',
      'steps:',
      '  - name: test',
      '    image: node:20',
      '    commands: [npm ci, npm test]',
      '---',
      'kind: pipeline',
      'name: security',
      'steps:',
      '  - name: sast',
      '    image: returntocorp/semgrep',
      '    commands:',
      '      - semgrep ci',
      '  - name: deps',
      '    image: node:20',
      '    commands:',
      '      - echo "npm audit is done elsewhere"',
      '',
    ].join('\n');
    expect(scanners(drone, 'Drone')).toEqual(['Semgrep <- image: returntocorp/semgrep']);
    expect(
      readCiSteps(drone, 'Drone')
        .steps.filter((s) => s.type === 'run')
        .map((s) => s.value),
    ).toContain('npm test');
  });

  it('reads Buildkite command steps and plugins, not labels', () => {
    const buildkite = [
      'steps:',
      '  - label: ":snyk: snyk test (disabled)"',
      '    command: make build',
      '  - label: deps',
      '    commands:',
      '      - npm ci',
      '      - npm audit --audit-level=high',
      '  - label: image',
      '    plugins:',
      '      - equinixmetal-buildkite/trivy#v1.18.3:',
      '          severity: HIGH,CRITICAL',
      '      - docker#v5.9.0:',
      '          image: anchore/grype:latest',
      '',
    ].join('\n');
    expect(scanners(buildkite, 'Buildkite')).toEqual([
      'Trivy <- uses: equinixmetal-buildkite/trivy#v1.18.3',
      'Grype <- image: anchore/grype:latest',
      'npm audit <- run: npm audit --audit-level=high',
    ]);
  });

  it('finds nothing in a Drone file that does not parse', () => {
    expect(scanners('kind: pipeline\nsteps: [\n  - semgrep ci\n', 'Drone')).toEqual([]);
  });
});
