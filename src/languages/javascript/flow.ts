import type { Node } from '@babel/types';
import type { FlowStep } from '../../model/data-flow.js';
import { FlowCollector, asString, builtString, mergeTaint, paramTaint, sourceTaint, withStep, type SinkHit, type Taint } from '../../flow/taint.js';
import { LocalSummaries, applySummary, isRelativeModule, localCallName, sinkDecision, summariseFunctions, type ImportBinding } from '../../flow/summaries.js';
import { FunctionScopes } from '../../flow/scopes.js';
import {
  JS_PROPAGATORS,
  isJsSanitiser,
  jsSinksFor,
  jsSourceCallFor,
  jsSourceFor,
} from './tables/taint.js';
import { isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap, walkAst } from './ast.js';
import type { ErrorExposure } from '../../model/data-flow.js';
import { ERROR_RESPONSE_JS, JS_DEBUG_SETTINGS, DEV_ONLY_TEST, isClientErrorStatus, leakOfErrorMember } from '../../model/error-exposure.js';
import type { JsFeatureInput } from './feature-input.js';

/**
 * SOC2-004 facts for JS/TS: an intra-procedural taint walk per function in source order, with summaries of the
 * file's top-level functions and class methods (which parameters reach which sink, which flow to the return
 * value), computed twice so a helper calling a helper is followed. Calls into relative imports are recorded for
 * the project model to resolve against the other file's summaries.
 */

/** Express-validator chains, celebrate, and validation middlewares in a route's argument list. */
const VALIDATION_MIDDLEWARE = /^(?:celebrate|validate|validateRequest|validateBody|validateQuery|validator|checkSchema|body\(\)|query\(\)|param\(\)|check\(\)|oneOf|zValidator|validateResource|validateSchema)$/;

/** Methods whose result is a number or a boolean, whatever the receiver. */
const NON_STRING_METHODS = /^(?:length|indexOf|lastIndexOf|includes|startsWith|endsWith|test|has|size|localeCompare|charCodeAt|search|every|some)$/;

/** Guards that vet a value: allow-lists, pattern tests, validator predicates, containment checks. */
const GUARD_CALLS = /(?:^|\.)(?:includes|has|test|isValid\w*|is[A-Z]\w*|validate|match|startsWith|isInteger|isSafeInteger|isFinite|isArray)$/;

/** NestJS parameter decorators that read the request, and whether the value may be an object. */
const NEST_PARAMS: Record<string, boolean> = { Body: true, Query: true, Param: false, Headers: false };

/** Decorator arguments that validate or convert (`@Param('id', ParseIntPipe)`). */
const NEST_PIPE = /Pipe\b/;

/** Types that are no validated DTO. */
const RAW_TYPES = new Set(['TSAnyKeyword', 'TSUnknownKeyword', 'TSStringKeyword', 'TSObjectKeyword', 'TSTypeLiteral']);
const RAW_TYPE_NAMES = /^(?:Record|Partial|Object|any|object|string)$/;

interface Unit {
  /** Summary mode: parameters are seeded; hits on parameters feed the local summary of `name`. */
  summaryOf: string | null;
  exported: boolean;
  returned: Taint | null;
}

class JsFlowAnalyzer {
  private env = new Map<string, Taint>();
  private sanitised = new Set<string>();
  private validatedDepth = 0;
  private fnDepth = 0;
  private unit: Unit = { summaryOf: null, exported: false, returned: null };
  /** Parameters and declared names of the functions being walked (see FunctionScopes). */
  private readonly scopes = new FunctionScopes();
  /** The class of each method of the file, by the method's start offset, and the classes being walked. */
  private readonly methodClass = new Map<number, string>();
  private readonly classes: string[] = [];
  /** Per class, the declared type of its fields (`constructor(private users: UsersService)`). */
  private fieldTypes = new Map<string, Map<string, string>>();

