import type { Node } from '@babel/types';
import type { FlowStep } from '../../model/data-flow.js';
import { mergeTaint, sourceTaint, withStep, type FlowCollector, type SinkHit, type Taint } from '../../flow/taint.js';
import type { ImportBinding, LocalSummaries } from '../../flow/summaries.js';
import { FunctionScopes } from '../../flow/scopes.js';
import { memberParts, staticString, unwrap } from './ast.js';
import { boundNames } from './flow-functions.js';

/** Guards that vet a value: allow-lists, pattern tests, validator predicates, containment checks. */
const GUARD_CALLS = /(?:^|\.)(?:includes|has|test|isValid\w*|is[A-Z]\w*|validate|match|startsWith|isInteger|isSafeInteger|isFinite|isArray|indexOf)$/;

/** NestJS parameter decorators that read the request, and whether the value may be an object. */
export const NEST_PARAMS: Record<string, boolean> = { Body: true, Query: true, Param: false, Headers: false };

/** Decorator arguments that validate or convert (`@Param('id', ParseIntPipe)`). */
const NEST_PIPE = /Pipe\b/;

/** Types that are no validated DTO. */
const RAW_TYPES = new Set(['TSAnyKeyword', 'TSUnknownKeyword', 'TSStringKeyword', 'TSObjectKeyword', 'TSTypeLiteral']);
const RAW_TYPE_NAMES = /^(?:Record|Partial|Object|any|object|string)$/;

export interface Unit {
  /** Summary mode: parameters are seeded; hits on parameters feed the local summary of `name`. */
  summaryOf: string | null;
  exported: boolean;
  returned: Taint | null;
}

/**
 * The state of one taint walk: the environment of tainted names, the names vetted by guards, function scopes,
 * the unit being analysed (main pass or a summary), and how patterns bind. JsFlowAnalyzer (flow-analyzer.ts)
 * evaluates statements and expressions on it.
 */
export abstract class JsFlowState {
  protected env = new Map<string, Taint>();
  protected sanitised = new Set<string>();
  /** Names holding a check's result (`const ok = /^\w+$/.test(x)`): testing the name tests the check. */
  protected checks = new Map<string, Node>();
  /** Names the walked code initialised with a new object (`const out = {}`): not models (see fieldChosen). */
  protected fresh = new Set<string>();
  protected validatedDepth = 0;
  /** Whether the file says `validationResult(` at all (see callsValidationResult), once asked. */
  protected validationInFile: boolean | undefined;
  protected fnDepth = 0;
  protected unit: Unit = { summaryOf: null, exported: false, returned: null };
  /** Parameters and declared names of the functions being walked (see FunctionScopes). */
  protected readonly scopes = new FunctionScopes();
  /** The class of each method of the file, by the method's start offset, and the classes being walked. */
  protected readonly methodClass = new Map<number, string>();
  protected readonly classes: string[] = [];
  /** Per class, the declared type of its fields (`constructor(private users: UsersService)`). */
  protected fieldTypes = new Map<string, Map<string, string>>();
  /** Names holding an instance of a class or constructor function (`const dao = new UserDAO(db)`). */
  protected instances = new Map<string, string>();
  /** The functions declaring a `request` parameter, each with whether it is no HTTP request (flow-request-param.ts). */
  protected plainRequest: ReadonlyMap<Node, boolean> = new Map();
  /** Per walked function declaring `request`, innermost last: whether that `request` is no HTTP request. */
  protected readonly requestScopes: boolean[] = [];

  constructor(
    protected readonly text: string,
    protected readonly imports: Map<string, ImportBinding>,
    protected readonly summaries: LocalSummaries,
    protected readonly collector: FlowCollector,
    protected readonly exported: ReadonlySet<string>,
  ) {}

  label(node: Node): string {
    const raw = this.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
    return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
  }

  step(node: Node, label = this.label(node)): FlowStep {
    const loc = node.loc!.start;
    return { line: loc.line, column: loc.column + 1, label };
  }

  /** The module-qualified callee: `cp.exec` → `child_process.exec` when cp is the child_process module. */
  resolvedCallee(parts: string[]): string {
    const binding = this.imports.get(parts[0]!);
    if (!binding) return parts.join('.');
    const head = binding.imported === '*' || binding.imported === 'default' ? binding.module : `${binding.module}.${binding.imported}`;
    return [head, ...parts.slice(1)].join('.');
  }

  /** Methods as `Class.method` from the file's function list: `this.m()` is looked up in its own class first. */
  setMethods(
    functions: ReadonlyArray<{ name: string; node: Node }>,
    fieldTypes: Map<string, Map<string, string>>,
    instances = new Map<string, string>(),
  ): void {
    this.instances = instances;
    for (const f of functions) {
      const dot = f.name.lastIndexOf('.');
      if (dot > 0) this.methodClass.set(f.node.start ?? -1, f.name.slice(0, dot));
    }
    this.fieldTypes = fieldTypes;
  }

