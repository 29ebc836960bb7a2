/**
 * complianceagent/sdk — the fixes the scanner recommends, one import away: audit logging with an optional hash
 * chain, role-based access control for Express/Fastify/Koa/NestJS, and AES-256-GCM field encryption with key ids.
 * No dependency beyond Node.js itself; imports nothing of the scanner.
 */
export { type AccessControlOptions, type AccessDecision, AccessDeniedError, type AccessGuard, accessControl, type SdkUser } from './access.js';
export { type AuditLogOptions, type AuditLogWrapper, auditLog, configure, currentConfig, recordEvent, type SdkConfig } from './audit.js';
export { type ChainVerification, canonicalJson, verifyAuditLog } from './audit-chain.js';
export { type AuditContext, currentAuditContext, withAuditContext } from './context.js';
export {
  decryptField,
  encryptField,
  envKeyProvider,
  type FieldOptions,
  KEYS_ENV,
  type KeyProvider,
  keyIdOf,
  reencryptField,
  staticKeyProvider,
} from './encryption.js';
export { type AuditEvent, type AuditSink, type ChainOptions, fileSink, memorySink, type Outcome, streamSink } from './sinks.js';