  constructor(
    private readonly text: string,
    private readonly imports: Map<string, ImportBinding>,
    private readonly summaries: LocalSummaries,
    private readonly collector: FlowCollector,
    private readonly exported: ReadonlySet<string>,
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
  setMethods(functions: ReadonlyArray<{ name: string; node: Node }>, fieldTypes: Map<string, Map<string, string>>): void {
    for (const f of functions) {
      const dot = f.name.lastIndexOf('.');
      if (dot > 0) this.methodClass.set(f.node.start ?? -1, f.name.slice(0, dot));
    }
    this.fieldTypes = fieldTypes;
  }

  /** The class whose method is being walked (`this` is an instance of it), or null. */
  private ownClass(): string | null {
    const walking = this.classes[this.classes.length - 1];
    if (walking !== undefined) return walking;
    const name = this.unit.summaryOf;
    return name !== null && name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : null;
  }

  /** Main pass: the whole program, every function inlined in source order. */
  analyzeProgram(program: Node): void {
    this.reset({ summaryOf: null, exported: false, returned: null });
    this.visit(program);
  }

  /** Summary pass for one top-level function or method. */
  analyzeFunction(name: string, fn: Node): void {
    this.reset({ summaryOf: name, exported: this.exported.has(name) || this.exported.has(name.split('.')[0]!), returned: null });
    const params = (fn as unknown as { params: Node[] }).params;
    params.forEach((p, i) => this.bindPattern(p, paramTaint(i, this.step(p))));
    if (this.text.slice(fn.start ?? 0, fn.end ?? 0).includes('validationResult(')) this.validatedDepth++;
    this.visitFunctionBody(fn);
    this.summaries.setReturn(name, this.unit.returned);
  }

  private reset(unit: Unit): void {
    this.env = new Map();
    this.sanitised = new Set();
    this.validatedDepth = 0;
    this.fnDepth = 0;
    this.scopes.reset();
    this.classes.length = 0;
    this.unit = unit;
  }

  private hit(hit: SinkHit): void {
    if (this.unit.summaryOf !== null) this.summaries.addSink(this.unit.summaryOf, hit);
    this.collector.sinkHit(hit, this.unit.summaryOf !== null && this.unit.exported ? this.unit.summaryOf : null);
  }

  private visit(node: Node | null | undefined): void {
    if (!node) return;
    if (isFunction(node)) {
      this.enterFunction(node);
      return;
    }
    switch (node.type) {
      case 'VariableDeclarator': {
        const t = this.evaluate(node.init);
        this.declare(node.id);
        this.bindPattern(node.id, t, node.id);
        return;
      }
      case 'IfStatement':
        this.guard(node.test, exits(node.consequent));
        this.evaluate(node.test);
        this.visit(node.consequent);
        this.visit(node.alternate);
        return;
      case 'ReturnStatement': {
        const t = this.evaluate(node.argument);
        if (this.fnDepth === 0) this.unit.returned = mergeTaint(this.unit.returned, t);
        return;
      }
      case 'ForOfStatement':
      case 'ForInStatement': {
        const t = this.evaluate(node.right);
        const left = node.left.type === 'VariableDeclaration' ? node.left.declarations[0]?.id : node.left;
        if (left && node.left.type === 'VariableDeclaration') this.declare(left as Node);
        if (left) this.bindPattern(left as Node, node.type === 'ForOfStatement' ? t : null);
        this.visit(node.body);
        return;
      }
      case 'ExpressionStatement':
        this.evaluate(node.expression);
        return;
      case 'ClassMethod':
      case 'ClassPrivateMethod':
        this.enterFunction(node);
        return;
      default:
        if (isExpression(node)) {
          this.evaluate(node);
          return;
        }
        this.visitChildren(node);
    }
  }

  private visitChildren(node: Node): void {
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'decorators' || key === 'typeAnnotation' || key === 'returnType') continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) this.visitMaybe(c);
      else this.visitMaybe(child);
    }
  }

  private visitMaybe(child: unknown): void {
    if (child && typeof child === 'object' && typeof (child as Node).type === 'string') this.visit(child as Node);
  }

  /** A nested function shares the enclosing environment (closures see the handler's variables). */
  private enterFunction(fn: Node): void {
    const validated = this.text.slice(fn.start ?? 0, fn.end ?? 0).includes('validationResult(');
    if (validated) this.validatedDepth++;
    this.fnDepth++;
    this.scopes.enter();
    const cls = this.methodClass.get(fn.start ?? -1);
    if (cls !== undefined) this.classes.push(cls);
    for (const p of (fn as unknown as { params: Node[] }).params) {
      this.declare(p);
      this.bindPattern(p, this.nestParameter(p));
    }
    this.visitFunctionBody(fn);
    if (cls !== undefined) this.classes.pop();
    this.scopes.exit(this.env, this.sanitised);
    this.fnDepth--;
    if (validated) this.validatedDepth--;
  }

  private visitFunctionBody(fn: Node): void {
    const body = (fn as unknown as { body: Node | null }).body;
    if (!body) return;
    if (body.type === 'BlockStatement') this.visit(body);
    else {
      const t = this.evaluate(body);
      if (this.fnDepth === 0) this.unit.returned = mergeTaint(this.unit.returned, t);
    }
  }

  /** `@Param('id') id: string` is request data; a DTO class type or a pipe argument is validated. */
  private nestParameter(param: Node): Taint | null {
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
  private declare(pattern: Node): void {
    if (this.scopes.depth === 0) return;
    for (const name of boundNames(pattern)) this.scopes.declare(name, this.env, this.sanitised);
  }

  private bindPattern(pattern: Node, taint: Taint | null, stepNode?: Node): void {
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
  private guard(test: Node, exiting = false): void {
    const t = unwrap(test);
    if (t.type === 'UnaryExpression' && t.operator === '!') return this.guard(t.argument, exiting);
    if (t.type === 'LogicalExpression') {
      this.guard(t.left, exiting);
      this.guard(t.right, exiting);
      return;
    }
    if (t.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(t.operator)) {
      const left = unwrap(t.left as Node);
      const right = unwrap(t.right);
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
      for (const a of t.arguments) this.markSanitised(a as Node);
      if (/(?:^|\.)(?:startsWith|match)$/.test(callee.join('.')) && t.callee.type === 'MemberExpression') this.markSanitised(t.callee.object);
    }
  }

  /** `ALLOWED.includes(ext.toLowerCase())` vets `ext`: the root of a call chain counts. */
  private markSanitised(node: Node): void {
    let n = unwrap(node);
    for (;;) {
      if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') n = unwrap(n.callee.object);
      else if (n.type === 'MemberExpression' && unwrap(n.object).type === 'CallExpression') n = unwrap(n.object);
      else break;
    }
    const parts = memberParts(n);
    if (parts) this.sanitised.add(parts.join('.'));
  }

  private isSanitised(parts: string[]): boolean {
    for (let i = parts.length; i > 0; i--) if (this.sanitised.has(parts.slice(0, i).join('.'))) return true;
    return false;
  }

  evaluate(node: Node | null | undefined): Taint | null {
    if (!node) return null;
    if (isFunction(node)) {
      this.enterFunction(node);
      return null;
    }
    switch (node.type) {
      case 'Identifier':
        return this.sanitised.has(node.name) ? null : (this.env.get(node.name) ?? null);
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return this.member(node);
      case 'TemplateLiteral':
        return this.template(node);
      case 'TaggedTemplateExpression':
        // sql`…${x}` tags build parameterised queries; their values are not spliced into text.
        for (const e of node.quasi.expressions) this.evaluate(e as Node);
        return null;
      case 'BinaryExpression':
        return this.binary(node);
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        return this.call(node);
      case 'AwaitExpression':
        return this.evaluate(node.argument);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'ParenthesizedExpression':
      case 'TSTypeAssertion':
        return this.evaluate(node.expression);
      case 'ConditionalExpression':
        this.guard(node.test);
        this.evaluate(node.test);
        return mergeTaint(this.evaluate(node.consequent), this.evaluate(node.alternate));
      case 'LogicalExpression': {
        const left = this.evaluate(node.left);
        const right = this.evaluate(node.right);
        return node.operator === '&&' ? right : mergeTaint(left, right);
      }
      case 'ObjectExpression': {
        let t: Taint | null = null;
        for (const p of node.properties) {
          if (p.type === 'ObjectProperty') t = mergeTaint(t, this.evaluate(p.value as Node));
          else if (p.type === 'SpreadElement') t = mergeTaint(t, this.evaluate(p.argument));
          else this.visit(p);
        }
        return t;
      }
      case 'ArrayExpression': {
        let t: Taint | null = null;
        for (const e of node.elements) if (e) t = mergeTaint(t, this.evaluate(e.type === 'SpreadElement' ? e.argument : e));
        return t;
      }
      case 'AssignmentExpression':
        return this.assignment(node);
      case 'SequenceExpression': {
        let last: Taint | null = null;
        for (const e of node.expressions) last = this.evaluate(e);
        return last;
      }
      case 'UnaryExpression':
      case 'UpdateExpression':
        this.evaluate(node.argument as Node);
        return null;
      case 'SpreadElement':
        return this.evaluate(node.argument);
      case 'ClassExpression':
        this.visitChildren(node);
        return null;
      default:
        this.visitChildren(node);
        return null;
    }
  }

  private member(node: Node & { object: Node; property: Node; computed: boolean }): Taint | null {
    const parts = memberParts(node);
    if (parts) {
      if (this.isSanitised(parts)) return null;
      const source = jsSourceFor(parts.join('.'));
      if (source && this.validatedDepth === 0) return sourceTaint(parts.join('.'), this.step(node), source.object && parts.length <= 4);
      const field = this.env.get(parts.join('.'));
      if (field) return field;
    }
    if (node.computed) this.evaluate(node.property);
    const object = this.evaluate(node.object);
    if (!object) return null;
    const name = !node.computed && node.property.type === 'Identifier' ? node.property.name : null;
    if (name !== null && NON_STRING_METHODS.test(name)) return null;
    return object;
  }

  private template(node: Node & { type: 'TemplateLiteral' }): Taint | null {
    let t: Taint | null = null;
    for (const e of node.expressions) t = mergeTaint(t, this.evaluate(e as Node));
    if (!t) return null;
    const literal = node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' ');
    const first = node.quasis[0]?.value.cooked ?? '';
    return builtString(t, literal, first.length > 1);
  }

  private binary(node: Node & { type: 'BinaryExpression' }): Taint | null {
    const left = node.left.type === 'PrivateName' ? null : this.evaluate(node.left);
    const right = this.evaluate(node.right);
    if (node.operator !== '+') return null;
    const t = mergeTaint(left, right);
    if (!t) return null;
    const literal = `${this.literalText(node.left as Node)} ${this.literalText(node.right)}`;
    // An untainted left side (a literal, a base URL constant) fixes the start of the string.
    const startsFixed = left === null ? this.literalText(node.left as Node) !== '/' : left.fixedPrefix;
    return builtString(t, literal, startsFixed);
  }

  /** The fixed text of a string expression's literal parts. */
  private literalText(node: Node): string {
    const s = staticString(node);
    if (s !== null) return s;
    const n = unwrap(node);
    if (n.type === 'BinaryExpression' && n.operator === '+') return `${this.literalText(n.left as Node)} ${this.literalText(n.right)}`;
    if (n.type === 'TemplateLiteral') return n.quasis.map((q) => q.value.cooked ?? '').join(' ');
    return '';
  }

  private assignment(node: Node & { type: 'AssignmentExpression' }): Taint | null {
    let t = this.evaluate(node.right);
    const left = node.left as Node;
    if (node.operator === '+=' && left.type === 'Identifier') {
      const before = this.env.get(left.name) ?? null;
      t = t ? builtString(mergeTaint(before, t)!, this.literalText(node.right), before?.fixedPrefix ?? true) : before;
      if (before && !t?.sqlText && staticString(node.right) !== null) t = builtString(before, staticString(node.right)!, before.fixedPrefix);
    }
    if (left.type === 'Identifier' || left.type === 'ObjectPattern' || left.type === 'ArrayPattern') {
      this.bindPattern(left, t, left);
      return t;
    }
    const parts = memberParts(left);
    if (left.type === 'MemberExpression' && left.computed) this.evaluate(left.property);
    if (parts && t) {
      const step = this.step(left, parts.join('.'));
      this.env.set(parts.join('.'), withStep(t, step));
      const root = parts[0]!;
      if (root !== 'this' && parts.length > 1) this.env.set(root, mergeTaint(this.env.get(root) ?? null, withStep(t, step))!);
    }
    return t;
  }

  private call(node: Node & { callee: Node; arguments: Node[] }): Taint | null {
    const isNew = node.type === 'NewExpression';
    const parts = memberParts(node.callee);
    const raw = parts ? `${isNew ? 'new ' : ''}${parts.join('.')}` : null;
    const resolved = parts ? `${isNew ? 'new ' : ''}${this.resolvedCallee(parts)}` : null;
    let receiver: Taint | null = null;
    if (node.callee.type === 'MemberExpression' || node.callee.type === 'OptionalMemberExpression') {
      receiver = this.evaluate((node.callee as Node & { object: Node }).object);
    } else if (!parts) {
      this.evaluate(node.callee);
    }
    const validated = this.validatesSiblings(node.arguments);
    if (validated) this.validatedDepth++;
    const args = node.arguments.map((a) => this.evaluate(a.type === 'SpreadElement' ? a.argument : a));
    if (validated) this.validatedDepth--;
    if (raw === null || resolved === null) {
      // `[a, b].join(' ')`, `` `${x}`.trim() ``: a method on a computed receiver keeps its data.
      const c = node.callee;
      const method = c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name : null;
      if (!receiver || method === null || NON_STRING_METHODS.test(method)) return null;
      return method === 'join' ? builtString(receiver, '', receiver.fixedPrefix) : asString(receiver);
    }

    const sourceCall = jsSourceCallFor(raw);
    if (sourceCall && this.validatedDepth === 0 && !this.isSanitised(parts!)) {
      return sourceTaint(this.label(node), this.step(node), sourceCall.object);
    }
    // A function of this file is judged by its summary, not by its name.
    const local = this.localCall(node, parts!, args);
    if (local !== undefined) return local;
    // A function imported from the project is judged by its summary (resolved across files), not by its name.
    const binding = parts!.length === 1 ? this.imports.get(parts![0]!) : undefined;
    if (!binding || !isRelativeModule(binding.module)) this.checkSinks(node, raw, resolved, args);
    if (isJsSanitiser(resolved) || isJsSanitiser(raw)) return null;
    this.importedCall(node, parts!, args);

    if (JS_PROPAGATORS.test(resolved) || JS_PROPAGATORS.test(raw)) {
      let t: Taint | null = null;
      for (const a of args) t = mergeTaint(t, a);
      if (t && /^(?:String|JSON\.stringify|encodeURI\w*|util\.format|node:util\.format)$/.test(resolved)) t = asString(t);
      return t ? withStep(t, this.step(node)) : null;
    }
    if (receiver) {
      const method = parts![parts!.length - 1]!;
      return NON_STRING_METHODS.test(method) ? null : asString(receiver);
    }
    return null;
  }

  /** A route whose arguments include a validation middleware validates the handler's request data. */
  private validatesSiblings(args: Node[]): boolean {
    if (!args.some((a) => isFunction(a))) return false;
    return args.some((a) => {
      const items = a.type === 'ArrayExpression' ? (a.elements.filter(Boolean) as Node[]) : [a];
      return items.some((item) => {
        const n = unwrap(item);
        if (n.type !== 'CallExpression') return false;
        const parts = memberParts(n);
        return parts !== null && VALIDATION_MIDDLEWARE.test(parts[0]!.replace(/\(\)$/, parts.length > 1 ? '()' : ''));
      });
    });
  }

  private checkSinks(node: Node & { arguments: Node[] }, raw: string, resolved: string, args: Array<Taint | null>): void {
    const entries = [...jsSinksFor(resolved), ...(resolved !== raw ? jsSinksFor(raw) : [])];
    for (const entry of entries) {
      if (entry.needsShellOption && !node.arguments.some((a) => this.hasShellTrue(a))) continue;
      const positions = entry.args === 'all' ? args.map((_, i) => i) : entry.args;
      for (const i of positions) {
        let t = args[i] ?? null;
        const argNode = node.arguments[i];
        if (!t || !argNode) continue;
        if (entry.objectLiteral) {
          const n = unwrap(argNode);
          if (n.type !== 'ObjectExpression') continue;
          // `{ where: { … } }` is a Sequelize/TypeORM options object: values are bound, operators are symbols.
          if (n.properties.some((p) => p.type === 'ObjectProperty' && propertyKey(p) === 'where')) continue;
          // `doc.update({ … })` with one argument sets values (Sequelize instances); a Mongo update takes a filter first.
          if (/(?:^|\.)(?:update|updateOne|updateMany|findOneAndUpdate|replaceOne|findOneAndReplace)$/.test(raw) && node.arguments.length < 2) continue;
          const where = this.whereClause(n);
          if (where) t = where;
        }
        const decision = t === args[i] || !entry.objectLiteral ? sinkDecision(entry.condition, t, this.unit.summaryOf !== null) : 'yes';
        if (decision === 'no') continue;
        const callee = raw.replace(/^new /, '');
        const pending = decision === 'pending' && entry.condition !== 'any' ? { pending: entry.condition } : {};
        this.hit({ taint: t, ...pending, sink: entry.kind, callee, range: rangeOf(node), step: this.step(node, `${callee}(…)`) });
        return;
      }
    }
  }

  /** `{ $where: 'this.a == ' + x }` inside a filter: JavaScript evaluated by the database. */
  private whereClause(object: Node & { type: 'ObjectExpression' }): Taint | null {
    for (const p of object.properties) {
      if (p.type === 'ObjectProperty' && propertyKey(p) === '$where') return this.evaluate(p.value as Node);
    }
    return null;
  }

  private hasShellTrue(arg: Node): boolean {
    const n = unwrap(arg);
    if (n.type !== 'ObjectExpression') return false;
    return n.properties.some((p) => {
      if (p.type !== 'ObjectProperty' || propertyKey(p) !== 'shell') return false;
      const value = unwrap(p.value as Node);
      return !(value.type === 'BooleanLiteral' && !value.value);
    });
  }

  /** A call into a function of this file: its summary says which arguments reach sinks or the result. */
  private localCall(node: Node, parts: string[], args: Array<Taint | null>): Taint | null | undefined {
    const name = localCallName(parts, 'this');
    const summary = name === null ? undefined : this.summaries.find(name, this.ownClass());
    if (!summary) return undefined;
    return applySummary(summary, args, this.step(node), this.unit.summaryOf !== null, (h) => this.hit(h));
  }

  /** A call into a relative import passing request data: resolved later against that file's summaries. */
  private importedCall(node: Node, parts: string[], args: Array<Taint | null>): void {
    if (!args.some((a) => a !== null)) return;
    let module: string;
    let name: string;
    const binding = this.imports.get(parts[0]!);
    if (binding && isRelativeModule(binding.module)) {
      module = binding.module;
      const member = parts.slice(1).join('.');
      name = binding.imported === '*' || binding.imported === 'default' ? member || binding.imported : member ? `${binding.imported}.${member}` : binding.imported;
    } else if (parts[0] === 'this' && parts.length === 3) {
      // `this.usersService.search(q)` with `usersService: UsersService` injected: that class's method, not any
      // imported class's method of the same name.
      const type = this.fieldTypes.get(this.ownClass() ?? '')?.get(parts[1]!);
      const typeBinding = type === undefined ? undefined : this.imports.get(type);
      if (type !== undefined && typeBinding && isRelativeModule(typeBinding.module) && typeBinding.imported !== '*') {
        module = typeBinding.module;
        name = `${typeBinding.imported === 'default' ? type : typeBinding.imported}.${parts[2]}`;
      } else {
        module = '*';
        name = `.${parts[2]}`;
      }
    } else return;
    args.forEach((t, i) => {
      if (t) this.collector.importedCall(module, name, i, t, this.step(node, `${parts.join('.')}(…)`));
    });
  }
}

