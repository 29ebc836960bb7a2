/**
 * Who is acting and in which request: kept in an AsyncLocalStorage so audit events written anywhere below a
 * request (services, repositories) carry the actor and the request id without passing them by hand.
 * `accessControl` sets it; `withAuditContext` sets it for anything else (jobs, queues, tests).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuditContext {
  actor?: string;
  requestId?: string;
  roles?: readonly string[];
}

const storage = new AsyncLocalStorage<AuditContext>();

/** Runs `fn` with this context (merged over the current one). */
export function withAuditContext<T>(context: AuditContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The current context, or an empty one outside any. */
export function currentAuditContext(): AuditContext {
  return storage.getStore() ?? {};
}
