import type { ControlId } from '../model/control-catalog.js';

/**
 * Positive evidence as data: libraries whose import shows a control at work, and the CI commands that show
 * tests or security scanning run. Each entry proves itself with samples that must and must not match
 * (test/controls/evidence-signals.test.ts). An import is evidence that a mechanism is present, not that it is
 * used everywhere; the reports say so.
 */

export type SignalCategory =
  | 'authentication'
  | 'jwt'
  | 'session'
  | 'multi-factor'
  | 'authorisation'
  | 'password-hashing'
  | 'encryption'
  | 'secret-manager'
  | 'environment-config'
  | 'security-headers'
  | 'logging'
  | 'monitoring'
  | 'rate-limiting'
  | 'validation'
  | 'orm'
  | 'audit-trail'
  | 'field-encryption';

export type SignalEcosystem = 'npm' | 'python';

export interface LibrarySignal {
  /** The library as people name it (`express-rate-limit`, `django-auditlog`). */
  library: string;
  category: SignalCategory;
  controls: readonly ControlId[];
  ecosystem: SignalEcosystem;
  /** Import specifiers that mean this library: the exact module or any submodule (`passlib` → `passlib.hash`). */
  modules: readonly string[];
  /** When set, only imports of these names count (a module that also exports unrelated things). */
  names?: readonly string[];
}

export const CATEGORY_LABELS: Record<SignalCategory, string> = {
  authentication: 'Authentication library',
  jwt: 'JWT library (token signing/verification)',
  session: 'Session management',
  'multi-factor': 'Multi-factor authentication',
  authorisation: 'Authorisation (roles, permissions)',
  'password-hashing': 'Password hashing',
  encryption: 'Encryption library',
  'secret-manager': 'Secret manager',
  'environment-config': 'Credentials from the environment',
  'security-headers': 'Security headers / HTTPS enforcement',
  logging: 'Logging framework',
  monitoring: 'Error monitoring / tracing',
  'rate-limiting': 'Rate limiting',
  validation: 'Input validation library',
  orm: 'ORM / query builder (parameterised queries)',
  'audit-trail': 'Audit trail of data changes',
  'field-encryption': 'Field-level encryption',
};

const AUTHN: readonly ControlId[] = ['CC6.1', 'CC6.2'];
const AUTHZ: readonly ControlId[] = ['CC6.3'];
const CRYPTO: readonly ControlId[] = ['CC6.6'];
const LOGS: readonly ControlId[] = ['CC7.2'];
const LIMITS: readonly ControlId[] = ['A1.1'];
const INPUTS: readonly ControlId[] = ['PI1.1'];

function npm(
  library: string,
  category: SignalCategory,
  controls: readonly ControlId[],
  modules: readonly string[] = [library],
  names?: readonly string[],
): LibrarySignal {
  return { library, category, controls, ecosystem: 'npm', modules, ...(names ? { names } : {}) };
}
function py(library: string, category: SignalCategory, controls: readonly ControlId[], modules: readonly string[], names?: readonly string[]): LibrarySignal {
  return { library, category, controls, ecosystem: 'python', modules, ...(names ? { names } : {}) };
}

