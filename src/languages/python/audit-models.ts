import type { PyNode as Node } from './syntax.js';
import { parseSqlWrite, type WriteMatch } from '../../model/audit-writes.js';
import { decodeLiteral } from './string-literal.js';
import { callArguments, codeChildren, dottedParts, unwrapParens } from './ast.js';

/**
 * What the audit extractor (audit.ts) infers about a Python function: its outermost function and class, the
 * model a write touches (`User.objects.create`, `session.add(user)`, `db.query(User)…delete()`, raw SQL), and
 * the serializers, forms and model instances bound to local names.
 */

export function outermostFunction(node: Node): Node | null {
  let found: Node | null = null;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') found = p;
  return found;
}

/**
 * `outermostFunction` for one tree, memoised per function: a call climbs only to its nearest enclosing function,
 * whose outermost function is computed once (keyed by its start offset: no two definitions start at one byte).
 */
export function outermostFunctionOf(): (node: Node) => Node | null {
  const outerOfFunction = new Map<number, Node>();
  const outer = (node: Node): Node | null => {
    let p = node.parent;
    while (p && p.type !== 'function_definition') p = p.parent;
    if (!p) return null;
    const known = outerOfFunction.get(p.startIndex);
    if (known) return known;
    const result = outer(p) ?? p;
    outerOfFunction.set(p.startIndex, result);
    return result;
  };
  return outer;
}

export function classOf(fn: Node): Node | null {
  const parent = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  return parent?.type === 'block' && parent.parent?.type === 'class_definition' ? parent.parent : null;
}

export function paramNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  return (params ? codeChildren(params) : []).map((p) =>
    p.type === 'identifier' ? p.text : ((p.childForFieldName('name') ?? p.namedChildren[0])?.text ?? ''),
  );
}

export function modelOfArgument(arg: Node | undefined): string | undefined {
  const n = unwrapParens(arg ?? null);
  if (!n) return undefined;
  if (n.type === 'call') {
    const parts = dottedParts(n.childForFieldName('function'));
    const last = parts?.[parts.length - 1];
    return last && /^[A-Z]/.test(last) ? last : undefined;
  }
  if (n.type === 'identifier') return n.text.replace(/^(new|db|updated|existing|the|my)_/, '');
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text;
  return undefined;
}

