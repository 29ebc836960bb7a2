/** The only module rule files import: the rule helper, the model types and the classification tables. */
export { defineRule } from './model/rule.js';
export type { Match, Rule, RuleContext, ProjectModel } from './model/rule.js';
export type { FileFacts, StringBinding, StringLiteral, Range, Position, Language } from './model/facts.js';
export type { Severity, Confidence } from './types.js';
export type { Endpoint, Guard, GuardKind, GuardScope, HttpApp, Framework } from './model/endpoints.js';
export { firstOfDeclaration } from './model/endpoints.js';
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
export { localCredentialNote } from './model/secret-names.js';
export type { CryptoUse, DataModel, DataModelField, OptionValue, SessionFact } from './model/facts.js';
export { classifySensitiveName, isPasswordName, sensitiveNameOptions } from './model/sensitive-data.js';
export { isEcb, isFastHash, isSecretTargetName, isWeakCipher } from './model/crypto.js';
export {
  DJANGO_CSRF_MIDDLEWARE,
  DJANGO_SESSION_MIDDLEWARE,
  MAX_SESSION_SECONDS,
  SCRIPT_READABLE_IGNORED,
  isSessionCookieName,
  settingRuleFor,
  type SettingProblem,
} from './model/session-settings.js';
export type { ErrorExposure, SinkKind } from './model/data-flow.js';
export { resolveFlows, type ResolvedFlow } from './flow/resolve.js';
export { DEV_ONLY_FILE, caughtRevealsInternals, pythonTopLevelNames } from './model/error-exposure.js';
export type { AuditFunction, AuditMechanism, DataWrite, SecurityEvent, SecurityEventKind } from './model/audit-facts.js';
export {
  buildAuditGraph,
  chainLog,
  describeChain,
  mechanismFor,
  rootIsHeuristic,
  worstChain,
  type AuditGraph,
  type AuditNode,
  type ChainInfo,
} from './flow/audit-graph.js';
export { EVENT_WORDS } from './model/audit-events.js';
export { isNonBusinessModel } from './model/audit-writes.js';
export type { HandlerFacts } from './model/endpoints.js';
export {
  AUTH_OPT_OUTS,
  RATE_LIMIT_MODULES,
  SCOPES_SEARCHED,
  OWNED_RESOURCE,
  authSensitiveKind,
  hasGuard,
  isAuthenticated,
  isMutating,
  privilegedKind,
  routeLabel,
} from './model/endpoint-guards.js';
export { WEBHOOK_PATH, publicPathKind, userPublicPaths } from './model/public-paths.js';
export type { LlmAgent, LlmCall, LlmFacts, LlmGuards, LlmTool, ToolEffect } from './model/llm.js';
export { HIGH_RISK_EFFECTS } from './model/llm.js';
export { within } from './model/llm-scan.js';
export { withDispatchedTools } from './model/llm-project.js';