export const LIBRARY_SIGNALS: readonly LibrarySignal[] = [
  npm('passport', 'authentication', AUTHN, ['passport', 'passport-jwt', 'passport-local', 'passport-http-bearer', '@nestjs/passport']),
  npm('express-jwt', 'authentication', AUTHN),
  npm('jsonwebtoken', 'jwt', ['CC6.2']),
  npm('jose', 'jwt', ['CC6.2']),
  npm('@nestjs/jwt', 'jwt', ['CC6.2']),
  npm('next-auth', 'authentication', AUTHN, ['next-auth', '@auth/core', '@auth/express']),
  npm('express-openid-connect', 'authentication', AUTHN),
  npm('@fastify/jwt', 'authentication', AUTHN),
  npm('express-session', 'session', ['CC6.2']),
  npm('cookie-session', 'session', ['CC6.2']),
  npm('@fastify/session', 'session', ['CC6.2'], ['@fastify/session', '@fastify/secure-session']),
  npm('otplib', 'multi-factor', ['CC6.2'], ['otplib', 'speakeasy', '@otplib/core']),
  npm('@casl/ability', 'authorisation', AUTHZ),
  npm('accesscontrol', 'authorisation', AUTHZ),
  npm('casbin', 'authorisation', AUTHZ),
  npm('bcrypt', 'password-hashing', CRYPTO, ['bcrypt', 'bcryptjs', '@node-rs/bcrypt']),
  npm('argon2', 'password-hashing', CRYPTO, ['argon2', '@node-rs/argon2']),
  npm('@aws-sdk/client-secrets-manager', 'secret-manager', CRYPTO, ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-kms']),
  npm('@google-cloud/secret-manager', 'secret-manager', CRYPTO),
  npm('@azure/keyvault-secrets', 'secret-manager', CRYPTO, ['@azure/keyvault-secrets', '@azure/keyvault-keys']),
  npm('node-vault', 'secret-manager', CRYPTO),
  npm('dotenv', 'environment-config', CRYPTO, ['dotenv', 'dotenv/config', '@nestjs/config']),
  npm('helmet', 'security-headers', ['CC6.7'], ['helmet', '@fastify/helmet', 'koa-helmet']),
  npm('winston', 'logging', LOGS),
  npm('pino', 'logging', LOGS, ['pino', 'pino-http', 'nestjs-pino']),
  npm('bunyan', 'logging', LOGS),
  npm('log4js', 'logging', LOGS),
  npm('morgan', 'logging', LOGS),
  npm('@nestjs/common Logger', 'logging', LOGS, ['@nestjs/common'], ['Logger']),
  npm('@sentry/node', 'monitoring', LOGS, ['@sentry/node', '@sentry/nextjs', '@sentry/nestjs']),
  npm('dd-trace', 'monitoring', LOGS),
  npm('@opentelemetry/api', 'monitoring', LOGS, ['@opentelemetry/api', '@opentelemetry/sdk-node']),
  npm('express-rate-limit', 'rate-limiting', LIMITS, ['express-rate-limit', 'express-slow-down']),
  npm('rate-limiter-flexible', 'rate-limiting', LIMITS),
  npm('@nestjs/throttler', 'rate-limiting', LIMITS),
  npm('@fastify/rate-limit', 'rate-limiting', LIMITS),
  npm('koa-ratelimit', 'rate-limiting', LIMITS),
  npm('zod', 'validation', INPUTS),
  npm('joi', 'validation', INPUTS, ['joi', '@hapi/joi', 'celebrate']),
  npm('yup', 'validation', INPUTS),
  npm('ajv', 'validation', INPUTS),
  npm('class-validator', 'validation', INPUTS),
  npm('express-validator', 'validation', INPUTS),
  npm('valibot', 'validation', INPUTS),
  npm('@sinclair/typebox', 'validation', INPUTS),
  npm('prisma', 'orm', INPUTS, ['@prisma/client']),
  npm('sequelize', 'orm', INPUTS),
  npm('typeorm', 'orm', INPUTS, ['typeorm', '@nestjs/typeorm']),
  npm('mongoose', 'orm', INPUTS),
  npm('knex', 'orm', INPUTS),
  npm('drizzle-orm', 'orm', INPUTS),
  npm('sequelize-paper-trail', 'audit-trail', ['PI1.3']),
  npm(
    'mongoose-field-encryption',
    'field-encryption',
    ['C1.2'],
    ['mongoose-field-encryption', 'mongoose-encryption', 'prisma-field-encryption', '@47ng/cloak'],
  ),

  py('flask-login', 'authentication', AUTHN, ['flask_login']),
  py('flask-jwt-extended', 'authentication', AUTHN, ['flask_jwt_extended']),
  py(
    'django.contrib.auth',
    'authentication',
    AUTHN,
    ['django.contrib.auth.decorators', 'django.contrib.auth.mixins'],
    ['login_required', 'LoginRequiredMixin'],
  ),
  py('djangorestframework authentication', 'authentication', AUTHN, [
    'rest_framework.permissions',
    'rest_framework.authentication',
    'rest_framework_simplejwt',
  ]),
  py('fastapi.security', 'authentication', AUTHN, ['fastapi.security']),
  py('authlib', 'authentication', AUTHN, ['authlib']),
  py('PyJWT', 'jwt', ['CC6.2'], ['jwt']),
  py('python-jose', 'jwt', ['CC6.2'], ['jose']),
  py('flask-session', 'session', ['CC6.2'], ['flask_session']),
  py('pyotp', 'multi-factor', ['CC6.2'], ['pyotp', 'django_otp']),
  py(
    'django permissions',
    'authorisation',
    AUTHZ,
    ['django.contrib.auth.decorators', 'django.contrib.auth.mixins'],
    ['permission_required', 'user_passes_test', 'PermissionRequiredMixin', 'UserPassesTestMixin'],
  ),
  py(
    'djangorestframework permissions',
    'authorisation',
    AUTHZ,
    ['rest_framework.permissions'],
    ['IsAdminUser', 'DjangoModelPermissions', 'DjangoObjectPermissions', 'BasePermission'],
  ),
  py('django-guardian', 'authorisation', AUTHZ, ['guardian']),
  py('casbin', 'authorisation', AUTHZ, ['casbin']),
  py('oso', 'authorisation', AUTHZ, ['oso']),
  py('flask-principal', 'authorisation', AUTHZ, ['flask_principal']),
  py('passlib', 'password-hashing', CRYPTO, ['passlib']),
  py('bcrypt', 'password-hashing', CRYPTO, ['bcrypt']),
  py('argon2-cffi', 'password-hashing', CRYPTO, ['argon2']),
  py('django hashers', 'password-hashing', CRYPTO, ['django.contrib.auth.hashers']),
  py('werkzeug.security', 'password-hashing', CRYPTO, ['werkzeug.security'], ['generate_password_hash', 'check_password_hash']),
  py('cryptography', 'encryption', CRYPTO, ['cryptography']),
  py('PyNaCl', 'encryption', CRYPTO, ['nacl']),
  py('hvac', 'secret-manager', CRYPTO, ['hvac']),
  py('google-cloud-secret-manager', 'secret-manager', CRYPTO, ['google.cloud.secretmanager', 'google.cloud.secretmanager_v1']),
  py('azure-keyvault-secrets', 'secret-manager', CRYPTO, ['azure.keyvault.secrets', 'azure.keyvault.keys']),
  py('python-dotenv', 'environment-config', CRYPTO, ['dotenv']),
  py('django-environ', 'environment-config', CRYPTO, ['environ', 'environs', 'decouple']),
  py('pydantic-settings', 'environment-config', CRYPTO, ['pydantic_settings']),
  py('flask-talisman', 'security-headers', ['CC6.7'], ['flask_talisman', 'secure']),
  py('logging', 'logging', LOGS, ['logging']),
  py('structlog', 'logging', LOGS, ['structlog']),
  py('loguru', 'logging', LOGS, ['loguru']),
  py('sentry-sdk', 'monitoring', LOGS, ['sentry_sdk']),
  py('ddtrace', 'monitoring', LOGS, ['ddtrace']),
  py('opentelemetry', 'monitoring', LOGS, ['opentelemetry']),
  py('slowapi', 'rate-limiting', LIMITS, ['slowapi']),
  py('flask-limiter', 'rate-limiting', LIMITS, ['flask_limiter']),
  py('django-ratelimit', 'rate-limiting', LIMITS, ['django_ratelimit']),
  py('djangorestframework throttling', 'rate-limiting', LIMITS, ['rest_framework.throttling']),
  py('fastapi-limiter', 'rate-limiting', LIMITS, ['fastapi_limiter']),
  py('pydantic', 'validation', INPUTS, ['pydantic']),
  py('marshmallow', 'validation', INPUTS, ['marshmallow', 'flask_marshmallow']),
  py('cerberus', 'validation', INPUTS, ['cerberus']),
  py('voluptuous', 'validation', INPUTS, ['voluptuous']),
  py('jsonschema', 'validation', INPUTS, ['jsonschema']),
  py('djangorestframework serializers', 'validation', INPUTS, ['rest_framework.serializers']),
  py('django forms', 'validation', INPUTS, ['django.forms']),
  py('wtforms', 'validation', INPUTS, ['wtforms', 'flask_wtf']),
  py('SQLAlchemy', 'orm', INPUTS, ['sqlalchemy', 'flask_sqlalchemy', 'sqlmodel']),
  py('Django ORM', 'orm', INPUTS, ['django.db']),
  py('peewee', 'orm', INPUTS, ['peewee']),
  py('django-auditlog', 'audit-trail', ['PI1.3'], ['auditlog']),
  py('django-simple-history', 'audit-trail', ['PI1.3'], ['simple_history']),
  py('django-reversion', 'audit-trail', ['PI1.3'], ['reversion']),
  py('SQLAlchemy-Continuum', 'audit-trail', ['PI1.3'], ['sqlalchemy_continuum']),
  py('django-pgtrigger history', 'audit-trail', ['PI1.3'], ['pghistory']),
  py('django-fernet-fields', 'field-encryption', ['C1.2'], ['fernet_fields', 'encrypted_model_fields', 'encrypted_fields', 'django_cryptography']),
  py(
    'sqlalchemy-utils EncryptedType',
    'field-encryption',
    ['C1.2'],
    ['sqlalchemy_utils', 'sqlalchemy_utils.types.encrypted.encrypted_type'],
    ['EncryptedType', 'StringEncryptedType'],
  ),
];

/** `node:crypto` → `crypto`; a relative import (`./x`, `.x`) is the project's own code and never a library. */
function isRelative(module: string): boolean {
  return module.startsWith('.') || module.startsWith('/');
}

function moduleMatches(module: string, wanted: string, ecosystem: SignalEcosystem): boolean {
  if (module === wanted) return true;
  const separator = ecosystem === 'npm' ? '/' : '.';
  return module.startsWith(wanted + separator);
}

/**
 * The signals an import is evidence of. `ecosystem` is the importing file's: npm for JavaScript/TypeScript,
 * python for Python (`jose` and `bcrypt` exist in both with different meaning of submodules).
 */
export function matchImport(module: string, importedNames: readonly string[], ecosystem: SignalEcosystem): LibrarySignal[] {
  if (isRelative(module)) return [];
  return LIBRARY_SIGNALS.filter(
    (s) =>
      s.ecosystem === ecosystem && s.modules.some((m) => moduleMatches(module, m, ecosystem)) && (!s.names || s.names.some((n) => importedNames.includes(n))),
  );
}

/** CI steps that run tests (a `run:` line, a GitLab `script:` entry, or an action). */
export const CI_TEST_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'npm/yarn/pnpm test', pattern: /\b(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?test\b/ },
  { name: 'npm run test:*', pattern: /\b(?:npm|yarn|pnpm)\s+run\s+test[:\w-]*/ },
  { name: 'jest/vitest/mocha', pattern: /\b(?:npx\s+)?(?:jest|vitest|mocha|ava|playwright\s+test|cypress\s+run)\b/ },
  { name: 'pytest', pattern: /\b(?:python\d*\s+-m\s+)?pytest\b/ },
  { name: 'tox/nox', pattern: /\b(?:tox|nox)\b(?!\.ini)/ },
  { name: 'manage.py test', pattern: /\bmanage\.py\s+test\b/ },
  { name: 'unittest', pattern: /\bpython\d*\s+-m\s+unittest\b/ },
  { name: 'make test', pattern: /\bmake\s+(?:\w+-)?test\w*\b/ },
  { name: 'go/cargo test', pattern: /\b(?:go|cargo|dotnet|mvn|gradle)\s+test\b/ },
];

