import type { FileFacts, Range } from '../model/facts.js';
import type { Match, Rule } from '../model/rule.js';
import type { Finding, ScanError, RuleSetting } from '../types.js';
import { fingerprint } from './fingerprint.js';
import { buildProjectModel, type ProjectModel } from './project.js';
import { MIN_SHARED_SECRET, SecretSet, makeSnippet, modelSecrets, redactProjectModel, redactText } from '../model/redact.js';
import { compareFindings } from '../util/compare.js';
import { lineTerminatorsFor, splitLines } from '../util/lines.js';
import { pascalCase } from '../util/text.js';
import { applySuppressions, type SuppressionInput } from './suppressions.js';

export type { RuleSetting };

export interface AnalyzeInput {
  files: ReadonlyArray<{ facts: FileFacts; text: string }>;
  rules: readonly Rule[];
  settings?: Readonly<Record<string, RuleSetting>>;
  /**
   * Rules run only for the secrets they name (SOC2-002), when they are not among `rules` (disabled, or a
   * command that reports no findings): their secrets are masked in every output; their findings are dropped.
   */
  secretRules?: readonly Rule[];
  /** Inline directives and ignore-file entries (as data: `scan` reads them); findings they cover get `suppression`. */
  suppressions?: SuppressionInput;
}

export interface AnalyzeOutput {
  findings: Finding[];
  errors: ScanError[];
  /**
   * The project model the rules read, for commands that report on it (endpoints, control evidence), with route
   * paths, guard names and handler names redacted (`redactProjectModel`).
   */
  model: ProjectModel;
}

function formatMessage(template: string, data: Match['data']): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (data && key in data ? String(data[key]) : `{{${key}}}`));
}

/**
 * The pure core: facts in, findings out. Rules yield matches; this turns them into findings with metadata,
 * redacted snippets and fingerprints. A rule that throws becomes a scan error; the other rules still run.
 */
export function analyze(input: AnalyzeInput): AnalyzeOutput {
  const errors: ScanError[] = [];
  const fileByPath = new Map(input.files.map((f) => [f.facts.path, f]));
  const linesByPath = new Map<string, string[]>();
  const lines = (path: string): string[] => {
    let l = linesByPath.get(path);
    if (!l) {
      const file = fileByPath.get(path);
      // Split the way the file's parser numbers lines, or a CR-only file's findings point into one huge line.
      l = file ? splitLines(file.text, lineTerminatorsFor(file.facts.language)) : [];
      linesByPath.set(path, l);
    }
    return l;
  };
  const model = buildProjectModel(input.files.map((f) => f.facts));
  const matched: Array<{ rule: Rule; setting: RuleSetting; match: Match }> = [];

  for (const rule of input.rules) {
    const setting = input.settings?.[rule.id] ?? {};
    try {
      for (const match of rule.check({ ...model, options: setting.options ?? {} })) matched.push({ rule, setting, match });
    } catch (error) {
      errors.push({ path: '', kind: 'rule', message: `${rule.id} failed: ${(error as Error).message ?? String(error)}` });
      // Matches the rule yielded before it threw are dropped, as before: the rule's result is incomplete.
      for (let i = matched.length - 1; i >= 0 && matched[i]!.rule === rule; i--) matched.pop();
    }
  }

  // Every secret any rule found, and every token in a route path, is masked in every text that leaves the
  // engine - not only in its own finding: a line holding two secrets yields two findings, and each snippet
  // shows the whole line. Ranges to mask are shared per file for the same reason.
  const shared = new Set<string>(modelSecrets(model));
  const rangesByPath = new Map<string, Range[]>();
  const learned: Match[] = [];
  for (const rule of input.secretRules ?? []) {
    if (input.rules.some((r) => r.id === rule.id)) continue;
    try {
      learned.push(...rule.check({ ...model, options: input.settings?.[rule.id]?.options ?? {} }));
    } catch {
      // Only a safety net: the rule's own failure is reported where it runs as a rule.
    }
  }
  for (const match of [...matched.map((m) => m.match), ...learned]) {
    for (const secret of match.secrets ?? []) if (secret.length >= MIN_SHARED_SECRET) shared.add(secret);
    if (match.redact?.length) {
      const list = rangesByPath.get(match.path) ?? [];
      list.push(...match.redact);
      rangesByPath.set(match.path, list);
    }
  }
  const sharedSecrets = new SecretSet(shared);
  const pending: Array<{ finding: Omit<Finding, 'fingerprint'>; anchor: string }> = [];

  for (const { rule, setting, match: m } of matched) {
    const secrets = m.secrets ?? [];
    const redact = (text: string) => redactText(text, secrets, sharedSecrets);
    const template = rule.messages[m.messageId as keyof typeof rule.messages] ?? m.messageId;
    const snippet = makeSnippet(lines(m.path), m.range, secrets, rangesByPath.get(m.path) ?? [], sharedSecrets);
    const finding: Omit<Finding, 'fingerprint'> = {
      ruleId: rule.id,
      ruleName: pascalCase(rule.slug),
      title: rule.title,
      severity: setting.severity ?? m.severity ?? rule.severity,
      confidence: m.confidence ?? rule.confidence,
      controls: [...rule.controls],
      cwe: [...rule.cwe],
      message: redact(formatMessage(template, m.data)),
      location: {
        path: m.path,
        startLine: m.range.start.line,
        startColumn: m.range.start.column,
        endLine: m.range.end.line,
        endColumn: m.range.end.column,
      },
      snippet,
    };
    if (m.properties) finding.properties = Object.fromEntries(Object.entries(m.properties).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]));
    if (m.codeFlow) finding.codeFlow = m.codeFlow.map((step) => ({ ...step, message: redact(step.message) }));
    if (m.fix) finding.fix = { description: redact(m.fix.description), replacements: m.fix.replacements.map((r) => ({ ...r, text: redact(r.text) })) };
    pending.push({ finding, anchor: m.anchor !== undefined ? redact(m.anchor) : `${m.messageId}:${snippet}` });
  }

  pending.sort((a, b) => compareFindings(a.finding as Finding, b.finding as Finding));
  const seen = new Map<string, number>();
  const findings = pending.map(({ finding, anchor }) => {
    const key = `${finding.ruleId}\0${finding.location.path}\0${anchor.replace(/\s+/g, ' ').trim()}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { ...finding, fingerprint: fingerprint(finding.ruleId, finding.location.path, anchor, occurrence) };
  });
  // The model leaves the engine redacted: `endpoints`, the PDF, SARIF and the evidence export all read it.
  const outputModel = redactProjectModel(model, sharedSecrets);
  if (!input.suppressions) return { findings, errors, model: outputModel };
  const suppressed = applySuppressions(
    findings,
    input.suppressions,
    input.rules.map((r) => r.id),
  );
  return { findings: suppressed.findings, errors: [...errors, ...suppressed.errors], model: outputModel };
}