/** A type annotation naming a class: `: UsersService` → `UsersService`. */
function typeName(annotation: unknown): string | null {
  const t = (annotation as { typeAnnotation?: Node } | null | undefined)?.typeAnnotation;
  return t?.type === 'TSTypeReference' && t.typeName.type === 'Identifier' ? t.typeName.name : null;
}

/**
 * The declared types of each top-level class's fields: constructor parameter properties
 * (`constructor(private readonly users: UsersService)`) and typed properties (`@Inject() users: UsersService`).
 */
function classFieldTypes(program: Node & { type: 'Program' }): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const addClass = (cls: Node, name: string | undefined): void => {
    if (!name || (cls.type !== 'ClassDeclaration' && cls.type !== 'ClassExpression')) return;
    const fields = new Map<string, string>();
    for (const m of cls.body.body) {
      if (m.type === 'ClassProperty' && m.key.type === 'Identifier') {
        const type = typeName(m.typeAnnotation);
        if (type) fields.set(m.key.name, type);
      } else if (m.type === 'ClassMethod' && m.kind === 'constructor') {
        for (const p of m.params) {
          if (p.type !== 'TSParameterProperty') continue;
          const param = p.parameter;
          const id = param.type === 'AssignmentPattern' ? param.left : param;
          const type = id.type === 'Identifier' ? typeName(id.typeAnnotation) : null;
          if (id.type === 'Identifier' && type) fields.set(id.name, type);
        }
      }
    }
    if (fields.size > 0) out.set(name, fields);
  };
  for (const stmt of program.body) {
    const d = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as Node | null) : stmt;
    if (!d) continue;
    if (d.type === 'ClassDeclaration') addClass(d, d.id?.name);
    else if (d.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier' && v.init) addClass(unwrap(v.init), v.id.name);
  }
  return out;
}

