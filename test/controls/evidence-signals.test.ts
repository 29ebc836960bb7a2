import { describe, expect, it } from 'vitest';
import {
  CI_TEST_PATTERNS,
  LIBRARY_SIGNALS,
  matchCiPatterns,
  matchCiScanners,
  matchImport,
  securityRelevance,
  type SignalEcosystem,
} from '../../src/controls/evidence-signals.js';
import { readCiSteps } from '../../src/evidence/ci-steps.js';

/** [ecosystem, module, imported names, expected libraries] */
const IMPORT_SAMPLES: Array<[SignalEcosystem, string, string[], string[]]> = [
  ['npm', 'bcrypt', ['*'], ['bcrypt']],
  ['npm', 'bcryptjs', ['default'], ['bcrypt']],
  ['npm', '@node-rs/argon2', ['hash'], ['argon2']],
  ['npm', 'helmet', ['default'], ['helmet']],
  ['npm', '@fastify/helmet', ['default'], ['helmet']],
  ['npm', 'express-rate-limit', ['default'], ['express-rate-limit']],
  ['npm', '@nestjs/throttler', ['ThrottlerGuard'], ['@nestjs/throttler']],
  ['npm', 'zod', ['z'], ['zod']],
  ['npm', 'zod/v4', ['z'], ['zod']],
  ['npm', 'class-validator', ['IsEmail'], ['class-validator']],
  ['npm', 'winston', ['*'], ['winston']],
  ['npm', 'pino-http', ['default'], ['pino']],
  ['npm', '@nestjs/common', ['Logger', 'Controller'], ['@nestjs/common Logger']],
  ['npm', 'passport-jwt', ['Strategy'], ['passport']],
  ['npm', 'express-session', ['default'], ['express-session']],
  ['npm', '@aws-sdk/client-secrets-manager', ['SecretsManagerClient'], ['@aws-sdk/client-secrets-manager']],
  ['npm', '@prisma/client', ['PrismaClient'], ['prisma']],
  ['python', 'passlib.hash', ['argon2'], ['passlib']],
  ['python', 'argon2', ['PasswordHasher'], ['argon2-cffi']],
  ['python', 'slowapi', ['Limiter'], ['slowapi']],
  ['python', 'flask_limiter', ['Limiter'], ['flask-limiter']],
  ['python', 'rest_framework.throttling', ['UserRateThrottle'], ['djangorestframework throttling']],
  ['python', 'pydantic', ['BaseModel'], ['pydantic']],
  ['python', 'marshmallow', ['Schema'], ['marshmallow']],
  ['python', 'structlog', ['*'], ['structlog']],
  ['python', 'logging', ['*'], ['logging']],
  ['python', 'auditlog.registry', ['auditlog'], ['django-auditlog']],
  ['python', 'simple_history.models', ['HistoricalRecords'], ['django-simple-history']],
  ['python', 'django.contrib.auth.decorators', ['login_required'], ['django.contrib.auth']],
  ['python', 'django.contrib.auth.decorators', ['permission_required'], ['django permissions']],
  ['python', 'rest_framework.permissions', ['IsAdminUser'], ['djangorestframework authentication', 'djangorestframework permissions']],
  ['python', 'werkzeug.security', ['generate_password_hash'], ['werkzeug.security']],
  ['python', 'cryptography.fernet', ['Fernet'], ['cryptography']],
];

/** Imports that must not count as evidence. */
const NOT_EVIDENCE: Array<[SignalEcosystem, string, string[]]> = [
  ['npm', './bcrypt', ['default']], // the project's own module named like a library
  ['npm', '../logger', ['default']],
  ['npm', 'bcrypt-nodejs-fake', ['default']], // another package whose name starts like one
  ['npm', 'zodiac', ['default']],
  ['npm', '@nestjs/common', ['Controller', 'Get']], // Logger not imported
  ['npm', 'express', ['default']],
  ['npm', 'structlog', ['*']], // a Python library imported from JavaScript means nothing
  ['python', 'logging_tree', ['*']],
  ['python', '.auth', ['login_required']], // relative import
  ['python', 'django.contrib.auth.decorators', ['method_decorator']],
  ['python', 'werkzeug.security', ['safe_join']],
  ['python', 'sqlalchemy_utils', ['UUIDType']],
  ['python', 'passlib_extra', ['*']],
];

describe('library signals', () => {
  it.each(IMPORT_SAMPLES)('%s import %s %j is evidence of %j', (ecosystem, module, names, expected) => {
    expect(matchImport(module, names, ecosystem).map((s) => s.library)).toEqual(expected);
  });

  it.each(NOT_EVIDENCE)('%s import %s %j is no evidence', (ecosystem, module, names) => {
    expect(matchImport(module, names, ecosystem).map((s) => s.library)).toEqual([]);
  });

  it.each(LIBRARY_SIGNALS.map((s) => [s.library, s] as const))('%s maps to at least one control and module', (_, signal) => {
    expect(signal.controls.length).toBeGreaterThan(0);
    expect(signal.modules.length).toBeGreaterThan(0);
  });
});

