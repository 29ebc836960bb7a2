import { createHash } from 'node:crypto';
import type { Rule } from '../model/rule.js';
import type { Finding, ScanResult, Severity } from '../types.js';

/**
 * GitLab SAST security report (`artifacts:reports:sast`, schema 15.0.x): one vulnerability per unsuppressed finding
 * (GitLab has no notion of a documented exception, so suppressed findings are left out, as in SARIF's github
 * profile). Paths are repository-relative. `scan.start_time`/`end_time` are the only time fields, given by the caller.
 */

export const GITLAB_SAST_SCHEMA_VERSION = '15.0.6';
export const GITLAB_SAST_SCHEMA = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SAST_SCHEMA_VERSION}/dist/sast-report-format.json`;

const SEVERITY: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export interface GitlabOptions {
  rules: readonly Rule[];
  /** Scan start and end (the clock is read by the CLI). */
  startTime: Date;
  endTime: Date;
}

/** GitLab wants `YYYY-MM-DDTHH:MM:SS` (no milliseconds, no zone). */
function gitlabTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** A UUID-shaped, stable id derived from the fingerprint, so GitLab tracks the same finding across pipelines. */
function stableUuid(fingerprint: string): string {
  const h = createHash('sha256').update(fingerprint).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function vulnerability(f: Finding, rule: Rule | undefined) {
  const identifiers = [
    { type: 'complianceagent_rule_id', name: `${f.ruleId} ${f.title}`, value: f.ruleId },
    ...f.cwe.map((cwe) => {
      const n = cwe.replace(/^CWE-/, '');
      return { type: 'cwe', name: cwe, value: n, url: `https://cwe.mitre.org/data/definitions/${n}.html` };
    }),
  ];
  return {
    id: stableUuid(f.fingerprint),
    name: f.title.slice(0, 255),
    description: `${f.message}\n\n${rule?.description ?? ''}\n\nSOC 2 controls: ${f.controls.join(', ')}. Confidence: ${f.confidence}.`.slice(0, 1_048_576),
    severity: SEVERITY[f.severity],
    solution: rule?.remediation ?? undefined,
    identifiers,
    location: { file: f.location.path, start_line: f.location.startLine, end_line: Math.max(f.location.startLine, f.location.endLine) },
  };
}

export function toGitlabSast(result: ScanResult, options: GitlabOptions): string {
  const rules = new Map(options.rules.map((r) => [r.id, r]));
  const tool = { id: 'complianceagent', name: 'complianceagent', version: result.tool.version, vendor: { name: 'complianceagent' } };
  const report = {
    version: GITLAB_SAST_SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'sast',
      start_time: gitlabTime(options.startTime),
      end_time: gitlabTime(options.endTime),
      status: 'success',
      messages: result.errors.map((e) => ({ level: 'warn', value: `${e.path || '(engine)'}${e.line ? `:${e.line}` : ''}: ${e.kind} error: ${e.message}` })),
    },
    vulnerabilities: result.findings.filter((f) => !f.suppression).map((f) => vulnerability(f, rules.get(f.ruleId))),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