/**
 * CI steps that scan for vulnerabilities, secrets or insecure code: an action (`uses:`, GitLab template), the
 * start of a command (`run:`/`script:` after wrappers such as `npx` are removed, see src/evidence/ci-steps.ts), or
 * the image a job runs in. Never a word anywhere in the file.
 */
export const CI_SECURITY_SCANNERS: ReadonlyArray<{ name: string; uses?: RegExp; command?: RegExp; image?: RegExp }> = [
  { name: 'CodeQL', uses: /^github\/codeql-action\/(?:init|analyze|autobuild)\b/, command: /^codeql\s+database\s+(?:create|analyze)\b/ },
  { name: 'dependency review', uses: /^actions\/dependency-review-action\b/ },
  {
    name: 'Snyk',
    uses: /^(?:snyk\/actions\b|snyk\/scan$|snykSecurity$|SnykSecurityScan@)/,
    command: /^snyk\s+(?:test|monitor|code\s+test|container\s+test|iac\s+test)\b/,
    image: /^snyk\/snyk\b/,
  },
  {
    name: 'Trivy',
    uses: /^(?:aquasecurity\/trivy-action\b|equinixmetal-buildkite\/trivy#)/,
    command: /^trivy\s+(?:fs|filesystem|image|repo|repository|config|sbom|rootfs)\b/,
    image: /(?:^|\/)aquasec\/trivy\b/,
  },
  { name: 'Grype', uses: /^anchore\/scan-action\b/, command: /^grype\s+\S/, image: /(?:^|\/)anchore\/grype\b/ },
  { name: 'Semgrep', uses: /^(?:returntocorp|semgrep)\/semgrep-action\b/, command: /^semgrep(?:\s|$)/, image: /(?:^|\/)(?:returntocorp|semgrep)\/semgrep\b/ },
  { name: 'npm audit', command: /^(?:npm|yarn|pnpm)\s+audit\b/ },
  { name: 'pip-audit', uses: /^pypa\/gh-action-pip-audit\b/, command: /^pip-audit\b/ },
  { name: 'Safety', command: /^safety\s+(?:check|scan)\b/, uses: /^pyupio\/safety-action\b/ },
  { name: 'Bandit', command: /^bandit\s+\S/, uses: /bandit-action\b/ },
  { name: 'OSV-Scanner', uses: /^google\/osv-scanner-action\b/, command: /^osv-scanner\b/ },
  { name: 'gitleaks', uses: /^gitleaks\/gitleaks-action\b/, command: /^gitleaks\s+(?:detect|protect|git|dir)\b/, image: /gitleaks\/gitleaks\b/ },
  { name: 'TruffleHog', uses: /^trufflesecurity\/trufflehog\b/, command: /^trufflehog\s+\S/ },
  {
    name: 'OWASP Dependency-Check',
    uses: /^(?:dependency-check\/dependency-check_action\b|dependencyCheck$|dependency-check-build-task@)/i,
    command: /^dependency-check(?:\.sh)?\s/,
  },
  {
    name: 'GitLab security template',
    uses: /^(?:Jobs\/)?(?:Security\/)?(?:SAST|Dependency-Scanning|Secret-Detection|Container-Scanning)(?:\.latest)?\.gitlab-ci\.yml$/,
  },
  { name: 'complianceagent', command: /^complianceagent\s/, uses: /complianceagent/ },
];

/** The scanners a CI file's steps run, in table order, each once with the first step that runs it. */
export function matchCiScanners(steps: ReadonlyArray<{ type: 'uses' | 'run' | 'image'; value: string }>): Array<{ name: string; step: string }> {
  const out: Array<{ name: string; step: string }> = [];
  for (const scanner of CI_SECURITY_SCANNERS) {
    const step = steps.find((st) => {
      const re = st.type === 'uses' ? scanner.uses : st.type === 'run' ? scanner.command : scanner.image;
      return re?.test(st.value) ?? false;
    });
    if (step) out.push({ name: scanner.name, step: `${step.type}: ${step.value.length > 80 ? `${step.value.slice(0, 79)}…` : step.value}` });
  }
  return out;
}

/** Names of the patterns matching a CI file's text, in table order, each once. */
export function matchCiPatterns(text: string, table: ReadonlyArray<{ name: string; pattern: RegExp }>): string[] {
  const withoutComments = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '$1'))
    .join('\n');
  return table.filter((p) => p.pattern.test(withoutComments)).map((p) => p.name);
}