  /**
   * The class of a call's receiver: `dao.find` with `dao = new UserDAO(db)`, `this.repo.find` with a typed or
   * constructed `this.repo` → the class name and the method; null when the receiver is no known instance.
   */
  protected receiverClass(parts: readonly string[]): { cls: string; method: string } | null {
    if (parts.length === 2 && parts[0] !== 'this') {
      const cls = this.instances.get(parts[0]!);
      return cls === undefined || cls === ' fresh' ? null : { cls, method: parts[1]! };
    }
    if (parts.length === 3 && parts[0] === 'this') {
      const cls = this.fieldTypes.get(this.ownClass() ?? '')?.get(parts[1]!) ?? this.instances.get(`this.${parts[1]}`);
      return cls === undefined ? null : { cls, method: parts[2]! };
    }
    return null;
  }

  /** The class whose method is being walked (`this` is an instance of it), or null. */
  protected ownClass(): string | null {
    const walking = this.classes[this.classes.length - 1];
    if (walking !== undefined) return walking;
    const name = this.unit.summaryOf;
    return name !== null && name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : null;
  }

  /** Where `request` parameters are no HTTP requests (flow-request-param.ts's answers for this file). */
  setRequestParams(answers: ReadonlyMap<Node, boolean>): void {
    this.plainRequest = answers;
  }

  /** Enters `fn`'s `request` scope when it declares that parameter; true when the caller must pop it. */
  protected enterRequestScope(fn: Node): boolean {
    const plain = this.plainRequest.get(fn);
    if (plain === undefined) return false;
    this.requestScopes.push(plain);
    return true;
  }

  /** Whether a member path may read request data: not `request.…` where that name is a non-HTTP parameter. */
  protected readsRequest(parts: readonly string[]): boolean {
    return parts[0] !== 'request' || this.requestScopes[this.requestScopes.length - 1] !== true;
  }

  /** express-validator's `validationResult(` in the function's text (looked for only in files that say it at all). */
  protected callsValidationResult(fn: Node): boolean {
    this.validationInFile ??= this.text.includes('validationResult(');
    return this.validationInFile && this.text.slice(fn.start ?? 0, fn.end ?? 0).includes('validationResult(');
  }

  protected reset(unit: Unit): void {
    this.requestScopes.length = 0;
    this.env = new Map();
    this.sanitised = new Set();
    this.checks = new Map();
    this.fresh = new Set();
    this.validatedDepth = 0;
    this.fnDepth = 0;
    this.scopes.reset();
    this.classes.length = 0;
    this.unit = unit;
  }

  protected hit(hit: SinkHit): void {
    if (this.unit.summaryOf !== null) this.summaries.addSink(this.unit.summaryOf, hit);
    this.collector.sinkHit(hit, this.unit.summaryOf !== null && this.unit.exported ? this.unit.summaryOf : null);
  }
  /** `@Param('id') id: string` is request data; a DTO class type or a pipe argument is validated. */
  protected nestParameter(param: Node): Taint | null {
    const p = param.type === 'TSParameterProperty' ? (param.parameter as Node) : param;
    const decorators = (p as unknown as { decorators?: Array<{ expression: Node }> }).decorators ?? [];
    for (const d of decorators) {
      const e = d.expression;
      if (e.type !== 'CallExpression' || e.callee.type !== 'Identifier') continue;
      const object = NEST_PARAMS[e.callee.name];
      if (object === undefined) continue;
      if (e.arguments.some((a) => NEST_PIPE.test(this.label(a as Node)))) return null;
      const type = (p as unknown as { typeAnnotation?: { typeAnnotation?: Node } }).typeAnnotation?.typeAnnotation;
      if (type && !RAW_TYPES.has(type.type)) {
        if (type.type !== 'TSTypeReference') return null;
        const name = type.typeName.type === 'Identifier' ? type.typeName.name : '';
        if (!RAW_TYPE_NAMES.test(name)) return null;
      }
      if (this.validatedDepth > 0) return null;
      const label = `${this.label(e)} ${p.type === 'Identifier' ? p.name : ''}`.trim();
      return sourceTaint(label, this.step(p, label), object);
    }
    return null;
  }

  /** The names a declaration or parameter pattern binds become locals of the innermost function. */
  protected declare(pattern: Node): void {
    if (this.scopes.depth === 0) return;
    for (const name of boundNames(pattern)) this.scopes.declare(name, this.env, this.sanitised);
  }

  protected bindPattern(pattern: Node, taint: Taint | null, stepNode?: Node): void {
    switch (pattern.type) {
      case 'Identifier':
        if (taint) this.env.set(pattern.name, stepNode ? withStep(taint, this.step(stepNode, pattern.name)) : taint);
        else this.env.delete(pattern.name);
        this.sanitised.delete(pattern.name);
        return;
      case 'AssignmentPattern':
        this.bindPattern(pattern.left, mergeTaint(taint, this.evaluate(pattern.right)), stepNode);
        return;
      case 'ObjectPattern':
        for (const prop of pattern.properties) {
          if (prop.type === 'RestElement') this.bindPattern(prop.argument, taint, stepNode);
          else this.bindPattern(prop.value as Node, taint, stepNode);
        }
        return;
      case 'ArrayPattern':
        for (const el of pattern.elements) if (el) this.bindPattern(el, taint, stepNode);
        return;
      case 'RestElement':
        this.bindPattern(pattern.argument, taint, stepNode);
        return;
      case 'TSParameterProperty':
        this.bindPattern(pattern.parameter as Node, taint, stepNode);
        return;
      default:
        return;
    }
  }

