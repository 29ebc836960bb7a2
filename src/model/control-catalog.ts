/**
 * The SOC 2 control catalog (paraphrased; the AICPA criteria text is not reproduced) and the rule → control
 * mapping of shared/CONTROLS.md. Rules not yet built are still mapped here so reports can say which checks
 * exist for a control.
 */

export const CONTROLS = {
  'CC6.1': {
    family: 'Security: logical access',
    title: 'Logical access security',
    paraphrase: 'Access to systems and data is restricted to authorised users.',
    codeEvidence: 'authentication on endpoints, RBAC, credentials kept out of code',
  },
  'CC6.2': {
    family: 'Security: authentication',
    title: 'Authentication mechanisms',
    paraphrase: 'Users are identified and authenticated before access; sessions are managed.',
    codeEvidence: 'session/cookie settings, JWT verification, brute-force protection',
  },
  'CC6.3': {
    family: 'Security: authorisation',
    title: 'Authorisation controls',
    paraphrase: 'Access is granted by role, following least privilege.',
    codeEvidence: 'role/permission checks, object ownership checks',
  },
  'CC6.6': {
    family: 'Security: protection of data and boundaries',
    title: 'Encryption and key management',
    paraphrase: 'Data and secrets are protected with encryption and key management.',
    codeEvidence: 'hashing, encryption, secret managers',
  },
  'CC6.7': {
    family: 'Security: transmission',
    title: 'Transmission security',
    paraphrase: 'Data in transit is protected.',
    codeEvidence: 'TLS, secure cookies, no disabled certificate checks',
  },
  'CC7.1': {
    family: 'Operations: vulnerability management',
    title: 'Vulnerability management',
    paraphrase: 'Vulnerabilities are detected and patched.',
    codeEvidence: 'dependency update config, lockfiles, scanning in CI',
  },
  'CC7.2': {
    family: 'Operations: monitoring',
    title: 'Security monitoring',
    paraphrase: 'Security events are logged and monitored.',
    codeEvidence: 'security-event logging, errors logged not leaked',
  },
  'CC8.1': {
    family: 'Change management',
    title: 'Change management',
    paraphrase: 'Changes are authorised, tested and tracked.',
    codeEvidence: 'git history, reviews (CODEOWNERS), CI checks',
  },
  'A1.1': {
    family: 'Availability: capacity',
    title: 'Capacity management',
    paraphrase: 'Capacity is managed against demand.',
    codeEvidence: 'rate limiting, resource limits',
  },
  'A1.2': {
    family: 'Availability: recovery',
    title: 'Backup and recovery',
    paraphrase: 'Backups and recovery procedures exist.',
    codeEvidence: 'mostly outside code: reported as not assessed',
  },
  'PI1.1': {
    family: 'Processing integrity: inputs',
    title: 'Input validation',
    paraphrase: 'Inputs are complete, accurate and validated.',
    codeEvidence: 'schema validation, parameterised queries',
  },
  'PI1.3': {
    family: 'Processing integrity: outputs and records',
    title: 'Processing records',
    paraphrase: 'Processing is complete and traceable.',
    codeEvidence: 'audit trail of data changes',
  },
  'C1.1': {
    family: 'Confidentiality: classification',
    title: 'Data classification',
    paraphrase: 'Confidential data is identified.',
    codeEvidence: 'sensitive fields recognised',
  },
  'C1.2': {
    family: 'Confidentiality: protection',
    title: 'Confidential data protection',
    paraphrase: 'Confidential data is protected at rest and in use.',
    codeEvidence: 'encryption of sensitive fields, no leaks in errors/logs',
  },
} as const satisfies Record<string, { family: string; title: string; paraphrase: string; codeEvidence: string }>;

export type ControlId = keyof typeof CONTROLS;

export const CONTROL_IDS = Object.keys(CONTROLS) as ControlId[];

export function isControlId(id: string): id is ControlId {
  return Object.hasOwn(CONTROLS, id);
}

/** The mapping table of CONTROLS.md, for every rule, built or not (SOC2-011..015: the AI-agent rules of issue 19). */
export const RULE_CONTROLS = {
  'SOC2-001': { slug: 'missing-authentication', controls: ['CC6.1', 'CC6.2'], cwe: ['CWE-306'], severity: 'high' },
  'SOC2-002': { slug: 'hardcoded-secret', controls: ['CC6.1', 'CC6.6'], cwe: ['CWE-798', 'CWE-259', 'CWE-321'], severity: 'critical' },
  'SOC2-003': { slug: 'insufficient-security-logging', controls: ['CC7.2'], cwe: ['CWE-778', 'CWE-223'], severity: 'medium' },
  'SOC2-004': {
    slug: 'missing-input-validation',
    controls: ['PI1.1'],
    // CONTROLS.md's list, plus the two sinks added for issue 16: XXE (CWE-611) and mass assignment (CWE-915).
    cwe: ['CWE-20', 'CWE-89', 'CWE-943', 'CWE-78', 'CWE-94', 'CWE-22', 'CWE-502', 'CWE-918', 'CWE-601', 'CWE-611', 'CWE-915'],
    severity: 'high',
  },
  'SOC2-005': {
    slug: 'unencrypted-sensitive-data',
    controls: ['CC6.6', 'C1.2'],
    cwe: ['CWE-311', 'CWE-312', 'CWE-916', 'CWE-327', 'CWE-532'],
    severity: 'high',
  },
  'SOC2-006': { slug: 'missing-rate-limiting', controls: ['A1.1', 'CC6.2'], cwe: ['CWE-770', 'CWE-307'], severity: 'medium' },
  'SOC2-007': { slug: 'error-exposes-internals', controls: ['CC7.2', 'C1.2'], cwe: ['CWE-209', 'CWE-215', 'CWE-489'], severity: 'medium' },
  'SOC2-008': { slug: 'missing-access-control', controls: ['CC6.3', 'CC6.1'], cwe: ['CWE-862', 'CWE-639', 'CWE-285'], severity: 'high' },
  'SOC2-009': {
    slug: 'insecure-session',
    controls: ['CC6.2', 'CC6.7'],
    cwe: ['CWE-614', 'CWE-1004', 'CWE-1275', 'CWE-347', 'CWE-613', 'CWE-352'],
    severity: 'high',
  },
  'SOC2-010': { slug: 'missing-audit-trail', controls: ['PI1.3', 'CC7.2'], cwe: ['CWE-778'], severity: 'medium' },
  'SOC2-011': { slug: 'llm-action-without-audit-trail', controls: ['CC7.2', 'PI1.3'], cwe: ['CWE-778'], severity: 'medium' },
  'SOC2-012': { slug: 'sensitive-data-to-llm', controls: ['C1.1', 'C1.2'], cwe: ['CWE-359', 'CWE-201'], severity: 'high' },
  'SOC2-013': { slug: 'agent-tool-without-approval', controls: ['PI1.1', 'CC6.3'], cwe: ['CWE-862', 'CWE-285'], severity: 'high' },
  'SOC2-014': { slug: 'unbounded-agent', controls: ['A1.1'], cwe: ['CWE-770', 'CWE-400'], severity: 'medium' },
  'SOC2-015': { slug: 'llm-output-trusted', controls: ['PI1.1'], cwe: ['CWE-94', 'CWE-77', 'CWE-1427'], severity: 'high' },
} as const satisfies Record<string, { slug: string; controls: readonly ControlId[]; cwe: readonly string[]; severity: string }>;

export type RuleId = keyof typeof RULE_CONTROLS;
