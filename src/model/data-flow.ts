import type { Range } from '../types.js';

/**
 * Data-flow facts (SOC2-004) and error-exposure facts (SOC2-007): language-neutral, serialisable, small. Only
 * flows that reach a sink are kept, with the steps a reviewer needs to follow them.
 */

export type SinkKind = 'sql' | 'nosql' | 'command' | 'code' | 'path' | 'deserialization' | 'ssrf' | 'redirect' | 'template' | 'xxe' | 'mass-assignment';

export interface FlowStep {
  line: number;
  column: number;
  /** What happens here, as written: `req.query.id`, `sql = … + id`, `findUser(id)`. */
  label: string;
}

/** Untrusted request data reaching a sink inside one file (through variables, fields, strings, local helpers). */
export interface TaintFlow {
  /** The source as written: `req.query.id`, `request.args.get('q')`, `@Param('id') id`. */
  source: string;
  sink: SinkKind;
  /** The sink call as written: `db.query`, `cursor.execute`, `child_process.exec`. */
  callee: string;
  /** The sink call's range. */
  range: Range;
  /** Source first, sink last. */
  steps: FlowStep[];
}

/** An exported function whose parameter reaches a sink: the summary another file's call is matched against. */
export interface FlowSummary {
  /** `findUser`, or `UserService.findUser` for a method. */
  name: string;
  param: number;
  /**
   * Set when the sink needs more than the parameter itself (a SQL string built from it, a URL it starts): the
   * caller's data decides. Absent: any data in the parameter reaches the sink.
   */
  condition?: TaintShape & { kind: 'built' | 'sql-built' | 'object' | 'no-fixed-prefix' };
  sink: SinkKind;
  callee: string;
  range: Range;
  /** From the parameter to the sink. */
  steps: FlowStep[];
}

/** What was done to the data on the way: built into a string (with SQL text), a fixed start, still an object. */
export interface TaintShape {
  built: boolean;
  sqlText: boolean;
  fixedPrefix: boolean;
  object: boolean;
}

/** A call that passes untrusted data to a function imported from a relative module (resolved across files). */
export interface TaintedCall {
  shape: TaintShape;
  /** The module as imported: './db', '.models'. */
  module: string;
  /** The imported function (or `*`/`default` member) called: `findUser`, `default.findUser`; methods: `.findUser`. */
  name: string;
  arg: number;
  source: string;
  /** Source first, the call last. */
  steps: FlowStep[];
}

/**
 * An exported function that passes its parameter on to a function imported from a relative module: resolved
 * across files to a fixed point, so handler → service → DAO → sink is followed through every file.
 */
export interface ParamForward {
  /** The exported function (`findUser`, `UserService.find`). */
  name: string;
  param: number;
  /** What the function did to the parameter before passing it on. */
  shape: TaintShape;
  /** The called import, as in TaintedCall. */
  module: string;
  callee: string;
  arg: number;
  /** From the parameter to the call. */
  steps: FlowStep[];
}

export interface DataFlowFacts {
  flows: TaintFlow[];
  summaries: FlowSummary[];
  calls: TaintedCall[];
  /** Absent when empty. */
  forwards?: ParamForward[];
}

export type ErrorExposureKind = 'error-response' | 'debug-mode';

export interface ErrorExposure {
  kind: ErrorExposureKind;
  /** What leaks: `err.stack`, `str(e)`, `traceback.format_exc()`, `DEBUG = True`. */
  what: string;
  /** Where it goes: `res.json`, `HTTPException`, `app.run`, `settings`. */
  via: string;
  range: Range;
  /** Development-only by its own guard or place (`if (env === 'development')`, `class DevConfig`). */
  devOnly?: boolean;
  /**
   * Python: the exception types of the `except` clause whose variable leaks, resolved through the imports
   * (`django.core.exceptions.ValidationError`); a leading dot marks a class of the project (relative import or a
   * class of the same file). Absent when no type is named (tracebacks, error handlers, JS).
   */
  caught?: string[];
}

/**
 * The suffix of a source label for a route's only URL part with the default converter (FastAPI `{id}`, Flask `<id>`):
 * it holds no '/' (the path is decoded after routing), so as a file name it cannot climb out of a folder. SOC2-004
 * leaves its file-path flows out, except where a directory is removed.
 */
export const PATH_SEGMENT_LABEL = ' (URL path segment)';
