/** The only module rule files import. */
export { defineRule } from './engine/rule.js';
export type { Match, Rule, RuleContext, ProjectModel } from './engine/rule.js';
export type { FileFacts, StringBinding, StringLiteral, Range, Position, Language } from './model/facts.js';
export type { Severity, Confidence } from './engine/types.js';