/** `a`, `{ a, b: c, ...d }`, `[e = 1, ...f]`, `private g`: the identifiers a pattern binds. */
function boundNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p.argument : (p.value as Node)));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? boundNames(e) : []));
    case 'RestElement':
      return boundNames(pattern.argument);
    case 'TSParameterProperty':
      return boundNames(pattern.parameter as Node);
    default:
      return [];
  }
}

/** A block (or statement) that always leaves: ends with return or throw. */
function exits(node: Node): boolean {
  if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
  if (node.type === 'BlockStatement') {
    const last = node.body[node.body.length - 1];
    return last !== undefined && exits(last);
  }
  if (node.type === 'ExpressionStatement') return exits(node.expression);
  // `return res.status(400).end()` is a ReturnStatement; a bare `res.status(400).end()` keeps going.
  return false;
}

function isExpression(node: Node): boolean {
  return /Expression$|Literal$|^Identifier$/.test(node.type) && node.type !== 'ExpressionStatement';
}

/** Local bindings of imports: `import { exec } from 'child_process'` → exec ↦ child_process.exec. */
function importBindings(input: JsFeatureInput): Map<string, ImportBinding> {
  const map = new Map<string, ImportBinding>();
  for (const fact of input.facts.imports) for (const n of fact.names) map.set(n.local, { module: fact.module, imported: n.imported });
  return map;
}

