import type { FileFacts } from '../model/facts.js';
import type { Match, Rule, RuleOptions } from './rule.js';
import type { Finding, ScanError, Severity } from './types.js';
import { fingerprint } from './fingerprint.js';
import { buildProjectModel, type ProjectModel } from '../model/project.js';
import { makeSnippet, redactText } from './redact.js';
import { applySuppressions, type SuppressionInput } from './suppressions.js';

export interface RuleSetting {
  severity?: Severity;
  options?: RuleOptions;
}

export interface AnalyzeInput {
  files: ReadonlyArray<{ facts: FileFacts; text: string }>;
  rules: readonly Rule[];
  settings?: Readonly<Record<string, RuleSetting>>;
  /** Inline directives and ignore-file entries (as data: `scan` reads them); findings they cover get `suppression`. */
  suppressions?: SuppressionInput;
}

export interface AnalyzeOutput {
  findings: Finding[];
  errors: ScanError[];
  /** The project model the rules read, for commands that report on it (endpoints, control evidence). */
  model: ProjectModel;
}

function formatMessage(template: string, data: Match['data']): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (data && key in data ? String(data[key]) : `{{${key}}}`));
}

function pascalCase(slug: string): string {
  return slug.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

export function compareFindings(a: Finding, b: Finding): number {
  const pa = a.location;
  const pb = b.location;
  if (pa.path !== pb.path) return pa.path < pb.path ? -1 : 1;
  return pa.startLine - pb.startLine || pa.startColumn - pb.startColumn || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/**
 * The pure core: facts in, findings out. Rules yield matches; this turns them into findings with metadata,
 * redacted snippets and fingerprints. A rule that throws becomes a scan error; the other rules still run.
 */
export function analyze(input: AnalyzeInput): AnalyzeOutput {
  const errors: ScanError[] = [];
  const textByPath = new Map(input.files.map((f) => [f.facts.path, f.text]));
  const linesByPath = new Map<string, string[]>();
  const lines = (path: string): string[] => {
    let l = linesByPath.get(path);
    if (!l) {
      l = (textByPath.get(path) ?? '').split('\n');
      linesByPath.set(path, l);
    }
    return l;
  };
  const model = buildProjectModel(input.files.map((f) => f.facts));
  const pending: Array<{ finding: Omit<Finding, 'fingerprint'>; anchor: string }> = [];

  for (const rule of input.rules) {
    const setting = input.settings?.[rule.id] ?? {};
    let matches: Match[];
    try {
      matches = [...rule.check({ ...model, options: setting.options ?? {} })];
    } catch (error) {
      errors.push({ path: '', kind: 'rule', message: `${rule.id} failed: ${(error as Error).message ?? String(error)}` });
      continue;
    }
    for (const m of matches) {
      const secrets = m.secrets ?? [];
      const template = rule.messages[m.messageId as keyof typeof rule.messages] ?? m.messageId;
      const snippet = makeSnippet(lines(m.path), m.range, secrets, m.redact ?? []);
      const finding: Omit<Finding, 'fingerprint'> = {
        ruleId: rule.id,
        ruleName: pascalCase(rule.slug),
        title: rule.title,
        severity: setting.severity ?? m.severity ?? rule.severity,
        confidence: m.confidence ?? rule.confidence,
        controls: [...rule.controls],
        cwe: [...rule.cwe],
        message: redactText(formatMessage(template, m.data), secrets),
        location: {
          path: m.path,
          startLine: m.range.start.line,
          startColumn: m.range.start.column,
          endLine: m.range.end.line,
          endColumn: m.range.end.column,
        },
        snippet,
      };
      if (m.properties) finding.properties = m.properties;
      if (m.codeFlow) finding.codeFlow = m.codeFlow.map((step) => ({ ...step, message: redactText(step.message, secrets) }));
      if (m.fix) finding.fix = m.fix;
      pending.push({ finding, anchor: m.anchor !== undefined ? redactText(m.anchor, secrets) : `${m.messageId}:${snippet}` });
    }
  }

  pending.sort((a, b) => compareFindings(a.finding as Finding, b.finding as Finding));
  const seen = new Map<string, number>();
  const findings = pending.map(({ finding, anchor }) => {
    const key = `${finding.ruleId}\0${finding.location.path}\0${anchor.replace(/\s+/g, ' ').trim()}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { ...finding, fingerprint: fingerprint(finding.ruleId, finding.location.path, anchor, occurrence) };
  });
  if (!input.suppressions) return { findings, errors, model };
  const suppressed = applySuppressions(findings, input.suppressions, input.rules.map((r) => r.id));
  return { findings: suppressed.findings, errors: [...errors, ...suppressed.errors], model };
}
