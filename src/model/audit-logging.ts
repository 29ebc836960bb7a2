import { memoizeByString } from './memo.js';
import type { LogStrength } from './audit-facts.js';

/**
 * Which calls record who did what (SOC2-003, SOC2-010), as data. Callees are dotted with `()` for inner calls
 * (`logging.getLogger().info`, `this.auditService.record`). Each table carries samples that must and must not
 * match (test/audit/tables.test.ts).
 */

export interface CalleeTable {
  id: string;
  pattern: RegExp;
  must: string[];
  mustNot: string[];
}

const LEVELS = 'log|info|warn|warning|error|err|debug|trace|fatal|critical|exception|verbose|silly|notice|msg|success|emit|http';

/** An audit facility: an audit service/helper/SDK, activity or event logs, Django admin's `log_action`. */
export const AUDIT_CALL: CalleeTable = {
  id: 'audit-call',
  pattern:
    /(^|\.|_)audit(?!or)|(^|\.)(activity|event|security|action)_?(log|logger|logs|trail|service)\.\w+$|(^|\.)(log_?action|logAction|record_?event|recordEvent|track_?event|trackEvent|log_?event|logEvent|log_?activity|logActivity|log_?security_?event|logSecurityEvent)$/i,
  must: [
    'auditService.log',
    'this.auditService.record',
    'audit_log',
    'AuditLog.objects.create',
    'prisma.auditLog.create',
    'record_audit_event',
    'LogEntry.objects.log_action',
    'activityLog.info',
    'this.eventLogger.emit',
    'logSecurityEvent',
    'security_log.warning',
    'audit.info',
  ],
  mustNot: ['logger.info', 'res.json', 'user.save', 'auditor_name', 'track', 'this.events.emit'],
};

/** Logging libraries and framework loggers: logging/structlog/loguru, winston, pino, bunyan, log4js, NestJS Logger, req.log, app.logger. */
export const LOGGER_CALL: CalleeTable = {
  id: 'logger-call',
  pattern: new RegExp(
    String.raw`^(?:[\w$]+(?:\(\))?\.)*(?:_*[lL]og(?:ger)?s?|_*LOG(?:GER)?|_*\w*(?<!cata|b|dia|change|back|prologue|epi)[lL]og(?:ger)?|logging|winston|pino|bunyan|log4js|structlog|loguru|getLogger\(\)|get_logger\(\)|getLogger|Logger|fastify\.log|bind\(\)|child\(\))(?:\.(?:bind|child|opt|with_?fields|new)\(\))*\.(?:${LEVELS})$`,
  ),
  must: [
    'logger.info',
    'this.logger.warn',
    'logging.warning',
    'logging.getLogger().info',
    'app.logger.error',
    'current_app.logger.info',
    'req.log.info',
    'request.log.warn',
    'fastify.log.info',
    'log.debug',
    'LOGGER.error',
    'self._logger.exception',
    'structlog.get_logger().info',
    'logger.bind().info',
    'loguru.logger.success',
    'winston.info',
    'Logger.log',
    'this.securityLogger.info',
    'securityLog.warn',
  ],
  mustNot: [
    'Math.log',
    'console.log',
    'logger.child',
    'logging.getLogger',
    'catalog.info',
    'blog.update',
    'dialog.error',
    'history.log_entry',
    'res.send',
    'print',
  ],
};

/** Weak evidence: console output and print reach stdout, not an audit store with who/what/outcome (debug-level logger calls count the same). */
export const CONSOLE_CALL: CalleeTable = {
  id: 'console-call',
  pattern: /^(console\.(log|info|warn|error|debug|trace)|print|pprint|sys\.stdout\.write|sys\.stderr\.write)$/,
  must: ['console.log', 'console.error', 'print', 'sys.stderr.write'],
  mustNot: ['console.table', 'printf', 'logger.info', 'print_report'],
};

/** HTTP access loggers: they record requests, not who did what to which record; alone they are not enough. */
export const ACCESS_LOGGER: CalleeTable = {
  id: 'access-logger',
  pattern: /^(morgan|pinoHttp|pino-http|expressWinston\.logger|koaLogger|logger\(\)|uvicorn\.access|RequestLoggingMiddleware|requestLogger|httpLogger)$/,
  must: ['morgan', 'pinoHttp', 'expressWinston.logger', 'uvicorn.access', 'requestLogger'],
  mustNot: ['logger.info', 'auditService.log'],
};

/**
 * Decorators that audit a function: the SDK's `@audit_log(action=…)` (Python) and `@auditLog({ action })` (JS/TS,
 * also as the wrapper `auditLog({ action }, handler)`), `@Audit()`, `@audited`, `@LogActivity()`.
 */
export const AUDIT_DECORATOR: CalleeTable = {
  id: 'audit-decorator',
  pattern:
    /^(?:[\w.]+\.)?(audit_?log|auditLog|audited|audit|Audit|AuditLog|Audited|log_?activity|LogActivity|log_?action|LogAction|track_?activity)(\(.*\))?$/s,
  must: [
    'audit_log(action="data_access", regulation="SOC2")',
    'Audit()',
    'audited',
    'complianceagent.audit_log("admin_action")',
    'LogActivity("delete")',
    'AuditLog({ action: "user.delete" })',
    "auditLog({ action: 'user.delete', regulation: 'SOC2' })",
    'auditLog',
  ],
  mustNot: ['login_required', 'UseGuards(AuthGuard)', 'app.route("/audit")', 'Get("audit")'],
};

export const LOGGING_TABLES: readonly CalleeTable[] = [AUDIT_CALL, LOGGER_CALL, CONSOLE_CALL, ACCESS_LOGGER, AUDIT_DECORATOR];

/** How strongly a call records an event: audit > logger > console; null for anything else (access loggers included). */
export function logStrengthOf(callee: string): LogStrength | null {
  return logStrengthRemembered(callee);
}

/** Asked for every call of every function (the same callees repeat across a codebase): remembered. */
const logStrengthRemembered = memoizeByString(logStrengthUncached);

function logStrengthUncached(callee: string): LogStrength | null {
  if (ACCESS_LOGGER.pattern.test(callee)) return null;
  if (CONSOLE_CALL.pattern.test(callee)) return 'console';
  // Debug-level output is usually off in production: as weak as console output.
  if (LOGGER_CALL.pattern.test(callee)) return /audit/i.test(callee) ? 'audit' : /\.(debug|trace|verbose|silly)$/.test(callee) ? 'console' : 'logger';
  if (AUDIT_CALL.pattern.test(callee)) return 'audit';
  return null;
}

export function isAuditDecorator(decorator: string): boolean {
  return AUDIT_DECORATOR.pattern.test(decorator);
}