  /** `if (!ALLOWED.includes(x))`, `if (!/^\d+$/.test(id))`, `typeof q === 'string'`, `x === 'asc'`: x is vetted. */
  /**
   * `exiting`: the test guards an `if` whose body returns or throws, so `x !== 'asc'` there vets x for the rest; an
   * equality in a ternary (`q === 'undefined' ? '' : q`) vets nothing.
   */
  protected guard(test: Node, exiting = false): void {
    const t = unwrap(test);
    if (t.type === 'UnaryExpression' && t.operator === '!') return this.guard(t.argument, exiting);
    if (t.type === 'Identifier') {
      const check = this.checks.get(t.name);
      if (check) this.guard(check, exiting);
      return;
    }
    if (t.type === 'LogicalExpression') {
      this.guard(t.left, exiting);
      this.guard(t.right, exiting);
      return;
    }
    if (t.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(t.operator)) {
      const left = unwrap(t.left as Node);
      const right = unwrap(t.right);
      // `ALLOWED.indexOf(x) === -1`, `re.test(x) === false`: the call is the check.
      if (left.type === 'CallExpression' || right.type === 'CallExpression') return this.guard(left.type === 'CallExpression' ? left : right, exiting);
      if (left.type === 'UnaryExpression' && left.operator === 'typeof') this.markSanitised(left.argument);
      else if (!exiting || (t.operator !== '!==' && t.operator !== '!=')) return;
      else if (staticString(right) !== null) this.markSanitised(left);
      else if (staticString(left) !== null) this.markSanitised(right);
      return;
    }
    if (t.type === 'CallExpression') {
      // The method name decides (`['a', 'b'].includes(x)` has no static receiver).
      const c = t.callee as Node;
      const method = c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? [c.property.name] : null;
      const callee = memberParts(c) ?? method;
      if (!callee || !GUARD_CALLS.test(callee.join('.'))) return;
      // A regex that is not anchored at the start (`/(.)*solve(.)*/`) finds a part; it validates nothing.
      const regex = c.type === 'MemberExpression' && c.object.type === 'RegExpLiteral' ? c.object : t.arguments[0];
      if (/(?:^|\.)(?:test|match)$/.test(callee.join('.')) && regex?.type === 'RegExpLiteral' && !regex.pattern.startsWith('^')) return;
      for (const a of t.arguments) this.markSanitised(a as Node);
      if (/(?:^|\.)(?:startsWith|match)$/.test(callee.join('.')) && t.callee.type === 'MemberExpression') this.markSanitised(t.callee.object);
    }
  }

  /** `ALLOWED.includes(ext.toLowerCase())` vets `ext`: the root of a call chain counts. */
  protected markSanitised(node: Node): void {
    let n = unwrap(node);
    for (;;) {
      if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') n = unwrap(n.callee.object);
      else if (n.type === 'MemberExpression' && unwrap(n.object).type === 'CallExpression') n = unwrap(n.object);
      else break;
    }
    const parts = memberParts(n);
    if (parts) this.sanitised.add(parts.join('.'));
  }

  protected isSanitised(parts: string[]): boolean {
    for (let i = parts.length; i > 0; i--) if (this.sanitised.has(parts.slice(0, i).join('.'))) return true;
    return false;
  }
  abstract evaluate(node: Node | null | undefined): Taint | null;
  protected abstract visit(node: Node | null | undefined): void;

  /**
   * The arms of an `if`: each starts from the state before it and the names they taint are merged after it (an
   * assignment in one arm does not clean a name for the other). Without `else`, the state before also flows on.
   * Names vetted in an arm stay vetted (as in a walk in order).
   */
  protected branches(consequent: Node, alternate: Node | null | undefined): void {
    const before = new Map(this.env);
    // Without else, the path that skips the arm: a name the test vetted (`if (!ALLOWED.has(x)) x = 'a'`) stays clean.
    const vetted = alternate ? null : new Set(this.sanitised);
    this.visit(consequent);
    const merged = alternate ? new Map(this.env) : this.env;
    if (alternate) {
      this.env.clear();
      for (const [k, v] of before) this.env.set(k, v);
      this.visit(alternate);
    }
    const other = alternate ? this.env : before;
    for (const [k, v] of other) if (!vetted?.has(k)) merged.set(k, mergeTaint(merged.get(k) ?? null, v)!);
    if (merged !== this.env) {
      this.env.clear();
      for (const [k, v] of merged) this.env.set(k, v);
    }
  }
}