interface TopLevelFunction {
  name: string;
  node: Node;
}

/** Top-level functions, function-valued consts and class methods (as `Class.method`), and the exported names. */
function topLevelFunctions(program: Node & { type: 'Program' }): { functions: TopLevelFunction[]; exported: Set<string> } {
  const functions: TopLevelFunction[] = [];
  const exported = new Set<string>();
  const addClass = (cls: Node & { id?: { name: string } | null; body: { body: Node[] } }, name: string | undefined): void => {
    const className = name ?? cls.id?.name;
    if (!className) return;
    for (const m of cls.body.body) {
      if ((m.type === 'ClassMethod' || m.type === 'ClassPrivateMethod') && m.kind === 'method') {
        const key = propertyKey(m as Node & { key: Node; computed?: boolean });
        if (key) functions.push({ name: `${className}.${key}`, node: m });
      } else if (m.type === 'ClassProperty' && m.value && isFunction(m.value)) {
        const key = propertyKey(m);
        if (key) functions.push({ name: `${className}.${key}`, node: m.value });
      }
    }
  };
  const declaration = (node: Node, isExported: boolean): void => {
    if (node.type === 'FunctionDeclaration' && node.id) {
      functions.push({ name: node.id.name, node });
      if (isExported) exported.add(node.id.name);
    } else if (node.type === 'ClassDeclaration' && node.id) {
      addClass(node, undefined);
      if (isExported) exported.add(node.id.name);
    } else if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) {
        if (d.id.type !== 'Identifier' || !d.init) continue;
        const init = unwrap(d.init);
        if (isFunction(init)) functions.push({ name: d.id.name, node: init });
        else if (init.type === 'ClassExpression') addClass(init, d.id.name);
        if (isExported) exported.add(d.id.name);
      }
    }
  };
  for (const stmt of program.body) {
    if (stmt.type === 'ExportNamedDeclaration') {
      if (stmt.declaration) declaration(stmt.declaration, true);
      for (const s of stmt.specifiers) if (s.type === 'ExportSpecifier') exported.add(s.local.name);
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const d = stmt.declaration as Node;
      if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) declaration(d, true);
      else if (isFunction(d)) functions.push({ name: 'default', node: d });
      else if (d.type === 'Identifier') exported.add(d.name);
      exported.add('default');
    } else if (stmt.type === 'ExpressionStatement' && stmt.expression.type === 'AssignmentExpression') {
      commonJsExports(stmt.expression, functions, exported);
    } else {
      declaration(stmt, false);
    }
  }
  return { functions, exported };
}

