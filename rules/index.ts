import type { Rule } from '../src/rule-api.js';
import missingAuthentication from './SOC2-001-missing-authentication.js';
import hardcodedSecret from './SOC2-002-hardcoded-secret.js';
import insufficientSecurityLogging from './SOC2-003-insufficient-security-logging.js';
import missingInputValidation from './SOC2-004-missing-input-validation.js';
import unencryptedSensitiveData from './SOC2-005-unencrypted-sensitive-data.js';
import missingRateLimiting from './SOC2-006-missing-rate-limiting.js';
import errorExposesInternals from './SOC2-007-error-exposes-internals.js';
import missingAccessControl from './SOC2-008-missing-access-control.js';
import insecureSession from './SOC2-009-insecure-session.js';
import missingAuditTrail from './SOC2-010-missing-audit-trail.js';
import llmActionWithoutAuditTrail from './SOC2-011-llm-action-without-audit-trail.js';
import sensitiveDataToLlm from './SOC2-012-sensitive-data-to-llm.js';
import agentToolWithoutApproval from './SOC2-013-agent-tool-without-approval.js';
import unboundedAgent from './SOC2-014-unbounded-agent.js';
import llmOutputTrusted from './SOC2-015-llm-output-trusted.js';

/** The rule registry, sorted by id. Rules not built yet are absent; the control mapping still lists them. */
export const RULES = [
  missingAuthentication,
  hardcodedSecret,
  insufficientSecurityLogging,
  missingInputValidation,
  unencryptedSensitiveData,
  missingRateLimiting,
  errorExposesInternals,
  missingAccessControl,
  insecureSession,
  missingAuditTrail,
  llmActionWithoutAuditTrail,
  sensitiveDataToLlm,
  agentToolWithoutApproval,
  unboundedAgent,
  llmOutputTrusted,
] as const satisfies readonly Rule[];
