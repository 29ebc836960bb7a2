/** The only module rule files import: the rule helper, the model types and the classification tables. */
export { defineRule } from './engine/rule.js';
export type { Match, Rule, RuleContext, ProjectModel } from './engine/rule.js';
export type { FileFacts, StringBinding, StringLiteral, Range, Position, Language } from './model/facts.js';
export type { Severity, Confidence } from './engine/types.js';
export type { Endpoint, Guard, GuardKind, GuardScope, HttpApp, Framework } from './model/endpoints.js';
export {
  SECRET_PATTERNS,
  classifySecretName,
  findConnectionStringPassword,
  findProviderSecrets,
  looksLikeTestPath,
  shannonEntropy,
  whyNotSecret,
  type SecretNameKind,
} from './model/secrets.js';
