import type { PyNode as Node } from './syntax.js';
import type { AuditFunction, AuditMechanism, CallRef, HandlerHint } from '../../model/audit-facts.js';
import { isAuditDecorator } from '../../model/audit-logging.js';
import { CREDENTIAL_WORD } from '../../model/audit-events.js';
import {
  finishEvents,
  isRecordingCall,
  noteSessionCall,
  noteSessionUser,
  recordLogOrEvent,
  recordWrite as recordAuditWrite,
  type PendingSessions,
  type PendingTokens,
} from '../../model/audit-record.js';
import { classifyWrite, type WriteMatch } from '../../model/audit-writes.js';
import { callArguments, codeChildren, decoratorsOf, dottedParts, nodeRange } from './ast.js';
import {
  boundModels,
  boundSerializers,
  capitalize,
  classOf,
  modelOfArgument,
  outermostFunctionOf,
  paramNames,
  queryModel,
  sqlWriteOf,
} from './audit-models.js';
import type { PyFeatureInput } from './feature-input.js';
import { decodeLiteral } from './string-literal.js';

/**
 * Audit facts of one Python file (SOC2-003, SOC2-010): per function the security events, data writes, logging
 * calls and project calls; plus audit mechanisms (django-auditlog, simple-history, reversion, pghistory,
 * sqlalchemy-continuum, SQLAlchemy event listeners, Django signal receivers, django-axes/easyaudit). Nested
 * functions and lambdas belong to their outermost function.
 */

