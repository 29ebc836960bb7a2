/**
 * `auditLog`: one structured event per call of the wrapped function or decorated method — actor, action,
 * resource, outcome, time, request id — written to the configured sink. Argument values are never written unless
 * named in `allowArgs`.
 */
import { currentAuditContext } from './context.js';
import { type AuditEvent, type AuditSink, type Outcome, streamSink } from './sinks.js';

export interface SdkConfig {
  /** The regulations the application is subject to, e.g. ['SOC2']; copied into events that name none. */
  regulations?: readonly string[];
  /** The default sink (JSON lines on stdout when not set). */
  sink?: AuditSink;
  /** A service name written into every event. */
  service?: string;
}

let config: SdkConfig = {};
let defaultSink: AuditSink | undefined;

/** Sets the SDK's defaults for the process (the Python SDK's `configure(regulations=[…])`). */
export function configure(options: SdkConfig): void {
  config = { ...config, ...options };
}

/** The configuration in force (a copy). */
export function currentConfig(): SdkConfig {
  return { ...config };
}

function sinkOf(sink: AuditSink | undefined): AuditSink {
  if (sink) return sink;
  if (config.sink) return config.sink;
  defaultSink ??= streamSink();
  return defaultSink;
}

/** Writes one event, filling time, actor and request id from the current context. */
export function recordEvent(fields: Partial<AuditEvent> & { action: string; outcome: Outcome }, sink?: AuditSink): AuditEvent {
  const context = currentAuditContext();
  const event: AuditEvent = {
    time: new Date().toISOString(),
    action: fields.action,
    actor: fields.actor ?? context.actor ?? null,
    resource: fields.resource ?? null,
    outcome: fields.outcome,
    requestId: fields.requestId ?? context.requestId ?? null,
  };
  const regulation = fields.regulation ?? config.regulations?.join(',');
  if (regulation) event.regulation = regulation;
  for (const key of ['error', 'args', 'roles', 'reason'] as const)
    if (fields[key] !== undefined) (event as unknown as Record<string, unknown>)[key] = fields[key];
  const service = fields.service ?? config.service;
  if (service) event.service = service;
  sinkOf(sink)(event);
  return event;
}

export interface AuditLogOptions<Args extends unknown[] = unknown[]> {
  /** What happened, e.g. 'user.delete'. */
  action: string;
  regulation?: string;
  /** The resource acted on: a fixed name or a function of the arguments, e.g. `(id) => \`user:${id}\``. */
  resource?: string | ((...args: Args) => string | undefined);
  /** Who acts, when not from the request context (accessControl / withAuditContext). */
  actor?: string | ((...args: Args) => string | undefined);
  /** Positions (0-based) of arguments whose values may be written, keyed `arg0`, `arg1` …; or names for a first-argument object's properties. */
  allowArgs?: ReadonlyArray<number | string>;
  sink?: AuditSink;
}

function allowedArgs(args: readonly unknown[], allow: ReadonlyArray<number | string> | undefined): Record<string, unknown> | undefined {
  if (!allow || allow.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  const first = args[0];
  for (const key of allow) {
    if (typeof key === 'number') {
      if (key < args.length) out[`arg${key}`] = args[key];
    } else if (first !== null && typeof first === 'object' && key in first) {
      out[key] = (first as Record<string, unknown>)[key];
    }
  }
  return out;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function wrap<This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
  options: AuditLogOptions<Args>,
  name: string,
): (this: This, ...args: Args) => R {
  const pick = (v: string | ((...a: Args) => string | undefined) | undefined, args: Args) => (typeof v === 'function' ? v(...args) : v);
  return function audited(this: This, ...args: Args): R {
    const base = {
      action: options.action,
      regulation: options.regulation,
      resource: pick(options.resource, args) ?? name,
      actor: pick(options.actor, args),
      args: allowedArgs(args, options.allowArgs),
    };
    const done = (outcome: Outcome, error?: unknown) =>
      recordEvent({ ...base, outcome, error: error === undefined ? undefined : error instanceof Error ? error.name : typeof error }, options.sink);
    let result: R;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      done('failure', error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          done('success');
          return value;
        },
        (error: unknown) => {
          done('failure', error);
          throw error;
        },
      ) as R;
    }
    done('success');
    return result;
  };
}

export interface AuditLogWrapper<Args extends unknown[]> {
  /** Higher-order function: `auditLog({ action })(fn)`. */
  <This, A extends Args, R>(fn: (this: This, ...args: A) => R): (this: This, ...args: A) => R;
  /** TypeScript 5 / TC39 method decorator: `@auditLog({ action })`. */
  <This, A extends Args, R>(
    fn: (this: This, ...args: A) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
  ): (this: This, ...args: A) => R;
}

/**
 * `@auditLog({ action: 'user.delete' })` on a method, or `auditLog({ action: 'user.delete' }, deleteUser)` /
 * `auditLog({ action })(deleteUser)` around a function. Sync and async functions alike: the event is written when
 * the call returns or its promise settles, with outcome `success` or `failure` (and the error's class name).
 */
export function auditLog<Args extends unknown[] = unknown[]>(options: AuditLogOptions<Args>): AuditLogWrapper<Args>;
export function auditLog<This, Args extends unknown[], R>(
  options: AuditLogOptions<Args>,
  fn: (this: This, ...args: Args) => R,
): (this: This, ...args: Args) => R;
export function auditLog(options: AuditLogOptions, fn?: (...args: unknown[]) => unknown): unknown {
  if (!options || typeof options.action !== 'string' || options.action === '') throw new TypeError('auditLog needs an action name');
  if (fn) return wrap(fn, options, fn.name || 'anonymous');
  return (target: (...args: unknown[]) => unknown, context?: ClassMethodDecoratorContext) => {
    if (typeof target !== 'function') throw new TypeError('auditLog wraps a function or decorates a method');
    if (context !== undefined && context.kind !== 'method') throw new TypeError(`@auditLog decorates methods, not a ${context.kind}`);
    return wrap(target, options, context ? String(context.name) : target.name || 'anonymous');
  };
}
