import { CATEGORY_LABELS, matchImport, SECURITY_RELEVANT_PATHS, type SignalCategory } from '../controls/evidence-signals.js';
import type { ProjectModel } from '../model/project.js';
import { looksLikeTestPath } from '../model/secrets.js';
import type { Finding } from '../types.js';

/**
 * Which changed files matter for security (CC8.1's security-relevant changes), from the scan's facts rather than
 * path words: files that declare or apply the endpoints' guards, import security libraries (hashing, encryption,
 * JWT, sessions, rate limiting, audit …), hold a secret or session/cookie setting a rule flagged; plus, by file
 * type, CI workflows, CODEOWNERS, dependency update configuration, dependency manifests and lockfiles,
 * container files and this tool's configuration. Tests, stylesheets and other files nothing points at are not.
 */

/** The file-type rules kept from the path table: they name exact files, not words. */
const FILE_TYPE_REASONS = new Set([
  'CI workflow',
  'review rules (CODEOWNERS)',
  'dependency update configuration',
  'dependencies',
  'container or infrastructure',
  'complianceagent configuration',
]);

const GUARD_LABELS: Record<string, string> = {
  authentication: 'declares or applies authentication guards',
  authorization: 'declares or applies authorisation guards',
  'rate-limit': 'declares or applies rate limits',
  validation: 'declares or applies input validation',
  audit: 'declares or applies audit logging',
};

const FINDING_REASONS: Record<string, string> = {
  'SOC2-002': 'holds a secret or credential setting (SOC2-002)',
  'SOC2-009': 'session, cookie or token settings (SOC2-009)',
  'SOC2-005': 'stores sensitive data (SOC2-005)',
};

/** Library kinds that make a file security-relevant (an ORM, a logger or a validator in use does not). */
const SECURITY_CATEGORIES = new Set<SignalCategory>([
  'authentication',
  'jwt',
  'session',
  'multi-factor',
  'authorisation',
  'password-hashing',
  'encryption',
  'secret-manager',
  'security-headers',
  'rate-limiting',
  'audit-trail',
  'field-encryption',
]);

/** Test-runner configuration is test code (`cypress.config.ts` importing otplib to log a test user in). */
const TOOLING_CONFIG = /(^|\/)(cypress|playwright|jest|vitest|karma|protractor|wdio)\.conf(ig)?\.[cm]?[jt]s$/;

export type SecurityClassifier = (path: string) => string[];

export function securityClassifier(model: ProjectModel | undefined, findings: readonly Finding[]): SecurityClassifier {
  const reasons = new Map<string, Set<string>>();
  const add = (path: string, reason: string) => {
    if (looksLikeTestPath(path) || TOOLING_CONFIG.test(path)) return;
    const set = reasons.get(path) ?? new Set<string>();
    set.add(reason);
    reasons.set(path, set);
  };
  for (const e of model?.endpoints ?? []) for (const g of e.guards) if (g.scope !== 'handler') add(g.path, GUARD_LABELS[g.kind] ?? 'declares guards');
  for (const file of model?.files ?? []) {
    if (file.language === 'config') continue;
    const ecosystem = file.language === 'python' ? 'python' : 'npm';
    for (const imp of file.imports)
      for (const signal of matchImport(
        imp.module,
        imp.names.map((n) => n.imported),
        ecosystem,
      ))
        if (SECURITY_CATEGORIES.has(signal.category as SignalCategory))
          add(file.path, `uses ${signal.library} (${CATEGORY_LABELS[signal.category as SignalCategory].toLowerCase()})`);
  }
  for (const f of findings) {
    const reason = FINDING_REASONS[f.ruleId];
    if (reason) add(f.location.path, reason);
  }
  return (path) => {
    const byType = SECURITY_RELEVANT_PATHS.filter((s) => FILE_TYPE_REASONS.has(s.reason) && s.test(path, new Set())).map((s) => s.reason);
    return [...byType, ...[...(reasons.get(path) ?? [])].sort()];
  };
}
