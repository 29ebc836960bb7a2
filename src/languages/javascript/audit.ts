import type { Node } from '@babel/types';
import type { AuditFunction, AuditMechanism, CallRef, HandlerHint } from '../../model/audit-facts.js';
import { isAuditDecorator } from '../../model/audit-logging.js';
import { CREDENTIAL_WORD } from '../../model/audit-events.js';
import {
  finishEvents,
  isRecordingCall,
  noteSessionCall,
  noteSessionEnd,
  noteSessionUser,
  recordLogOrEvent,
  recordWrite as recordAuditWrite,
  type PendingSessions,
  type PendingTokens,
} from '../../model/audit-record.js';
import { classifyWrite, classifyWriteWith, parseSqlWrite, type WriteMatch } from '../../model/audit-writes.js';
import { isFunction, memberParts, propertyKey, rangeOf, sourceOf, staticString, unwrap, walkAst } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';
import { FUNCTION_TYPES } from './visit.js';

/**
 * Audit facts of one JS/TS file (SOC2-003, SOC2-010): per function the security events, data writes, logging
 * calls and project calls; plus ORM hooks and middleware that write audit records. Inline callbacks inside a
 * function (`.then(u => u.save())`) belong to that function; route callbacks are functions of their own.
 */

const ROUTE_CALL = /^(?:[\w$]+\.)*(?:get|post|put|patch|delete|del|all|use|route)$/;
const NEST_ROUTE = /^(Get|Post|Put|Patch|Delete|All)$/;
const KNEX_ROOT = /^(knex|db|trx|database|pg|mysql|connection|qb|queryBuilder|k)$/;
const RAW_SQL_CALL = /^(query|execute|raw|run|exec|none|one|many|any|\$executeRaw|\$executeRawUnsafe|\$queryRaw|\$queryRawUnsafe|executeQuery|sql)$/;
const NOT_PROJECT_ROOT =
  /^(console|Math|JSON|Object|Array|Promise|Reflect|Number|String|Date|Buffer|process|res|response|reply|next|require|setTimeout|setInterval|parseInt|parseFloat|fetch|expect|describe|it|test)$/;
const HOOK_CALL =
  /^(?:[\w$]+\.)*(?:addHook|afterCreate|afterUpdate|afterDestroy|afterSave|afterUpsert|afterBulkCreate|afterBulkUpdate|afterBulkDestroy|beforeCreate|beforeUpdate|beforeDestroy|post|pre)$/;
const LOCAL_BINDINGS = /^(req|request)$/;

function paramNames(fn: Node): string[] {
  const params = (fn as unknown as { params?: Node[] }).params ?? [];
  return params.map((p) => {
    const n = p.type === 'AssignmentPattern' ? p.left : p.type === 'TSParameterProperty' ? p.parameter : p;
    return n.type === 'Identifier' ? n.name : n.type === 'AssignmentPattern' && n.left.type === 'Identifier' ? n.left.name : '';
  });
}

function looksLikeReqRes(params: string[]): boolean {
  return (/^_?(req|request)$/.test(params[0] ?? '') && /^_?(res|response|reply|h)$/.test(params[1] ?? '')) || (params[0] === 'ctx' && params[1] === 'next');
}

function decoratorTexts(node: Node, text: string): string[] {
  const decorators = (node as unknown as { decorators?: Node[] | null }).decorators ?? [];
  return decorators.map((d) => sourceOf((d as unknown as { expression: Node }).expression, text).replace(/\s+/g, ' '));
}

function decoratorName(decorator: string): string {
  return decorator.replace(/\(.*$/s, '').split('.').pop() ?? '';
}

/** The table of a Knex chain (`knex('users').where(…).del()`, `db.table('orders').insert(…)`). */
function knexTable(call: Node): string | null {
  let n: Node | null = unwrap((call as unknown as { callee: Node }).callee);
  while (n) {
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      n = unwrap(n.object);
      continue;
    }
    if (n.type !== 'CallExpression' && n.type !== 'OptionalCallExpression') return null;
    const parts = memberParts(n.callee);
    const last = parts?.[parts.length - 1];
    const arg = staticString(n.arguments[0] as Node | undefined);
    if (last && arg && (KNEX_ROOT.test(last) || /^(table|into|from|withSchema)$/.test(last))) return arg.split(' ')[0]!;
    n = unwrap(n.callee);
  }
  return null;
}