/** `module.exports = { a, b }`, `module.exports.a = function …`, `exports.a = (…) => …`. */
function commonJsExports(node: Node & { type: 'AssignmentExpression' }, functions: TopLevelFunction[], exported: Set<string>): void {
  const left = memberParts(node.left as Node);
  if (!left) return;
  const target = left.join('.');
  const right = unwrap(node.right);
  if (target === 'module.exports') {
    if (right.type === 'Identifier') exported.add(right.name);
    if (right.type !== 'ObjectExpression') return;
    for (const p of right.properties) {
      if (p.type === 'ObjectMethod') {
        const key = propertyKey(p);
        if (key) functions.push({ name: key, node: p }), exported.add(key);
      } else if (p.type === 'ObjectProperty') {
        const key = propertyKey(p);
        const value = unwrap(p.value as Node);
        if (!key) continue;
        exported.add(key);
        if (value.type === 'Identifier') exported.add(value.name);
        else if (isFunction(value)) functions.push({ name: key, node: value });
      }
    }
    return;
  }
  const name = left[0] === 'module' && left[1] === 'exports' && left.length === 3 ? left[2] : left[0] === 'exports' && left.length === 2 ? left[1] : null;
  if (!name) return;
  exported.add(name);
  if (isFunction(right)) functions.push({ name, node: right });
  else if (right.type === 'Identifier') exported.add(right.name);
}

