import type { PyNode as Node } from './syntax.js';
import type { BindingKind, StringBinding } from '../../model/facts.js';
import { SECRET_ARGUMENTS, secretArgumentFor } from '../../model/secret-arguments.js';
import { classifySecretName } from '../../model/secret-names.js';
import { ENV_DEFAULT_KEYWORD, isEnvMapping, isEnvReadCall } from './env-reads.js';
import { codeChildren, compact, nodeRange, unwrapParens } from './ast.js';
import { decodeLiteral } from './string-literal.js';
import { SecretReferences, type Literal } from './secret-references.js';

/**
 * String bindings of a Python file (SOC2-002 reads them): a string literal bound to a name — variables, class
 * fields, attributes and config keys, keyword arguments, dict entries (with their enclosing keys), parameter
 * defaults, comparisons, environment-variable fallbacks and known secret-taking arguments. A class field's
 * context is its class's name; the samples of an `examples=[…]` keyword are bound to that keyword. extract.ts walks
 * the tree and calls the method of each node type here.
 */

export type Scope = 'module' | 'class' | 'function';

/** Keywords that hold sample values of a documented field (pydantic `Field(examples=[…])`, FastAPI `Query(example=…)`). */
const EXAMPLES_KEYWORD = /^examples?$/;

/** The name of the class whose body holds `node` directly (through blocks and statements, not through a function). */
function enclosingClassName(node: Node, source: string): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') return undefined;
    if (n.type === 'class_definition') {
      const name = n.childForFieldName('name');
      return name ? source.slice(name.startIndex, name.endIndex) : undefined;
    }
  }
  return undefined;
}

/** Settings classes named for tests or development (the rule's own list): their fields stay class fields, ranked low. */
const DEV_SETTINGS_CLASS = /^(?:Dev|Development|Debug|Local|Test|Testing|CI)(?:Config|Configuration|Settings)$/;

/**
 * A pydantic `BaseSettings` class directly around `node`: its fields are read from the environment first, so a field's
 * default is an environment fallback (`S3_FILES_DOWNLOAD_SECRET: str = "supersecret"` is used when the variable is unset).
 */
function inSettingsClass(node: Node, source: string): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
    if (n.type !== 'class_definition') continue;
    // A settings class for tests or development (`TestSettings`) keeps its fields as class fields: the rule ranks those low.
    const name = n.childForFieldName('name');
    if (name && DEV_SETTINGS_CLASS.test(source.slice(name.startIndex, name.endIndex))) return false;
    const bases = n.childForFieldName('superclasses');
    return (bases?.namedChildren ?? []).some((b) => b !== null && /(?:^|\.)BaseSettings$/.test(source.slice(b.startIndex, b.endIndex)));
  }
  return false;
}

/** Last segment of a called name (`Fernet`, `encode` of `jwt.encode`), read without resolving the callee. */
function calleeTail(fn: Node, source: string): string {
  const tail = fn.type === 'attribute' ? fn.childForFieldName('attribute') : fn;
  return tail ? source.slice(tail.startIndex, tail.endIndex) : '';
}

/** Called names whose secret argument may be written as a name (`Fernet(key)`), from the secret-argument table. */
const SECRET_CALLEES = new Set(SECRET_ARGUMENTS.filter((a) => a.languages.includes('python')).map((a) => a.callee));
/** SQL runs whose INSERT may seed a password (`c.execute("INSERT …" % (u, p))` passes no literal of its own). */
const SQL_CALLEES = new Set(['execute', 'executemany']);

/** Calls that create an account (Django's UserManager, Flask-Security's datastore). */
const ACCOUNT_CREATORS = /^(?:create_user|create_superuser)$/;

/** Keywords under which the secret-taking calls accept their key (PyJWT `key=`, `Fernet(key=)`, `hmac.new(key=)`). */
const KEY_KEYWORDS = new Set(['key', 'secret_key']);

/** Expression types that may be (or wrap) a string literal or a dict literal. */
const LITERAL_OR_DICT = new Set(['string', 'concatenated_string', 'parenthesized_expression', 'dictionary']);

export class StringBindingReader {
  private readonly out: StringBinding[] = [];
  private resolved = false;
  /** Start indices of dictionaries already read with their enclosing path. */
  readonly handledDicts = new Set<number>();
  private readonly references: SecretReferences;