const ROUTE_DECORATOR =
  /^[\w.]+\.(route|get|post|put|patch|delete|api_route|websocket)\(|^(api_view|action|require_POST|require_http_methods|login_required|permission_required)\b/;
const VIEW_BASE = /(View|ViewSet|APIView|Mixin|Resource|MethodView|Endpoint)\b/;
const VIEW_METHOD = /^(get|post|put|patch|delete|create|update|partial_update|destroy|perform_create|perform_update|perform_destroy|form_valid|dispatch)$/;
const CELERY_PARAM = /^(exc|exception|einfo|traceback|tb|task_id)$/;
const CELERY_TASK = /^(?:[\w.]+\.)?(task|shared_task|periodic_task)\b/;
const RAW_SQL_CALL = /^(execute|executemany|executescript|exec_driver_sql|raw|query)$/;
const NOT_PROJECT_ROOT =
  /^(print|len|str|int|float|dict|list|set|tuple|isinstance|getattr|setattr|hasattr|super|range|enumerate|zip|sorted|open|request|response|self\.request|os|sys|json|re|datetime|time|math)$/;
const NOTE_FIELD = /^(\w+_)?(notes?|history|journal|changelog|audit_?(log|trail)|activity_?log)$/;
const TIMESTAMP = /\b(datetime\.)?(now|utcnow|today)\(|\btimezone\.now\(|\btime\.time\(|\bisoformat\(/;
const SIGNAL_EVENTS: Record<string, 'login' | 'logout' | 'login-failure'> = {
  user_logged_in: 'login',
  user_logged_out: 'logout',
  user_login_failed: 'login-failure',
};

export function extractPyAudit({ root, facts }: PyFeatureInput): void {
  const moduleOf = new Map<string, { module: string; imported: string }>();
  for (const imp of facts.imports) for (const n of imp.names) moduleOf.set(n.local, { module: imp.module, imported: n.imported });
  const units = new Map<number, AuditFunction>();
  const serializersOf = new Map<AuditFunction, Map<string, string>>();
  const modelsOf = new Map<AuditFunction, Map<string, string>>();
  const functions: AuditFunction[] = [];
  const mechanisms: AuditMechanism[] = [];
  const tokens: PendingTokens = new Map();
  const sessions: PendingSessions = new Map();
  const outermostFunction = outermostFunctionOf();
  const credentialIn = (node: Node) => (): boolean => CREDENTIAL_WORD.test(outermostFunction(node)?.text ?? '');
  const commits: Array<{ fn: AuditFunction; node: Node }> = [];

  const unitOf = (node: Node): AuditFunction | undefined => {
    const fn = outermostFunction(node);
    return fn ? units.get(fn.startIndex) : undefined;
  };

  const newUnit = (def: Node): AuditFunction => {
    const name = def.childForFieldName('name')?.text ?? '<anonymous>';
    const cls = classOf(def);
    const className = cls?.childForFieldName('name')?.text;
    const decorators = decoratorsOf(def);
    const params = paramNames(def);
    let hint: HandlerHint | undefined;
    if (decorators.some((d) => ROUTE_DECORATOR.test(d))) hint = 'route-decorator';
    else if (cls && VIEW_METHOD.test(name) && VIEW_BASE.test(cls.childForFieldName('superclasses')?.text ?? '')) hint = 'view-method';
    // A Celery error callback (`def on_error(request, exc, traceback)`) or task also takes `request` first: not a view.
    else if (!cls && params[0] === 'request' && !params.some((p) => CELERY_PARAM.test(p)) && !decorators.some((d) => CELERY_TASK.test(d))) hint = 'django-view';
    const fn: AuditFunction = {
      name,
      qualifiedName: className ? `${className}.${name}` : name,
      range: nodeRange(def),
      exported: !name.startsWith('_'),
      decorators,
      events: [],
      writes: [],
      logs: [],
      calls: [],
    };
    if (className) fn.className = className;
    if (hint) fn.handlerHint = hint;
    for (const d of decorators)
      if (isAuditDecorator(d)) fn.logs.push({ strength: 'audit', api: `@${d.replace(/\(.*$/s, '')}`, line: def.startPosition.row + 1 });
    return fn;
  };

  const recordWrite = (fn: AuditFunction, match: WriteMatch, api: string, node: Node, guessed = false): void =>
    recordAuditWrite(fn, match, api, nodeRange(node), guessed, credentialIn(node));

  const mechanism = (kind: AuditMechanism['kind'], api: string, models: string[], node: Node, events?: AuditMechanism['events']): void => {
    mechanisms.push({ kind, api, models, range: nodeRange(node), ...(events ? { events } : {}) });
  };

  const decoratedClassMechanisms = (cls: Node): void => {
    const name = cls.childForFieldName('name')?.text ?? '';
    for (const d of decoratorsOf(cls)) {
      if (/^(auditlog\.register|reversion\.register|pghistory\.track|register)\b/.test(d))
        mechanism('model-history', `@${d.replace(/\(.*$/s, '')}`, [name], cls);
    }
    const body = cls.childForFieldName('body');
    for (const stmt of body ? codeChildren(body) : []) {
      const text = stmt.text;
      if (/^\w+\s*=\s*(simple_history\.models\.)?HistoricalRecords\(/.test(text)) mechanism('model-history', 'HistoricalRecords', [name], stmt);
      if (/^__versioned__\s*=/.test(text)) mechanism('model-history', '__versioned__', [name], stmt);
    }
  };

  const functionLogs = (def: Node | null): boolean => {
    if (!def) return false;
    return def.descendantsOfType('call').some((c) => {
      const parts = c ? dottedParts(c.childForFieldName('function')) : null;
      if (!parts) return false;
      return isRecordingCall('python', parts, modelOfArgument(callArguments(c!).positional[0]));
    });
  };

  const receiverMechanism = (def: Node): void => {
    for (const d of decoratorsOf(def)) {
      const m = /^(?:[\w.]+\.)?(receiver|listens_for|event\.listens_for)\((.*)\)$/s.exec(d);
      if (!m) continue;
      const args = m[2]!;
      const signal = /^\s*\[?\s*([\w.]+)/.exec(args)?.[1]?.split('.').pop() ?? '';
      if (!functionLogs(def)) continue;
      if (SIGNAL_EVENTS[signal]) mechanism('auth-signal', signal, [], def, [SIGNAL_EVENTS[signal]!]);
      else if (m[1] === 'receiver') {
        const sender = /sender\s*=\s*([\w.]+)/.exec(args)?.[1]?.split('.').pop();
        if (/post_save|post_delete|pre_save|pre_delete|m2m_changed/.test(signal)) mechanism('orm-listener', `receiver(${signal})`, sender ? [sender] : [], def);
      } else {
        const target = signal;
        mechanism('orm-listener', 'event.listens_for', /^(Session|session|Mapper|mapper|Base)$/.test(target) ? [] : [target], def);
      }
    }
  };

  for (const node of root.descendantsOfType(['function_definition', 'class_definition', 'call', 'assignment'])) {
    if (!node) continue;
    switch (node.type) {
      case 'function_definition': {
        receiverMechanism(node);
        if (outermostFunction(node)) break;
        const fn = newUnit(node);
        units.set(node.startIndex, fn);
        serializersOf.set(fn, boundSerializers(node));
        modelsOf.set(fn, boundModels(node));
        functions.push(fn);
        break;
      }
      case 'class_definition':
        decoratedClassMechanisms(node);
        break;
      case 'assignment': {
        const left = node.childForFieldName('left')?.text;
        const right = node.childForFieldName('right');
        if (left === 'INSTALLED_APPS' && right) {
          const apps = right.text;
          if (/['"]axes['"]/.test(apps)) mechanism('auth-signal', 'django-axes', [], node, ['login-failure']);
          if (/['"]easyaudit['"]/.test(apps)) {
            mechanism('model-history', 'django-easy-audit', [], node);
            mechanism('auth-signal', 'django-easy-audit', [], node, ['login', 'logout', 'login-failure']);
          }
        }
        if (left === 'AUDITLOG_INCLUDE_ALL_MODELS' && right?.type === 'true') mechanism('model-history', 'AUDITLOG_INCLUDE_ALL_MODELS', [], node);
        sessionUser(node);
        noteAppend(node);
        break;
      }
      case 'call':
        visitCall(node);
        break;
    }
  }

  /**
   * `org.internal_notes = f"{org.internal_notes}\n\n[{timestamp}] {message}"`: a timestamped entry appended to a
   * notes/history/log field is the project's own record of the change; the function (and every chain through it) records.
   */
  function noteAppend(node: Node): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'attribute' || !right || !NOTE_FIELD.test(left.childForFieldName('attribute')?.text ?? '')) return;
    if (!right.descendantsOfType('attribute').some((a) => a?.text === left.text)) return;
    const fn = unitOf(node);
    if (fn && TIMESTAMP.test(outermostFunction(node)?.text ?? ''))
      fn.logs.push({ strength: 'audit', api: `append to ${left.text}`, line: node.startPosition.row + 1 });
  }

  /** `session['user_id'] = user.id` (Flask, aiohttp-session, Django's request.session): the user put into the session. */
  function sessionUser(node: Node): void {
    const left = node.childForFieldName('left');
    if (left?.type !== 'subscript') return;
    const target = left.childForFieldName('value')?.text ?? '';
    const key = left.childForFieldName('subscript');
    if (!/^(?:flask\.)?session$|^(?:self\.)?request\.session$/.test(target) || key?.type !== 'string') return;
    const fn = unitOf(node);
    if (fn) noteSessionUser(fn, decodeLiteral(key.text) ?? '', `${target}[${key.text}] = …`, nodeRange(node), sessions, credentialIn(node));
  }

  function visitCall(node: Node): void {
    const fnNode = node.childForFieldName('function');
    const parts = dottedParts(fnNode);
    if (!parts) return;
    const callee = parts.join('.');
    const last = parts[parts.length - 1]!;
    // The arguments are read when a branch needs them: most calls are none of these and only become a CallRef.
    let args: ReturnType<typeof callArguments> | undefined;
    const argsOf = (): ReturnType<typeof callArguments> => (args ??= callArguments(node));
    const firstArg = (): Node | undefined => argsOf().positional[0];
    if (/^(auditlog|reversion|simple_history|pghistory)\.(register|track)$/.test(callee) && firstArg()) {
      const first = firstArg()!;
      mechanism('model-history', callee, [modelOfArgument(first) ?? first.text], node);
      return;
    }
    // `pghistory.track(InsertEvent(), …)(Model)`: the decorator applied by hand.
    if (/^(auditlog|reversion|simple_history|pghistory)\.(register|track)\(\)$/.test(callee) && firstArg()) {
      const first = firstArg()!;
      mechanism('model-history', callee.replace(/\(\)$/, ''), [modelOfArgument(first) ?? first.text], node);
      return;
    }
    if (/^(sqlalchemy_continuum\.)?make_versioned$/.test(callee)) {
      mechanism('model-history', callee, [], node);
      return;
    }
    if (/^(event|sqlalchemy\.event)\.listen$/.test(callee) && firstArg()) {
      const first = firstArg()!;
      const handler = argsOf().positional[2];
      const target = first.text;
      const def = handler?.type === 'identifier' ? findFunction(handler.text) : null;
      if (functionLogs(def))
        mechanism('orm-listener', callee, /^(Session|session|Mapper|mapper|Base)$/.test(target) ? [] : [modelOfArgument(first) ?? target], node);
      return;
    }
    if (last === 'connect' && parts.length >= 2) {
      const first = firstArg();
      const keywords = argsOf().keywords;
      const signal = parts[parts.length - 2]!;
      const handler = first?.type === 'identifier' ? findFunction(first.text) : null;
      if (functionLogs(handler)) {
        if (SIGNAL_EVENTS[signal]) mechanism('auth-signal', signal, [], node, [SIGNAL_EVENTS[signal]!]);
        else if (/^(post_save|post_delete|pre_save|pre_delete|m2m_changed)$/.test(signal)) {
          const sender = keywords.get('sender');
          mechanism('orm-listener', `${signal}.connect`, sender ? [modelOfArgument(sender) ?? sender.text] : [], node);
        }
      }
      return;
    }
    const fn = unitOf(node);
    if (!fn) return;
    // Read once: both recorders below take it, and at most one of them keeps it (recordLogOrEvent keeps nothing when it returns false).
    const range = nodeRange(node);

    if (
      recordLogOrEvent(
        fn,
        callee,
        range,
        tokens,
        () => callRefOf(parts, node),
        () => node.text,
      )
    )
      return;
    const firstString = (): string | null => {
      const first = firstArg();
      return first?.type === 'string' ? decodeLiteral(first.text) : null;
    };
    if (noteSessionCall(fn, callee, firstString, range, sessions, credentialIn(node))) return;
    const bound = parts.length === 2 ? serializersOf.get(fn)?.get(parts[0]!) : undefined;
    if (bound && (last === 'save' || last === 'is_valid')) {
      // DRF/Django call the serializer's or form's own create/update/save/validate: follow them there.
      for (const method of last === 'save' ? ['create', 'update', 'save'] : ['validate', 'clean'])
        fn.calls.push({ name: method, receiver: bound, line: node.startPosition.row + 1 });
      if (last === 'save')
        recordWrite(
          fn,
          { orm: /Form$/.test(bound) ? 'django form' : 'django serializer', model: bound.replace(/(Model)?(Serializer|Form)$/, ''), op: 'save' },
          callee,
          node,
        );
      return;
    }
    if (last === 'commit' && parts.length >= 2) {
      commits.push({ fn, node });
      return;
    }
    const classified = classifyWrite('python', parts);
    if (classified) {
      const { positional } = argsOf();
      const first = positional[0];
      const byArgument =
        classified.orm === 'sqlalchemy' && !classified.model
          ? parts.some((p) => /^query(\(\))?$/.test(p))
            ? queryModel(fnNode)
            : modelOfArgument(first)
          : undefined;
      // `session.delete(obj)` needs its object; `user.save(path)` with a positional argument is a file, not a record.
      if (classified.orm === 'django' && (last === 'save' || last === 'delete') && positional.length > 0) return;
      if (classified.orm === 'sqlalchemy' && /^(add|add_all|delete|merge)$/.test(last) && !first && !parts.some((p) => /^query(\(\))?$/.test(p))) return;
      const bound = (name: string | undefined): string | undefined => (name ? modelsOf.get(fn)?.get(name) : undefined);
      const argName = first?.type === 'identifier' ? first.text : undefined;
      const typed =
        classified.orm === 'django' && parts.length === 2
          ? bound(parts[0])
          : classified.orm === 'sqlalchemy' && /^(add|delete|merge)$/.test(last)
            ? bound(argName)
            : undefined;
      const model = typed ?? (byArgument ? capitalize(byArgument) : classified.model);
      recordWrite(fn, { ...classified, ...(model ? { model } : {}) }, callee, node, !typed && classified.orm === 'django' && parts.length === 2);
      return;
    }
    if (RAW_SQL_CALL.test(last)) {
      const write = sqlWriteOf(firstArg());
      if (write) {
        recordWrite(fn, write, callee, node);
        return;
      }
    }
    const ref = callRefOf(parts, node);
    if (ref) fn.calls.push(ref);
  }

  /** A call that may reach a project function; null for built-ins. Library calls are left to resolution. */
  function callRefOf(parts: string[], node: Node): CallRef | null {
    const root = parts[0]!;
    const name = parts[parts.length - 1]!.replace(/\(\)$/, '');
    if (NOT_PROJECT_ROOT.test(root) || !/^\w+$/.test(name)) return null;
    const imported = moduleOf.get(root.replace(/\(\)$/, ''));
    const ref: CallRef = { name, line: node.startPosition.row + 1 };
    if (parts.length >= 2) {
      const recv = parts[parts.length - 2]!;
      if ((recv === 'self' || recv === 'cls') && parts.length === 2) ref.self = true;
      else ref.receiver = recv;
    }
    if (imported) {
      ref.module = imported.module;
      ref.imported = imported.imported;
    }
    return ref;
  }

  function findFunction(name: string): Node | null {
    return root.descendantsOfType('function_definition').find((d) => d?.childForFieldName('name')?.text === name) ?? null;
  }

  // A commit with no add/delete/merge before it persists attribute changes: an update of the object changed.
  for (const { fn, node } of commits) {
    if (fn.writes.length > 0) continue;
    const body = outermostFunction(node);
    const changed = body
      ?.descendantsOfType('assignment')
      .map((a) => a?.childForFieldName('left'))
      .find((l) => l?.type === 'attribute' && !/^(self|request|g|session|app|current_app)\b/.test(l.text));
    const variable = changed?.childForFieldName('object')?.text.split('.').pop();
    const model = variable ? (modelsOf.get(fn)?.get(variable) ?? capitalize(variable)) : undefined;
    if (model) recordWrite(fn, { orm: 'sqlalchemy', op: 'update', model }, fnNodeText(node), node);
  }

  finishEvents(functions, tokens, (fn) => `def ${fn.name}`, sessions);
  const kept = functions.filter((f) => f.events.length + f.writes.length + f.logs.length + f.calls.length > 0);
  if (kept.length > 0 || mechanisms.length > 0) facts.auditFacts = { functions: kept, mechanisms };
}

function fnNodeText(call: Node): string {
  return dottedParts(call.childForFieldName('function'))?.join('.') ?? 'commit';
}