export function extractJsFlows(input: JsFeatureInput): void {
  const program = input.ast.program;
  const collector = new FlowCollector();
  const summaries = new LocalSummaries();
  const { functions, exported } = topLevelFunctions(program);
  const imports = importBindings(input);
  const analyzer = new JsFlowAnalyzer(input.text, imports, summaries, collector, exported);
  analyzer.setMethods(functions, classFieldTypes(program));
  summariseFunctions(functions, summaries, (f) => analyzer.analyzeFunction(f.name, f.node));
  analyzer.analyzeProgram(program);
  const flows = collector.result();
  if (flows) input.facts.dataFlow = flows;
  extractJsErrorExposures(input, imports);
}

/** Where an error value is in hand: catch clauses, `(err, req, res, next)` handlers, `.catch(e => …)`, `(err, …) =>` callbacks, Nest filters' `catch(exception)`. */
function errorVariable(node: Node, parent: Node | undefined): string | null {
  if (node.type === 'CatchClause') return node.param?.type === 'Identifier' ? node.param.name : null;
  if (!isFunction(node)) return null;
  const params = (node as unknown as { params: Node[] }).params;
  const first = params[0];
  if (!first || first.type !== 'Identifier') return null;
  if (params.length === 4) return first.name;
  if (/^(?:err|error)$/.test(first.name)) return first.name;
  if ((node.type === 'ClassMethod') && propertyKey(node) === 'catch') return first.name;
  if (parent && parent.type === 'CallExpression') {
    const callee = memberParts(parent.callee as Node);
    if (callee && callee[callee.length - 1] === 'catch') return first.name;
  }
  return null;
}

interface Exposure {
  kind: 'full' | 'message';
  text: string;
}

/** Names holding the error or a part of it (`const msg = err.message`). */
type Aliases = Map<string, Exposure>;

class JsErrorExposureFinder {
  readonly found: ErrorExposure[] = [];

  constructor(
    private readonly text: string,
    private readonly imports: Map<string, ImportBinding>,
  ) {}

  private source(node: Node): string {
    const raw = this.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
    return raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
  }

  /** Inside a branch that only runs in development (`if (process.env.NODE_ENV !== 'production')`). */
  private devOnly(ancestors: readonly Node[]): boolean {
    return ancestors.some((a) => (a.type === 'IfStatement' || a.type === 'ConditionalExpression' || a.type === 'LogicalExpression') && DEV_ONLY_TEST.test(this.source(a.type === 'LogicalExpression' ? a.left : a.test)));
  }

  find(program: Node): void {
    walkAst(program, (node, ancestors) => {
      const errVar = errorVariable(node, ancestors[ancestors.length - 1]);
      if (errVar) this.scope(node, errVar, ancestors);
      if (node.type === 'CallExpression' || node.type === 'NewExpression') this.debugSetting(node, ancestors);
    });
  }