  constructor(private readonly source: string) {
    this.references = new SecretReferences(
      (n) => this.text(n),
      (n) => this.literalOf(n),
    );
  }

  /** Every binding, with the secrets reached through a constant or a seeded row resolved (once, after the walk). */
  get bindings(): StringBinding[] {
    if (!this.resolved) {
      this.resolved = true;
      this.references.resolve((kind, name, path, literal, context, through) => this.bind(kind, name, path, literal, context, through));
    }
    return this.out;
  }

  private text(node: Node): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  private bind(kind: BindingKind, name: string, path: string, literal: Literal, context?: string, through?: string): void {
    const binding: StringBinding = { kind, name, path, value: literal.value, range: nodeRange(literal.node) };
    if (context !== undefined) binding.context = context;
    if (through !== undefined) binding.through = through;
    this.out.push(binding);
  }

  /** The static value of a string expression (through parentheses), or null. */
  private literalOf(node: Node | null | undefined): Literal | null {
    const n = unwrapParens(node ?? null);
    if (!n) return null;
    if (n.type === 'string') {
      const value = decodeLiteral(this.text(n));
      return value === null ? null : { value, node: n };
    }
    if (n.type === 'concatenated_string') {
      let value = '';
      for (const part of n.namedChildren) {
        if (part?.type !== 'string') continue;
        const v = decodeLiteral(this.text(part));
        if (v === null) return null;
        value += v;
      }
      return { value, node: n };
    }
    return null;
  }

  /** `a.b['c'].d` → ['a','b','c','d']; `f().x` → ['f()','x']; null when a segment is not static. */
  private memberParts(node: Node | null): string[] | null {
    const n = unwrapParens(node);
    if (!n) return null;
    switch (n.type) {
      case 'identifier':
        return [this.text(n)];
      case 'attribute': {
        const object = this.memberParts(n.childForFieldName('object'));
        const attribute = n.childForFieldName('attribute');
        return object && attribute ? [...object, this.text(attribute)] : null;
      }
      case 'subscript': {
        const key = this.subscriptKey(n);
        const object = key === null ? null : this.memberParts(n.childForFieldName('value'));
        return object && key !== null ? [...object, key] : null;
      }
      case 'call': {
        const callee = this.memberParts(n.childForFieldName('function'));
        return callee ? [...callee.slice(0, -1), `${callee[callee.length - 1]}()`] : null;
      }
      default:
        return null;
    }
  }

  /** `x['key']` → 'key'; null for a non-literal, tuple or slice subscript. */
  private subscriptKey(node: Node): string | null {
    const subscripts = node.childrenForFieldName('subscript');
    return subscripts.length === 1 ? (this.literalOf(subscripts[0])?.value ?? null) : null;
  }

  /**
   * Name and dotted path of an assignment target or compared operand: `self.password` → password /
   * self.password, `app.config['SECRET_KEY']` → SECRET_KEY / app.config.SECRET_KEY. When the object is not
   * static (`items[0].password`) the path keeps its source text.
   */
  private target(node: Node | null): { name: string; path: string } | null {
    const n = unwrapParens(node);
    if (!n) return null;
    if (n.type === 'identifier') {
      const name = this.text(n);
      return { name, path: name };
    }
    let name: string | null = null;
    let object: Node | null = null;
    if (n.type === 'attribute') {
      const attribute = n.childForFieldName('attribute');
      name = attribute ? this.text(attribute) : null;
      object = n.childForFieldName('object');
    } else if (n.type === 'subscript') {
      name = this.subscriptKey(n);
      object = n.childForFieldName('value');
    }
    if (name === null || !object) return null;
    const parts = this.memberParts(object);
    return { name, path: `${parts ? parts.join('.') : compact(this.text(object))}.${name}` };
  }

  private callee(fn: Node): { parts: string[] | null; text: string } {
    const parts = this.memberParts(fn);
    return { parts, text: parts ? parts.join('.') : compact(this.text(fn)) };
  }

