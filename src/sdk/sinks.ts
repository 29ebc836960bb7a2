/**
 * Where audit events go: JSON lines to stdout (the default), to a file (append-only, optionally hash-chained), or
 * to any function the application provides (its logger, a queue). A sink is a function of one event.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { type ChainState, chainStateOf, GENESIS, sealEvent } from './audit-chain.js';

export type Outcome = 'success' | 'failure' | 'allowed' | 'denied';

/** One audit event: who did what to which resource, when, with what outcome, in which request. */
export interface AuditEvent {
  time: string;
  action: string;
  actor: string | null;
  resource: string | null;
  outcome: Outcome;
  requestId: string | null;
  regulation?: string;
  /** The error's class name when the call threw (never its message: it may hold data). */
  error?: string;
  /** Only the arguments named in `allowArgs`. */
  args?: Record<string, unknown>;
  /** Set by access control: the roles required and the reason for a denial. */
  roles?: string[];
  reason?: string;
  service?: string;
}

export type AuditSink = (event: AuditEvent) => void;

export interface ChainOptions {
  /** Hash chain the lines (seq, prev, hash) so that editing the file is detectable by `complianceagent audit verify`. */
  chain?: boolean;
  /** HMAC key for the chain: without it a chain proves order and integrity only against someone who cannot rewrite the whole file. */
  chainKey?: string | Uint8Array;
}

function chainer(options: ChainOptions, state: ChainState): (event: AuditEvent) => object {
  return options.chain || options.chainKey !== undefined ? (event) => sealEvent(event, state, options.chainKey) : (event) => event;
}

/** JSON lines on a stream (default: process.stdout). */
export function streamSink(stream: { write(chunk: string): unknown } = process.stdout, options: ChainOptions = {}): AuditSink {
  const seal = chainer(options, { seq: 0, head: GENESIS });
  return (event) => {
    stream.write(`${JSON.stringify(seal(event))}\n`);
  };
}

/**
 * JSON lines appended to a file, written synchronously (one `write` per event, so a crash loses no written event).
 * A chained file continues the chain of what is already in it. One writer per file: two processes appending to
 * the same chained file break its chain.
 */
export function fileSink(path: string, options: ChainOptions & { mode?: number } = {}): AuditSink & { close(): void } {
  const state = existsSync(path) && (options.chain || options.chainKey !== undefined) ? chainStateOf(readFileSync(path, 'utf8')) : { seq: 0, head: GENESIS };
  const seal = chainer(options, state);
  let fd: number | undefined = openSync(path, 'a', options.mode ?? 0o600);
  const sink = ((event: AuditEvent) => {
    if (fd === undefined) throw new Error(`audit sink for ${path} is closed`);
    writeSync(fd, `${JSON.stringify(seal(event))}\n`);
  }) as AuditSink & { close(): void };
  sink.close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return sink;
}

/** Collects events in memory (tests, or batching into the application's own store). */
export function memorySink(): AuditSink & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  const sink = ((event: AuditEvent) => {
    events.push(event);
  }) as AuditSink & { events: AuditEvent[] };
  sink.events = events;
  return sink;
}
