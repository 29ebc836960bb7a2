/**
 * Which string literals a file's facts keep (FileFacts.strings). Every literal of eight characters or more was kept
 * once, and on the benchmark corpus they were 23 MB of the 78 MB of facts: serialised in the worker, sent, parsed on
 * the main thread, cached and read back on every re-scan, while their only readers look for three things. The engine
 * (engine/extract.ts) keeps a literal when one of those readers could find something in it:
 * - a provider-format secret (SOC2-002 runs findProviderSecrets over every string fact);
 * - a password in a connection string (SOC2-002, findConnectionStringPassword);
 * - a SQL `CREATE TRIGGER … ON <table>` that writes an audit or history table (the audit graph's mechanisms).
 * The test is each reader's own function, so the kept literals are exactly the ones a reader acts on and no finding
 * changes; a new reader of string facts must add its own test here.
 */
import { findConnectionStringPassword, findProviderSecrets, hasConnectionMarker } from './secrets.js';

const SQL_TRIGGER = /CREATE\s+(?:OR\s+REPLACE\s+)?TRIGGER[\s\S]*?\bON\s+[`"]?(?:\w+\.)?(\w+)/i;
const AUDIT_TABLE_WORD = /audit|history|log/i;

/** The table a SQL statement's trigger is created on, when the statement mentions auditing (audit, history, log); else null. */
export function auditTriggerTable(sql: string): string | null {
  const trigger = SQL_TRIGGER.exec(sql);
  return trigger && AUDIT_TABLE_WORD.test(sql) ? trigger[1]! : null;
}

/**
 * Whether a string literal is kept in the facts: some reader of string facts finds something in it (see above).
 * Every connection-string form needs its marker (hasConnectionMarker), and a trigger the word itself (any case):
 * most literals hold neither, and skip those readers' regexes.
 */
export function keepsStringFact(value: string): boolean {
  if (findProviderSecrets(value).length > 0) return true;
  const lower = value.toLowerCase();
  if (hasConnectionMarker(lower) && findConnectionStringPassword(value) !== null) return true;
  return lower.includes('trigger') && auditTriggerTable(value) !== null;
}
