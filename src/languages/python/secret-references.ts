import type { PyNode as Node } from './syntax.js';
import type { StringBinding } from '../../model/facts.js';
import { classifySecretName } from '../../model/secret-names.js';
import { unwrapParens } from './ast.js';

/**
 * Secrets that reach their consumer through a name or a row (issue 15), gathered during the binding pass and
 * resolved once it is over (StringBindingReader.bindings):
 * - a same-file constant passed to a secret-consuming call or assigned to a framework key (`key = b'…'; Fernet(key)`,
 *   `app.secret_key = key`): the constant's literal is bound with `through` naming the constant;
 * - seeded credentials: rows of literals (`users = [('admin', 'SuperSecret'), …]`, `executemany(sql, [(…)])`) fed to
 *   an SQL `INSERT INTO t (username, password, …)` in the same function: the value in the password column is bound.
 */

export interface Literal {
  value: string;
  node: Node;
}

type Bind = (kind: StringBinding['kind'], name: string, path: string, literal: Literal, context?: string, through?: string) => void;

/** A consumer whose secret is written as an identifier, resolved to a constant after the walk. */
interface PendingConsumer {
  kind: 'argument' | 'assignment';
  name: string;
  path: string;
  context: string | undefined;
  identifier: string;
  at: Node;
}

/** One row of literals: a string element keeps its node, any other literal (number, None) is null. */
type Row = Array<Literal | null>;

interface RowList {
  rows: Row[];
  scope: number;
}

interface Insert {
  columns: string[];
  scope: number;
  context: string;
  /** Rows passed to the call itself (`executemany(sql, [(…), (…)])`); otherwise the rows of the same function. */
  rows: Row[] | null;
}

const SIMPLE_LITERAL = new Set(['integer', 'float', 'true', 'false', 'none']);

/** `INSERT [OR REPLACE] INTO users (username, password, …)`: the column list. */
const INSERT_COLUMNS = /\binsert\s+(?:or\s+\w+\s+)?into\s+[`"[]?[\w.]+[`"\]]?\s*\(([^)]*)\)/i;

/** Calls that run SQL with parameters: DB-API cursors and connections, SQLAlchemy `text` executions. */
const EXECUTE = /^(?:execute|executemany)$/;

/** The start of the function whose body holds `node` (-1 at module level): rows and their INSERT must share it. */
export function scopeOf(node: Node): number {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition' || n.type === 'lambda') return n.startIndex;
  return -1;
}

/** Whether `name` is a parameter of a function enclosing `node` (it shadows a module constant). */
function isParameter(node: Node, name: string, text: (n: Node) => string): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type !== 'function_definition' && n.type !== 'lambda') continue;
    const params = n.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null);
      if (id && text(id) === name) return true;
    }
  }
  return false;
}

export class SecretReferences {
  /** Names bound once to a literal; a name bound more than once, or to anything else, maps to null. */
  private readonly constants = new Map<string, Literal | null>();
  private readonly pending: PendingConsumer[] = [];
  private readonly rowLists: RowList[] = [];
  private readonly inserts: Insert[] = [];

  constructor(
    private readonly text: (n: Node) => string,
    private readonly literalOf: (n: Node | null | undefined) => Literal | null,
  ) {}

  /** An assignment target: `key = '…'` records a constant; any other binding of the name voids it. */
  declare(left: Node, right: Node): void {
    if (left.type === 'identifier') {
      const name = this.text(left);
      const literal = this.literalOf(right);
      this.constants.set(name, this.constants.has(name) ? null : literal);
      const rows = this.rowsOf(right);
      if (rows) this.rowLists.push({ rows, scope: scopeOf(left) });
      return;
    }
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      for (const c of left.namedChildren) if (c?.type === 'identifier') this.constants.set(this.text(c), null);
    }
  }

  /** A secret written as an identifier where a consumer takes it. */
  consume(valueNode: Node | null | undefined, consumer: Omit<PendingConsumer, 'identifier' | 'at'>): void {
    const n = unwrapParens(valueNode ?? null);
    if (n?.type === 'identifier') this.pending.push({ ...consumer, identifier: this.text(n), at: n });
  }

  /** `cursor.execute("INSERT INTO users (username, password) VALUES (?, ?)", …)`: an insert with its columns. */
  execute(callee: string, positional: Node[]): void {
    if (!EXECUTE.test(callee.slice(callee.lastIndexOf('.') + 1))) return;
    const sql = this.sqlOf(positional[0]);
    const columns = sql === null ? null : INSERT_COLUMNS.exec(sql);
    if (!columns?.[1]) return;
    const names = columns[1].split(',').map((c) => c.trim().replace(/^[`"[]|[`"\]]$/g, ''));
    if (!names.some((c) => classifySecretName(c) === 'password')) return;
    this.inserts.push({ columns: names, scope: scopeOf(positional[0]!), context: callee, rows: this.rowsOf(positional[1] ?? null, true) });
  }

  resolve(bind: Bind): void {
    for (const p of this.pending) {
      const constant = this.constants.get(p.identifier);
      if (!constant || isParameter(p.at, p.identifier, this.text)) continue;
      bind(p.kind, p.name, p.path, constant, p.context, p.identifier);
    }
    for (const insert of this.inserts) {
      const rows = insert.rows ?? this.rowLists.filter((l) => l.scope === insert.scope).flatMap((l) => l.rows);
      insert.columns.forEach((column, i) => {
        if (classifySecretName(column) !== 'password') return;
        for (const row of rows) {
          const value = row.length <= insert.columns.length ? row[i] : null;
          if (value) bind('argument', column, column, value, insert.context);
        }
      });
    }
  }

  /** The SQL text of `'…'`, `'…' % (…)` or `'…'.format(…)`. */
  private sqlOf(node: Node | undefined): string | null {
    const n = unwrapParens(node ?? null);
    if (!n) return null;
    if (n.type === 'binary_operator') return this.literalOf(n.childForFieldName('left'))?.value ?? null;
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute') return this.literalOf(fn.childForFieldName('object'))?.value ?? null;
    }
    return this.literalOf(n)?.value ?? null;
  }

  /**
   * Rows of literals: a list or tuple of tuples/lists (`[('admin', 'pw'), …]`), or, passed to an execute call
   * (`single`), one tuple of literals. Null when any element is not a literal.
   */
  private rowsOf(node: Node | null, single = false): Row[] | null {
    const n = unwrapParens(node);
    if (!n || (n.type !== 'list' && n.type !== 'tuple')) return null;
    const items = n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    if (items.length === 0) return null;
    const row = (r: Node): Row | null => {
      const cells = r.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      if (cells.length < 2) return null;
      const out: Row = [];
      for (const c of cells) {
        const literal = this.literalOf(c);
        if (literal) out.push(literal);
        else if (SIMPLE_LITERAL.has(c.type)) out.push(null);
        else return null;
      }
      return out;
    };
    if (items.every((i) => i.type === 'tuple' || i.type === 'list')) {
      const rows = items.map(row);
      return rows.every((r) => r !== null) ? (rows as Row[]) : null;
    }
    if (!single) return null;
    const one = row(n);
    return one ? [one] : null;
  }
}
