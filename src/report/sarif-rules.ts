/** SARIF `tool.driver.rules`: one reporting descriptor per rule that ran, with help text, tags and severity. */
import type { ReportingDescriptor } from 'sarif';
import type { Rule } from '../model/rule.js';
import { CONTROLS, isControlId } from '../model/control-catalog.js';
import { withSdkRemediation } from '../model/sdk-remediation.js';
import { compareStrings } from '../util/compare.js';
import { pascalCase } from '../util/text.js';
import { markdownToText, truncate } from './markdown-text.js';
import { sarifLevel, sarifPrecision, securitySeverity } from './severity-score.js';

/** GitHub truncates/rejects longer rule descriptions. */
export const MAX_DESCRIPTION_LENGTH = 1024;
/** GitHub reads at most this many rule tags. */
export const MAX_RULE_TAGS = 20;

/** Where a rule's help comes from (part of `SarifOptions`). */
export interface RuleHelpOptions {
  /** The rule's markdown docs (`help.markdown`; `help.text` is a plain-text rendering of it). */
  ruleHelp?: (ruleId: string) => string | undefined;
  /** Optional `helpUri` per rule (absolute URL). */
  ruleHelpUri?: (ruleId: string) => string | undefined;
}

/** A rule-help source with the SDK's fix added after each doc's "How to fix" (as `rules explain` shows it). */
export function withSdkHelp(ruleHelp: (ruleId: string) => string | undefined): (ruleId: string) => string | undefined {
  return (ruleId) => {
    const doc = ruleHelp(ruleId);
    return doc === undefined ? undefined : withSdkRemediation(ruleId, doc);
  };
}

export function uniqueSortedRules(rules: readonly Rule[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}

export function toRuleDescriptor(rule: Rule, options: RuleHelpOptions): ReportingDescriptor {
  const markdown = options.ruleHelp?.(rule.id) ?? defaultHelpMarkdown(rule);
  const helpUri = options.ruleHelpUri?.(rule.id);
  const descriptor: ReportingDescriptor = {
    id: rule.id,
    name: pascalCase(rule.slug),
    shortDescription: { text: truncate(rule.title, MAX_DESCRIPTION_LENGTH) },
    fullDescription: { text: truncate(rule.description, MAX_DESCRIPTION_LENGTH) },
    help: { text: markdownToText(markdown), markdown },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ruleTags(rule),
      precision: sarifPrecision(rule.confidence),
      'security-severity': securitySeverity(rule.severity),
    },
  };
  return descriptor;
}

/** `security`, then `soc2/<control>`, then `external/cwe/cwe-<n>`; unique, at most 20. */
export function ruleTags(rule: Pick<Rule, 'controls' | 'cwe'>): string[] {
  const tags = ['security', ...rule.controls.map((c) => `soc2/${c}`), ...rule.cwe.map(cweTag)];
  return [...new Set(tags)].slice(0, MAX_RULE_TAGS);
}

function cweTag(cwe: string): string {
  const trimmed = cwe.trim().toLowerCase();
  return /^\d+$/.test(trimmed) ? `external/cwe/cwe-${trimmed}` : `external/cwe/${trimmed}`;
}

function defaultHelpMarkdown(rule: Rule): string {
  const lines = [`# ${rule.title}`, '', rule.description, ''];
  if (rule.remediation) lines.push('## Remediation', '', rule.remediation, '');
  if (rule.controls.length > 0) {
    lines.push('## SOC 2 controls', '');
    for (const control of rule.controls) {
      lines.push(isControlId(control) ? `- ${control}: ${CONTROLS[control].title}` : `- ${control}`);
    }
    lines.push('');
  }
  if (rule.cwe.length > 0) {
    lines.push('## References', '');
    for (const cwe of rule.cwe) {
      const number = /(\d+)/.exec(cwe)?.[1];
      lines.push(number ? `- [${cwe}](https://cwe.mitre.org/data/definitions/${number}.html)` : `- ${cwe}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