/** The SQL text of a literal, template or tagged template (interpolations as `?`). */
function sqlText(node: Node | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  const s = staticString(n);
  if (s !== null) return s;
  if (n.type === 'TemplateLiteral') return n.quasis.map((q) => q.value.cooked ?? q.value.raw).join('?');
  if (n.type === 'TaggedTemplateExpression') return n.quasi.quasis.map((q) => q.value.cooked ?? q.value.raw).join('?');
  return null;
}

/** Whether a callback body logs or writes an audit record (hooks and middleware count only then). */
function bodyAudits(node: Node): boolean {
  let found = false;
  walkAst(node, (n) => {
    if (found) return false;
    if (n.type !== 'CallExpression' && n.type !== 'OptionalCallExpression') return undefined;
    const parts = memberParts(n.callee);
    if (!parts) return undefined;
    if (isRecordingCall('javascript', parts)) found = true;
    return undefined;
  });
  return found;
}

function modelOfSchema(name: string): string {
  return name.replace(/_?[Ss]chema$/, '');
}

export function extractJsAudit({ ast, index, text, facts }: JsFeatureInput): void {
  const moduleOf = new Map<string, { module: string; imported: string }>();
  for (const imp of facts.imports) for (const n of imp.names) moduleOf.set(n.local, { module: imp.module, imported: n.imported });
  const units = new Map<Node, AuditFunction>();
  const functions: AuditFunction[] = [];
  const mechanisms: AuditMechanism[] = [];
  const auditingClasses: string[] = [];
  const pendingTokens: PendingTokens = new Map();
  const sessions: PendingSessions = new Map();
  /** Whether the function (its unit's lines) compares a password, read only when a session is written. */
  const credentialIn = (fn: AuditFunction) => (): boolean =>
    CREDENTIAL_WORD.test(
      text
        .split('\n', fn.range.end.line)
        .slice(fn.range.start.line - 1)
        .join('\n'),
    );
  /** Class properties injected with `@InjectRepository(User)` / `@InjectModel(User.name)`: property → entity. */
  const injected = new Map<string, { model: string; orm: string }>();

  const classNameOf = (ancestors: readonly Node[]): { name?: string; node?: Node } => {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i]!;
      if (a.type === 'ClassDeclaration' || a.type === 'ClassExpression') {
        if (a.id) return { name: a.id.name, node: a };
        const parent = ancestors[i - 1];
        return { name: parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : undefined, node: a };
      }
    }
    return {};
  };
  const ownerOf = (ancestors: readonly Node[]): AuditFunction | undefined => {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const u = units.get(ancestors[i]!);
      if (u) return u;
    }
    return undefined;
  };
  const exportedIn = (ancestors: readonly Node[]): boolean =>
    ancestors.some(
      (a) =>
        a.type === 'ExportNamedDeclaration' ||
        a.type === 'ExportDefaultDeclaration' ||
        (a.type === 'AssignmentExpression' && /^(module\.exports|exports)/.test(memberParts(a.left)?.join('.') ?? '')),
    );

  const unitFor = (node: Node, ancestors: readonly Node[]): AuditFunction | null => {
    const parent = ancestors[ancestors.length - 1];
    const owner = ownerOf(ancestors);
    const params = paramNames(node);
    let name: string | null = null;
    let hint: HandlerHint | undefined = looksLikeReqRes(params) ? 'req-res' : undefined;
    const decorators = decoratorTexts(node, text);
    if (node.type === 'FunctionDeclaration') name = node.id?.name ?? 'default';
    else if (node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || node.type === 'ObjectMethod')
      name = propertyKey(node as Node & { key: Node }) ?? '<computed>';
    else if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') name = parent.id.name;
    else if ((parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') && parent.value === node)
      name = propertyKey(parent as Node & { key: Node }) ?? '<computed>';
    else if (parent?.type === 'AssignmentExpression') name = memberParts(parent.left)?.pop() ?? null;
    else if (parent?.type === 'ExportDefaultDeclaration') name = 'default';
    else if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') {
      const callee = memberParts(parent.callee)?.join('.') ?? '';
      const routeCallback =
        parent.type === 'CallExpression' && ROUTE_CALL.test(callee) && (staticString(parent.arguments[0] as Node) !== null || hint !== undefined);
      if (!hint && parent.type === 'NewExpression' && /Strategy$/.test(callee)) hint = 'auth-callback';
      if (owner && !routeCallback && !hint) return null;
      if (routeCallback && !hint) hint = 'route-callback';
      name = `<anonymous>@${node.loc!.start.line}`;
    } else if (owner) {
      return null;
    } else {
      name = `<anonymous>@${node.loc!.start.line}`;
    }
    const cls = node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || parent?.type === 'ClassProperty' ? classNameOf(ancestors) : {};
    if (!hint && decorators.some((d) => NEST_ROUTE.test(decoratorName(d)))) hint = 'controller-method';
    const superClass = (cls.node as { superClass?: Node | null } | undefined)?.superClass;
    if (!hint && name === 'validate' && superClass && /PassportStrategy|Strategy/.test(sourceOf(superClass, text))) hint = 'auth-callback';
    const fn: AuditFunction = {
      name: name!,
      qualifiedName: cls.name ? `${cls.name}.${name}` : name!,
      range: rangeOf(node),
      exported: exportedIn(ancestors) || (cls.node !== undefined && exportedIn(ancestors.slice(0, ancestors.indexOf(cls.node)))),
      decorators,
      events: [],
      writes: [],
      logs: [],
      calls: [],
    };
    if (cls.name) fn.className = cls.name;
    if (hint) fn.handlerHint = hint;
    for (const d of decorators) if (isAuditDecorator(d)) fn.logs.push({ strength: 'audit', api: `@${decoratorName(d)}`, line: node.loc!.start.line });
    // A function wrapped by an audit wrapper, e.g. the SDK's `auditLog({ action }, async (req, res) => …)`.
    const wrapper = parent?.type === 'CallExpression' ? memberParts(parent.callee)?.join('.') : undefined;
    if (wrapper && isAuditDecorator(wrapper)) fn.logs.push({ strength: 'audit', api: wrapper, line: node.loc!.start.line });
    return fn;
  };

  const recordWrite = (fn: AuditFunction | undefined, match: WriteMatch, api: string, node: Node, guessed = false): void => {
    if (fn) recordAuditWrite(fn, match, api, rangeOf(node), guessed, credentialIn(fn));
  };

  const visitCall = (node: Node & { callee: Node; arguments: Node[] }, ancestors: readonly Node[]): void => {
    const fn = ownerOf(ancestors);
    const parts = memberParts(node.callee);
    if (!parts) return;
    const callee = parts.join('.');
    const last = parts[parts.length - 1]!;
    const firstArg = node.arguments[0] as Node | undefined;

    if (last === 'useGlobalInterceptors') {
      // app.useGlobalInterceptors(new AuditInterceptor(…)) / app.get(AuditInterceptor)
      for (const arg of node.arguments) {
        const target = arg.type === 'NewExpression' ? arg.callee : arg.type === 'CallExpression' ? (arg.arguments[0] as Node | undefined) : undefined;
        if (target?.type === 'Identifier')
          mechanisms.push({ kind: 'request-audit', api: 'useGlobalInterceptors', models: [], className: target.name, range: rangeOf(node) });
      }
      return;
    }
    if (/\$(use|extends)$/.test(last) && node.arguments.some((a) => bodyAudits(a))) {
      mechanisms.push({ kind: 'orm-listener', api: callee, models: [], range: rangeOf(node) });
      return;
    }
    if (HOOK_CALL.test(callee) && parts.length >= 2) {
      const hookFn = node.arguments.find((a) => isFunction(a) || a.type === 'Identifier');
      if (hookFn && isFunction(hookFn) && bodyAudits(hookFn)) {
        const owner = parts[parts.length - 2]!;
        const global = /^(sequelize|mongoose)$/.test(owner);
        mechanisms.push({ kind: 'orm-listener', api: callee, models: global ? [] : [modelOfSchema(owner)], range: rangeOf(node) });
      }
    }
    if (/(^|\.)plugin$/.test(callee) && firstArg && /audit|history|version|trail/i.test(sourceOf(firstArg, text)) && parts.length >= 2) {
      const owner = parts[parts.length - 2]!;
      mechanisms.push({
        kind: 'model-history',
        api: `${callee}(${sourceOf(firstArg, text)})`,
        models: /^mongoose$/.test(owner) ? [] : [modelOfSchema(owner)],
        range: rangeOf(node),
      });
      return;
    }
    if (!fn) return;

    if (
      recordLogOrEvent(
        fn,
        callee,
        rangeOf(node),
        pendingTokens,
        () => callRefOf(parts, node),
        () => sourceOf(node, text),
      )
    )
      return;
    // `this.repo.save(…)` on a property injected with @InjectRepository(User) / @InjectModel(User.name).
    const inj = parts.length === 3 && parts[0] === 'this' ? injected.get(parts[1]!) : undefined;
    const classified = inj
      ? inj.orm === 'typeorm'
        ? classifyWriteWith('typeorm', [`${inj.model}Repository`, last])
        : classifyWriteWith('model-static', [inj.model, last])
      : classifyWrite('javascript', parts);
    if (classified) {
      const model =
        inj?.model ??
        (classified.orm === 'typeorm' && !classified.model && firstArg?.type === 'Identifier' && /^[A-Z]/.test(firstArg.name)
          ? firstArg.name
          : classified.model);
      const guessed = !inj && parts.length >= 2 && /^[a-z_$]/.test(parts[parts.length - 2]!) && /^(save|destroy|deleteOne|softRemove)$/.test(last);
      recordWrite(fn, { ...classified, ...(inj ? { orm: inj.orm } : {}), ...(model ? { model } : {}) }, callee, node, guessed);
      return;
    }
    if (/^(insert|update|del|delete|truncate)$/.test(last)) {
      const table = knexTable(node);
      if (table) {
        recordWrite(fn, { orm: 'knex', model: table, op: last === 'insert' ? 'create' : last === 'update' ? 'update' : 'delete' }, callee, node);
        return;
      }
      // Drizzle: db.insert(users).values(…), db.delete(users).where(…)
      if (parts.length === 2 && /^(db|tx|trx)$/.test(parts[0]!) && firstArg?.type === 'Identifier') {
        recordWrite(fn, { orm: 'drizzle', model: firstArg.name, op: last === 'insert' ? 'create' : last === 'update' ? 'update' : 'delete' }, callee, node);
        return;
      }
    }
    if (RAW_SQL_CALL.test(last)) {
      const sql = sqlText(firstArg);
      const write = sql ? parseSqlWrite(sql) : null;
      if (write) {
        recordWrite(fn, write, callee, node);
        return;
      }
    }
    if (noteSessionCall(fn, callee, () => staticString(firstArg), rangeOf(node), sessions, credentialIn(fn))) return;
    const ref = callRefOf(parts, node);
    if (ref) fn.calls.push(ref);
  };

  /** `req.session.userId = user.id` logs a user in by hand; `req.session = null` (cookie-session) ends the session. */
  const visitAssignment = (node: Node & { left: Node; right: Node }, ancestors: readonly Node[]): void => {
    const parts = memberParts(node.left);
    if (!parts || !/^(req|request|ctx)$/.test(parts[0]!) || parts[1] !== 'session') return;
    const fn = ownerOf(ancestors);
    if (!fn) return;
    if (parts.length === 3) noteSessionUser(fn, parts[2]!, `${parts.join('.')} = …`, rangeOf(node), sessions, credentialIn(fn));
    else if (parts.length === 2 && unwrap(node.right).type === 'NullLiteral') noteSessionEnd(fn, `${parts.join('.')} = null`, rangeOf(node), sessions);
  };

  /** A call that may reach a project function; null for library and built-in calls. */
  const callRefOf = (parts: string[], node: Node): CallRef | null => {
    const root = parts[0]!;
    const last = parts[parts.length - 1]!;
    const imported = moduleOf.get(root);
    if (NOT_PROJECT_ROOT.test(root) || (imported && !/^[.~/]|^src\/|^@\//.test(imported.module))) return null;
    const name = last.replace(/\(\)$/, '');
    if (!/^[\w$]+$/.test(name) || (parts.length === 2 && LOCAL_BINDINGS.test(root))) return null;
    const ref: CallRef = { name, line: node.loc!.start.line };
    if (parts.length >= 2) {
      const recv = parts[parts.length - 2]!;
      if (recv === 'this' && parts.length === 2) ref.self = true;
      else ref.receiver = recv;
    }
    if (imported) {
      ref.module = imported.module;
      ref.imported = imported.imported;
    }
    return ref;
  };

  index.visit(
    ast.program,
    [
      ...FUNCTION_TYPES,
      'ObjectExpression',
      'ClassDeclaration',
      'ClassExpression',
      'CallExpression',
      'OptionalCallExpression',
      'TaggedTemplateExpression',
      'AssignmentExpression',
    ],
    (node, ancestors) => {
      if (isFunction(node)) {
        const fn = unitFor(node, ancestors);
        if (fn) {
          units.set(node, fn);
          functions.push(fn);
        }
        if (node.type === 'ClassMethod' && (node as { kind?: string }).kind === 'constructor') {
          for (const p of (node as unknown as { params: Node[] }).params) {
            const param = p.type === 'TSParameterProperty' ? p.parameter : p;
            const inject = decoratorTexts(p, text)
              .concat(decoratorTexts(param, text))
              .map((d) => /^(InjectRepository|InjectModel)\(\s*([\w$]+)/.exec(d))
              .find(Boolean);
            if (inject && param.type === 'Identifier')
              injected.set(param.name, { model: inject[2]!, orm: inject[1] === 'InjectModel' ? 'mongoose' : 'typeorm' });
          }
        }
        return undefined;
      }
      if (node.type === 'ObjectExpression') {
        // { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }
        const props = new Map(node.properties.flatMap((p) => (p.type === 'ObjectProperty' ? [[propertyKey(p) ?? '', p.value as Node] as const] : [])));
        const provide = props.get('provide');
        const use = props.get('useClass');
        if (provide?.type === 'Identifier' && provide.name === 'APP_INTERCEPTOR' && use?.type === 'Identifier') {
          mechanisms.push({ kind: 'request-audit', api: 'APP_INTERCEPTOR', models: [], className: use.name, range: rangeOf(node) });
        }
        return undefined;
      }
      if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
        const method = node.body.body.find((m) => m.type === 'ClassMethod' && /^(intercept|use)$/.test(propertyKey(m) ?? ''));
        if (node.id && method && bodyAudits(method)) auditingClasses.push(node.id.name);
        const decorators = decoratorTexts(node, text);
        if (decorators.some((d) => decoratorName(d) === 'EventSubscriber') && bodyAudits(node)) {
          const listen = /listenTo\s*\([^)]*\)\s*(?::[^{]+)?\{\s*return\s+([\w$]+)/.exec(sourceOf(node, text));
          mechanisms.push({ kind: 'orm-listener', api: '@EventSubscriber', models: listen ? [listen[1]!] : [], range: rangeOf(node) });
        }
        return undefined;
      }
      if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression') visitCall(node, ancestors);
      if (node.type === 'AssignmentExpression') visitAssignment(node, ancestors);
      if (node.type === 'TaggedTemplateExpression') {
        const fn = ownerOf(ancestors);
        const tag = memberParts(node.tag)?.join('.') ?? '';
        const write = /(^|\.)(sql|\$executeRaw|\$queryRaw)$/.test(tag) ? parseSqlWrite(sqlText(node) ?? '') : null;
        if (write) recordWrite(fn, write, tag, node);
      }
      return undefined;
    },
  );

  finishEvents(functions, pendingTokens, (fn) => fn.name, sessions);
  const kept = functions.filter((f) => f.events.length + f.writes.length + f.logs.length + f.calls.length > 0);
  if (kept.length > 0 || mechanisms.length > 0 || auditingClasses.length > 0)
    facts.auditFacts = { functions: kept, mechanisms, ...(auditingClasses.length > 0 ? { auditingClasses } : {}) };
}