const FSTRING_HEAD = /^[fFrR]{1,2}("""|'''|"|')([^{]*)/;

/** `text("UPDATE …")`, `"DELETE FROM …"`, `insert(User)`, `update(User).where(…)`, `delete(User)`. */
export function sqlWriteOf(arg: Node | undefined): WriteMatch | null {
  const n = unwrapParens(arg ?? null);
  if (!n) return null;
  if (n.type === 'string') {
    // An f-string's statement is known before its first interpolation (`f"UPDATE users SET x = {x}"`).
    const sql = decodeLiteral(n.text) ?? FSTRING_HEAD.exec(n.text)?.[2] ?? null;
    return sql === null ? null : parseSqlWrite(sql);
  }
  // Built by formatting: `"INSERT … VALUES ('%s')" % (…)`, `"UPDATE … '{}'".format(…)`.
  if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '%') return sqlWriteOf(n.childForFieldName('left') ?? undefined);
  if (n.type !== 'call') return null;
  const callee = n.childForFieldName('function');
  if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'format' && callee.childForFieldName('object')?.type === 'string')
    return sqlWriteOf(callee.childForFieldName('object') ?? undefined);
  const parts = dottedParts(callee);
  if (!parts) return null;
  const first = callArguments(n).positional[0];
  if (/^(sa\.|sqlalchemy\.)?text$/.test(parts.join('.'))) return sqlWriteOf(first);
  const base =
    parts.find((p) => /^(insert|update|delete)\(\)$/.test(p)) ??
    (/^(insert|update|delete)$/.test(parts[parts.length - 1]!) ? `${parts[parts.length - 1]}()` : null);
  if (!base) return null;
  let inner: Node | null = n;
  while (inner && inner.type === 'call') {
    const fnNode: Node | null = inner.childForFieldName('function');
    const p = dottedParts(fnNode);
    if (p && p.length <= 2 && /^(insert|update|delete)$/.test(p[p.length - 1]!)) break;
    inner = fnNode?.type === 'attribute' ? fnNode.childForFieldName('object') : null;
  }
  const model = inner?.type === 'call' ? modelOfArgument(callArguments(inner).positional[0]) : undefined;
  const verb = base.replace('()', '');
  return { orm: 'sqlalchemy', op: verb === 'insert' ? 'create' : verb === 'update' ? 'update' : 'delete', ...(model ? { model } : {}) };
}

/** `serializer_class = ArticleSerializer` / `form_class = …` of the class a method belongs to. */
function classAttribute(cls: Node | null, attr: string): string | undefined {
  const body = cls?.childForFieldName('body');
  for (const stmt of body ? codeChildren(body) : []) {
    const m = new RegExp(`^${attr}\\s*=\\s*([\\w.]+)\\s*$`).exec(stmt.text);
    if (m) return m[1]!.split('.').pop();
  }
  return undefined;
}

/**
 * DRF serializers and Django forms bound to a variable in a function: `serializer = ArticleSerializer(data=…)`,
 * `serializer = self.serializer_class(…)`, `self.get_serializer(…)`, `form = ProfileForm(request.POST)`.
 */
export function boundSerializers(def: Node): Map<string, string> {
  const out = new Map<string, string>();
  const cls = classOf(def);
  for (const a of def.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const right = unwrapParens(a?.childForFieldName('right') ?? null);
    if (!left || left.type !== 'identifier' || right?.type !== 'call') continue;
    const callee = dottedParts(right.childForFieldName('function'))?.join('.') ?? '';
    const direct = /(?:^|\.)(\w+(?:Serializer|Form))$/.exec(callee)?.[1];
    const viaClass = /^self\.(serializer_class|get_serializer|form_class|get_form)$/.test(callee)
      ? classAttribute(cls, callee.includes('form') ? 'form_class' : 'serializer_class')
      : undefined;
    const name = direct ?? viaClass;
    if (name) out.set(left.text, name);
  }
  return out;
}

/**
 * Local names whose model is visible in the function: `eng = Engagement.objects.get(…)`,
 * `note = get_object_or_404(Notes, …)`, `item = Item(…)`, `user = User.query.get(…)`, `db.query(User)…first()`,
 * `session.get(User, id)`, parameters annotated `user: User`.
 */
export function boundModels(def: Node): Map<string, string> {
  const out = new Map<string, string>();
  const params = def.childForFieldName('parameters');
  for (const p of params ? codeChildren(params) : []) {
    const type = p.childForFieldName('type')?.text;
    const name = p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text;
    if (name && type && /^[A-Z]\w*$/.test(type)) out.set(name, type);
  }
  for (const a of def.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const right = unwrapParens(a?.childForFieldName('right') ?? null);
    if (!left || left.type !== 'identifier' || right?.type !== 'call') continue;
    const model = modelOfExpression(right);
    if (model) out.set(left.text, model);
  }
  return out;
}

function modelOfExpression(call: Node): string | undefined {
  const parts = dottedParts(call.childForFieldName('function'));
  if (!parts) return undefined;
  const first = callArguments(call).positional[0];
  const objects = parts.findIndex((p) => /^(objects|query)(\(\))?$/.test(p) || /_objects$/.test(p));
  if (objects === 1 && /^[A-Z]/.test(parts[0]!)) return parts[0];
  if (/^(get_object_or_404|get_list_or_404)$/.test(parts.join('.')) || /^(session|db|db\.session)\.get$/.test(parts.join('.')))
    return first?.type === 'identifier' ? first.text : undefined;
  if (parts.length === 1 && /^[A-Z][a-z]\w*$/.test(parts[0]!) && !/(Form|Serializer|Error|Exception|Response)$/.test(parts[0]!)) return parts[0];
  if (parts.some((p) => p === 'query()')) return queryModel(call.childForFieldName('function'));
  return undefined;
}

/** The model of `db.query(User).filter(…).delete()`: the first argument of the `query(…)` call in the chain. */
export function queryModel(callee: Node | null): string | undefined {
  for (let n = callee; n; ) {
    if (n.type === 'call') {
      const parts = dottedParts(n.childForFieldName('function'));
      if (parts?.[parts.length - 1] === 'query') return modelOfArgument(callArguments(n).positional[0]);
      n = n.childForFieldName('function');
    } else if (n.type === 'attribute') {
      n = n.childForFieldName('object');
    } else {
      return undefined;
    }
  }
  return undefined;
}

export function capitalize(name: string): string {
  return name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
}