/**
 * Changed files that matter for change management (CC8.1): the change log of `evidence export` marks commits
 * touching them. Path words are split on separators and camelCase (`authMiddleware.ts` → auth, middleware).
 */
export const SECURITY_RELEVANT_PATHS: ReadonlyArray<{ reason: string; test: (path: string, words: ReadonlySet<string>) => boolean }> = [
  {
    reason: 'CI workflow',
    test: (p) =>
      /^\.github\/workflows\/|(^|\/)\.gitlab-ci\.yml$|^\.circleci\/|(^|\/)azure-pipelines\.yml$|(^|\/)Jenkinsfile$|(^|\/)bitbucket-pipelines\.yml$|(^|\/)\.travis\.yml$|(^|\/)\.drone\.yml$|^\.buildkite\/|(^|\/)buildkite\.ya?ml$/.test(
        p,
      ),
  },
  { reason: 'review rules (CODEOWNERS)', test: (p) => /(^|\/)CODEOWNERS$/.test(p) },
  { reason: 'dependency update configuration', test: (p) => /^\.github\/dependabot\.ya?ml$|(^|\/)renovate\.json5?$|(^|\/)\.renovaterc(\.json)?$/.test(p) },
  {
    reason: 'dependencies',
    test: (p) =>
      /(^|\/)(package\.json|requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.py|setup\.cfg|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|uv\.lock)$/.test(
        p,
      ),
  },
  {
    reason: 'authentication, authorisation or session code',
    test: (_, w) =>
      [
        'auth',
        'authn',
        'authz',
        'authentication',
        'authorization',
        'authorisation',
        'login',
        'logout',
        'signin',
        'passport',
        'permission',
        'permissions',
        'guard',
        'guards',
        'rbac',
        'acl',
        'role',
        'roles',
        'oauth',
        'oauth2',
        'sso',
        'saml',
        'jwt',
        'session',
        'sessions',
        'csrf',
        'password',
        'passwords',
        'middleware',
        'middlewares',
      ].some((k) => w.has(k)),
  },
  {
    reason: 'security or cryptography code',
    test: (_, w) =>
      [
        'security',
        'crypto',
        'cryptography',
        'encryption',
        'secret',
        'secrets',
        'cors',
        'helmet',
        'ratelimit',
        'throttle',
        'throttling',
        'audit',
        'auditlog',
      ].some((k) => w.has(k)),
  },
  { reason: 'application settings', test: (p, w) => w.has('settings') || /(^|\/)config\/[^/]+$|(^|\/)config\.(py|js|ts|json|ya?ml|toml)$/.test(p) },
  {
    reason: 'container or infrastructure',
    test: (p) => /(^|\/)(Dockerfile[\w.-]*|docker-compose[\w.-]*\.ya?ml|compose\.ya?ml)$|\.tf$|(^|\/)(k8s|helm|kubernetes)\//.test(p),
  },
  { reason: 'complianceagent configuration', test: (p) => /(^|\/)\.complianceagent(\.yml|ignore)$/.test(p) },
];

function pathWords(path: string): Set<string> {
  const words = path
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return new Set(words);
}

/** Why a changed file is security-relevant (every matching reason), or [] when it is not. */
export function securityRelevance(path: string): string[] {
  const words = pathWords(path);
  return SECURITY_RELEVANT_PATHS.filter((s) => s.test(path, words)).map((s) => s.reason);
}