const CI_SAMPLES: Array<[string, string[], string[]]> = [
  ['      - run: npm test', ['npm/yarn/pnpm test'], []],
  ['      - run: pnpm run test:unit', ['npm/yarn/pnpm test', 'npm run test:*'], []],
  ['    script:\n      - python -m pytest -q', ['pytest'], []],
  ['      - run: python manage.py test', ['manage.py test'], []],
  ['      - uses: github/codeql-action/analyze@v3', [], ['CodeQL']],
  ['      - run: npm audit --audit-level=high', [], ['npm audit']],
  ['      - uses: aquasecurity/trivy-action@master', [], ['Trivy']],
  ['      - run: pip-audit -r requirements.txt', [], ['pip-audit']],
  ['      - run: bandit -r app', [], ['Bandit']],
  ['      - uses: gitleaks/gitleaks-action@v2', [], ['gitleaks']],
  ['      - run: npx complianceagent scan . --sarif-output r.sarif', [], ['complianceagent']],
  ['      - run: npm run build', [], []],
  ['      - run: npm run lint  # npm test runs elsewhere', [], []],
  ['      - run: echo "testing the waters"', [], []],
  ['      - run: pip install safety', [], []],
  // Words are not steps: a bot's spam filter, a condition, an environment variable, a step name.
  ["      - run: grep -Eiq 'snyk|trivy|grype|semgrep' body.txt && gh pr close $PR", [], []],
  ["      - if: contains(github.event.comment.body, 'semgrep')\n        run: echo hi", [], []],
  ['      - env:\n          SNYK_TOKEN: x\n        name: Trivy and Grype soon\n        run: echo later', [], []],
  ['      - run: semgrep ci --config auto', [], ['Semgrep']],
  ['      - run: npx snyk test --severity-threshold=high', [], ['Snyk']],
  ['      - run: |\n          npm ci\n          npm audit --omit=dev', [], ['npm audit']],
  ['    script:\n      - trivy fs --exit-code 1 .', [], ['Trivy']],
  ['    include:\n      - template: Security/SAST.gitlab-ci.yml', [], ['GitLab security template']],
];

describe('CI patterns', () => {
  it.each(CI_SAMPLES)('%j runs tests %j and scanners %j', (text, tests, scanners) => {
    const gitlab = text.startsWith('    script:') || text.startsWith('    include:');
    const { steps } = gitlab ? readCiSteps(`job:\n${text}\n`, 'GitLab CI') : readCiSteps(`on: push\njobs:\n  j:\n    steps:\n${text}\n`, 'GitHub Actions');
    const commands = steps
      .filter((s) => s.type === 'run')
      .map((s) => s.value)
      .join('\n');
    expect(matchCiPatterns(commands, CI_TEST_PATTERNS)).toEqual(tests);
    expect(matchCiScanners(steps).map((s) => s.name)).toEqual(scanners);
  });

  it('reads the triggers of a workflow', () => {
    expect(readCiSteps('on:\n  pull_request:\n  schedule:\n    - cron: "0 0 * * 0"\njobs: {}\n', 'GitHub Actions').triggers).toEqual([
      'pull_request',
      'schedule',
    ]);
    expect(readCiSteps('on: [push, pull_request]\njobs: {}\n', 'GitHub Actions').triggers).toEqual(['pull_request', 'push']);
  });
});

const PATH_SAMPLES: Array<[string, string[]]> = [
  ['src/middleware/auth.ts', ['authentication, authorisation or session code']],
  ['src/authMiddleware.js', ['authentication, authorisation or session code']],
  ['app/permissions.py', ['authentication, authorisation or session code']],
  ['config/session.js', ['authentication, authorisation or session code', 'application settings']],
  ['mysite/settings.py', ['application settings']],
  ['.github/workflows/ci.yml', ['CI workflow']],
  ['.github/CODEOWNERS', ['review rules (CODEOWNERS)']],
  ['.github/dependabot.yml', ['dependency update configuration']],
  ['package-lock.json', ['dependencies']],
  ['backend/requirements-prod.txt', ['dependencies']],
  ['src/crypto/keys.ts', ['security or cryptography code']],
  ['Dockerfile', ['container or infrastructure']],
  ['.complianceagent.yml', ['complianceagent configuration']],
  ['src/routes/users.js', []],
  ['docs/author.md', []],
  ['src/controllers/orders.ts', []],
  ['README.md', []],
];

describe('security-relevant paths', () => {
  it.each(PATH_SAMPLES)('%s → %j', (path, reasons) => {
    expect(securityRelevance(path)).toEqual(reasons);
  });
});