  assignment(node: Node, scope: Scope): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    // `a = b = '…'`: the inner assignment binds b when the walk reaches it; this one binds a.
    while (right && right.type === 'assignment') right = right.childForFieldName('right');
    if (!left || !right) return;
    // Class attributes are no bare names inside the methods: only module and function names are constants.
    if (scope !== 'class') this.references.declare(left, right);
    const literal = this.literalOf(right);
    const target = left.type === 'identifier' || left.type === 'attribute' || left.type === 'subscript' ? this.target(left) : null;
    if (!target) return;
    if (literal && scope === 'class' && left.type === 'identifier' && inSettingsClass(node, this.source)) {
      this.bind('env-fallback', target.name, target.path, literal, target.name);
      return;
    }
    if (!literal && left.type !== 'identifier' && classifySecretName(target.name) !== null) {
      // `app.secret_key = key`, `app.config['SECRET_KEY'] = key` with `key = '…'` in the module.
      this.references.consume(right, { kind: 'assignment', name: target.name, path: target.path, context: target.path });
    }
    if (literal) {
      const kind = left.type !== 'identifier' ? 'assignment' : scope === 'class' ? 'class-field' : 'variable';
      // A class field carries its class's name (`TestingConfig`): a settings class for tests holds test values.
      this.bind(kind, target.name, target.path, literal, kind === 'class-field' ? enclosingClassName(node, this.source) : undefined);
      return;
    }
    const dict = unwrapParens(right);
    if (dict?.type === 'dictionary' && !this.handledDicts.has(dict.startIndex)) this.dictionary(dict, [target.name], undefined);
  }

  namedExpression(node: Node): void {
    const name = node.childForFieldName('name');
    const literal = this.literalOf(node.childForFieldName('value'));
    if (name?.type === 'identifier' && literal) this.bind('variable', this.text(name), this.text(name), literal);
  }

  parameterDefault(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (nameNode?.type !== 'identifier') return;
    const name = this.text(nameNode);
    const value = node.childForFieldName('value');
    const literal = this.literalOf(value);
    if (literal) {
      this.bind('parameter-default', name, name, literal);
      return;
    }
    const dict = unwrapParens(value);
    if (dict?.type === 'dictionary') this.dictionary(dict, [name], undefined);
  }

  /** Dict literal entries with string keys, `path` = enclosing keys (and the variable or keyword it is bound to). */
  dictionary(node: Node, prefix: string[], context: string | undefined): void {
    this.handledDicts.add(node.startIndex);
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = this.literalOf(pair.childForFieldName('key'))?.value ?? null;
      const valueNode = pair.childForFieldName('value');
      const literal = key === null ? null : this.literalOf(valueNode);
      if (key !== null && literal) {
        this.bind('property', key, [...prefix, key].join('.'), literal, context);
        continue;
      }
      const inner = unwrapParens(valueNode);
      if (inner?.type !== 'dictionary') continue;
      if (key === null) this.dictionary(inner, [], undefined);
      else this.dictionary(inner, [...prefix, key], context);
    }
  }

  call(node: Node): void {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn || args?.type !== 'argument_list') return;
    const positional: Node[] = [];
    const keywords: Array<{ name: string; value: Node | null }> = [];
    // Most calls pass no literal or dict at all; skip them before resolving the callee.
    let candidate = false;
    let afterSplat = false;
    for (const arg of args.namedChildren) {
      if (!arg) continue;
      const type = arg.type;
      if (type === 'keyword_argument') {
        const name = arg.childForFieldName('name');
        const value = arg.childForFieldName('value');
        if (name) keywords.push({ name: this.text(name), value });
        candidate ||= value !== null && LITERAL_OR_DICT.has(value.type);
      } else if (type === 'list_splat' || type === 'dictionary_splat') {
        // Positions after `*args` are unknown.
        afterSplat ||= type === 'list_splat';
      } else if (type !== 'comment' && !afterSplat) {
        positional.push(arg);
        candidate ||= LITERAL_OR_DICT.has(type);
      }
    }
    // `Fernet(key)`, `jwt.encode(p, key)`: a secret-taking call whose key is a name, resolved after the walk.
    if (!candidate) {
      const tail = calleeTail(fn, this.source);
      if (!SECRET_CALLEES.has(tail) && !SQL_CALLEES.has(tail)) return;
    }
    const callee = this.callee(fn);
    this.references.execute(callee.text, positional);
    const envRead = callee.parts !== null && isEnvReadCall(callee.parts);
    if (envRead) {
      const variable = this.literalOf(positional[0]);
      const fallback = this.literalOf(positional[1]) ?? this.literalOf(keywords.find((k) => k.name === ENV_DEFAULT_KEYWORD)?.value);
      if (variable && fallback) this.bind('env-fallback', variable.value, variable.value, fallback, variable.value);
    }
    if (callee.parts) {
      for (const entry of secretArgumentFor(callee.parts, 'python')) {
        const key = keywords.find((k) => KEY_KEYWORDS.has(k.name))?.value;
        const argument = positional[entry.index] ?? (entry.index === positional.length ? key : undefined);
        const literal = this.literalOf(argument);
        if (literal) this.bind('argument', entry.name, entry.name, literal, callee.text);
        else this.references.consume(argument, { kind: 'argument', name: entry.name, path: entry.name, context: callee.text });
      }
      // `User.objects.create_superuser(…, password='…')`, Flask-Security's `user_datastore.create_user(password='…')`:
      // the account's built-in password, weak or not.
      const password = ACCOUNT_CREATORS.test(callee.parts[callee.parts.length - 1] ?? '') ? keywords.find((k) => k.name === 'password') : undefined;
      const literal = this.literalOf(password?.value);
      if (literal) this.bind('argument', 'password', 'password', literal, callee.text);
    }
    for (const { name, value } of keywords) {
      if (envRead && name === ENV_DEFAULT_KEYWORD) continue;
      const literal = this.literalOf(value);
      if (literal) {
        this.bind('keyword-argument', name, name, literal, callee.text);
        continue;
      }
      // `Field(examples=["…", "…"])`: each sample is bound to the keyword, so a reader knows it documents a shape.
      const list = unwrapParens(value);
      if (EXAMPLES_KEYWORD.test(name) && (list?.type === 'list' || list?.type === 'tuple')) {
        for (const item of list.namedChildren) {
          const sample = this.literalOf(item);
          if (sample) this.bind('keyword-argument', name, name, sample, callee.text);
        }
        continue;
      }
      const dict = unwrapParens(value);
      if (dict?.type === 'dictionary') this.dictionary(dict, [name], callee.text);
    }
    for (const arg of positional) {
      const dict = unwrapParens(arg);
      if (dict?.type === 'dictionary') this.dictionary(dict, [], callee.text);
    }
  }

  /** `password == '…'`, `'…' != user.password`; chained comparisons pair each operator's neighbours. */
  comparison(node: Node): void {
    const operands: Node[] = [];
    const operators: string[] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) operators.push(child.type);
      else if (child.type !== 'comment') operands.push(child);
    }
    operators.forEach((operator, i) => {
      if (operator !== '==' && operator !== '!=' && operator !== '<>') return;
      const a = operands[i];
      const b = operands[i + 1];
      for (const [literalNode, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const literal = this.literalOf(literalNode);
        const target = literal && other ? this.target(other) : null;
        if (literal && target) {
          this.bind('comparison', target.name, target.path, literal);
          return;
        }
      }
    });
  }

  /** `os.getenv('X') or '…'`, `os.environ['X'] or '…'`. */
  orFallback(node: Node): void {
    if (node.childForFieldName('operator')?.type !== 'or') return;
    const literal = this.literalOf(node.childForFieldName('right'));
    if (!literal) return;
    const variable = this.envVariableRead(node.childForFieldName('left'));
    if (variable !== null) this.bind('env-fallback', variable, variable, literal, variable);
  }

  private envVariableRead(node: Node | null): string | null {
    const n = unwrapParens(node);
    if (n?.type === 'call') {
      const parts = this.memberParts(n.childForFieldName('function'));
      const args = n.childForFieldName('arguments');
      if (!parts || !isEnvReadCall(parts) || args?.type !== 'argument_list') return null;
      const first = codeChildren(args)[0];
      return first?.type === 'keyword_argument' ? null : (this.literalOf(first)?.value ?? null);
    }
    if (n?.type === 'subscript') {
      const parts = this.memberParts(n.childForFieldName('value'));
      return parts && isEnvMapping(parts) ? this.subscriptKey(n) : null;
    }
    return null;
  }
}