  private scope(scope: Node, errVar: string, outer: readonly Node[]): void {
    const aliases: Aliases = new Map([[errVar, { kind: 'full', text: errVar }]]);
    const body = scope.type === 'CatchClause' ? scope.body : (scope as unknown as { body: Node }).body;
    walkAst(body, (node, ancestors) => {
      if (node !== body && isFunction(node) && errorVariable(node, ancestors[ancestors.length - 1])) return false;
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
        const what = this.exposure(node.init, aliases);
        if (what) aliases.set(node.id.name, what);
      }
      const sink = this.responseSink(node);
      if (!sink) return;
      const what = this.exposure(sink.value, aliases);
      if (!what) return;
      if (what.kind === 'message' && isClientErrorStatus(sink.status)) return;
      const exposure: ErrorExposure = { kind: 'error-response', what: what.text, via: sink.via, range: rangeOf(node) };
      if (this.devOnly([...outer, ...ancestors])) exposure.devOnly = true;
      this.found.push(exposure);
    });
  }

  /** What of the error an expression carries: the whole error or its stack, or only its message. */
  private exposure(node: Node | null | undefined, aliases: Aliases): Exposure | null {
    if (!node) return null;
    const n = unwrap(node);
    if (n.type === 'Identifier') return aliases.get(n.name) ?? null;
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      const parts = memberParts(n);
      if (!parts || parts.length !== 2 || aliases.get(parts[0]!)?.text !== parts[0]) return null;
      const leak = leakOfErrorMember(parts[1]!);
      return leak ? { kind: leak, text: parts.join('.') } : null;
    }
    if (n.type === 'CallExpression') {
      const callee = memberParts(n.callee as Node);
      const name = callee?.join('.') ?? '';
      if (callee && callee.length === 2 && aliases.get(callee[0]!)?.text === callee[0] && callee[1] === 'toString') return { kind: 'message', text: `${callee[0]}.toString()` };
      if (/^(?:String|util\.inspect|JSON\.stringify|inspect)$/.test(name)) {
        const inner = this.exposure(n.arguments[0] as Node, aliases);
        return inner ? { kind: name === 'String' ? inner.kind : 'full', text: `${name}(${inner.text})` } : null;
      }
      return null;
    }
    if (n.type === 'ObjectExpression') {
      // The worst part decides: `{ message, stack }` leaks the stack.
      let found: Exposure | null = null;
      for (const p of n.properties) {
        const value = p.type === 'ObjectProperty' ? (p.value as Node) : p.type === 'SpreadElement' ? p.argument : null;
        const inner = value ? this.exposure(value, aliases) : null;
        if (inner && (!found || (inner.kind === 'full' && found.kind !== 'full'))) found = inner;
      }
      return found;
    }
    if (n.type === 'TemplateLiteral') {
      for (const e of n.expressions) {
        const inner = this.exposure(e as Node, aliases);
        if (inner) return { kind: inner.kind === 'full' ? 'message' : inner.kind, text: inner.text };
      }
      return null;
    }
    if (n.type === 'BinaryExpression' && n.operator === '+') return this.exposure(n.left as Node, aliases) ?? this.exposure(n.right, aliases);
    if (n.type === 'ConditionalExpression') {
      if (DEV_ONLY_TEST.test(this.source(n.test))) return null;
      return this.exposure(n.consequent, aliases) ?? this.exposure(n.alternate, aliases);
    }
    if (n.type === 'LogicalExpression') return this.exposure(n.left, aliases) ?? this.exposure(n.right, aliases);
    return null;
  }

  /** `res.status(500).json(x)`, `ctx.body = x`, `NextResponse.json(x, { status })`, `throw new InternalServerErrorException(x)`. */
  private responseSink(node: Node): { value: Node | undefined; via: string; status: string | null } | null {
    if (node.type === 'AssignmentExpression' && node.operator === '=') {
      const left = memberParts(node.left as Node);
      if (left && /^ctx\.(?:response\.)?body$/.test(left.join('.'))) return { value: node.right, via: left.join('.'), status: null };
      return null;
    }
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return null;
    const parts = memberParts(node.callee as Node);
    if (!parts) return null;
    const name = `${node.type === 'NewExpression' ? 'new ' : ''}${parts.join('.')}`;
    const entry = ERROR_RESPONSE_JS.find((e) => e.callee.test(name));
    if (!entry) return null;
    const args = node.arguments as Node[];
    const value = args[entry.valueArg];
    let status: string | null = entry.statusFromName ? parts[parts.length - 1]!.replace(/^new /, '') : null;
    const statusCall = /\.(?:status|code)\(\)/.test(`.${parts.join('.')}`) ? this.chainStatus(node.callee as Node) : null;
    if (statusCall) status = statusCall;
    if (entry.statusArg !== undefined) {
      const s = args[entry.statusArg];
      if (s) status = this.statusText(s);
    }
    return { value, via: parts.filter((p) => !/\(\)$/.test(p)).join('.') || name, status };
  }

  private chainStatus(callee: Node): string | null {
    let n: Node | undefined = callee;
    while (n && (n.type === 'MemberExpression' || n.type === 'CallExpression')) {
      if (n.type === 'CallExpression') {
        const parts = memberParts(n.callee as Node);
        if (parts && /^(?:status|code|writeHead)$/.test(parts[parts.length - 1]!)) return n.arguments[0] ? this.statusText(n.arguments[0] as Node) : null;
        n = n.callee as Node;
      } else n = n.object;
    }
    return null;
  }

  /** A status as written: `400`, `HttpStatus.BAD_REQUEST`, or `{ status: 500 }` → `500`. */
  private statusText(node: Node): string {
    const n = unwrap(node);
    if (n.type === 'ObjectExpression') {
      for (const p of n.properties) if (p.type === 'ObjectProperty' && propertyKey(p) === 'status') return this.statusText(p.value as Node);
      return '';
    }
    return this.source(n);
  }

  /** `app.use(errorhandler())` without an environment guard; GraphQL servers with debug or stack traces on. */
  private debugSetting(node: Node & { callee: Node; arguments: Node[] }, ancestors: readonly Node[]): void {
    const parts = memberParts(node.callee);
    if (!parts) return;
    const binding = this.imports.get(parts[0]!);
    const resolved = binding ? [binding.imported === '*' || binding.imported === 'default' ? binding.module : `${binding.module}.${binding.imported}`, ...parts.slice(1)].join('.') : parts.join('.');
    for (const setting of JS_DEBUG_SETTINGS) {
      if (!setting.callee.test(resolved) && !setting.callee.test(parts.join('.'))) continue;
      if (setting.option) {
        const on = node.arguments.some((a) => {
          const n = unwrap(a);
          return n.type === 'ObjectExpression' && n.properties.some((p) => p.type === 'ObjectProperty' && setting.option!.test(propertyKey(p) ?? '') && unwrap(p.value as Node).type === 'BooleanLiteral' && (unwrap(p.value as Node) as { value: boolean }).value);
        });
        if (!on) continue;
      }
      const exposure: ErrorExposure = { kind: 'debug-mode', what: setting.what, via: parts.join('.'), range: rangeOf(node) };
      if (this.devOnly(ancestors)) exposure.devOnly = true;
      this.found.push(exposure);
      return;
    }
  }
}

function extractJsErrorExposures(input: JsFeatureInput, imports: Map<string, ImportBinding>): void {
  const finder = new JsErrorExposureFinder(input.text, imports);
  finder.find(input.ast.program);
  if (finder.found.length > 0) input.facts.errorExposures = finder.found;
}
