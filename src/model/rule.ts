import type { Language, Range } from './facts.js';
import type { ProjectModel } from './project.js';
import type { CodeFlowStep, Confidence, FindingFix, RuleOptions, Severity } from '../types.js';
import type { ControlId } from './control-catalog.js';

export type { ProjectModel };

export type { RuleOptions };

export interface RuleContext extends ProjectModel {
  options: RuleOptions;
}

export interface Match<M extends string = string> {
  messageId: M;
  /** Values substituted into the message's `{{name}}` slots. Never put a secret value here. */
  data?: Record<string, string | number>;
  path: string;
  range: Range;
  /**
   * A stable, content-based identity for the finding inside its file (a route `GET /users/:id`, a variable
   * name …). Without it the engine uses the finding's line text with secrets masked.
   */
  anchor?: string;
  severity?: Severity;
  confidence?: Confidence;
  /** Secret values to mask wherever this finding's text is shown (snippet, message). */
  secrets?: string[];
  /** Source ranges whose text is masked in the snippet (e.g. the literal holding a secret). */
  redact?: Range[];
  properties?: Record<string, string | number | boolean>;
  /** Source → sink steps for data-flow findings (messages are redacted by the engine). */
  codeFlow?: CodeFlowStep[];
  fix?: FindingFix;
}

export interface RuleMeta<M extends string = string> {
  id: string;
  slug: string;
  title: string;
  /** One paragraph: why it matters for SOC 2. */
  description: string;
  remediation: string;
  severity: Severity;
  confidence: Confidence;
  controls: readonly ControlId[];
  cwe: readonly string[];
  languages: readonly Language[];
  messages: Record<M, string>;
}

export interface Rule<M extends string = string> extends RuleMeta<M> {
  check(context: RuleContext): Iterable<Match<M>>;
}

/** Identity helper that types a rule's message ids (typescript-eslint's createRule idea). */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}
