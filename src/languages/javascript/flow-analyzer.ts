import type { Node } from '@babel/types';
import { asString, builtString, mergeTaint, paramTaint, sourceTaint, withStep, type Taint } from '../../flow/taint.js';
import { applySummary, isRelativeModule, localCallName, sinkDecision } from '../../flow/summaries.js';
import { isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap } from './ast.js';
import { confinedByOption, exits, isExpression, sequelizeUpdate } from './flow-functions.js';
import { JsFlowState } from './flow-state.js';
// The taint tables' look-ups, remembered per callee text (flow-prescan.ts, model/memo.ts).
import { isJsSanitiser, isPropagator, jsSourceCallFor, jsSourceFor, sinksFor } from './flow-prescan.js';

/** Keys the walk does not descend into. */
const NOT_WALKED = new Set(['loc', 'leadingComments', 'trailingComments', 'innerComments', 'decorators', 'typeAnnotation', 'returnType']);

/** What the pre-scan (flow-prescan.ts) tells the main pass about top-level statements. */
export interface ProgramPlan {
  nothingAhead(statement: Node): boolean;
  quiet(statement: Node): boolean;
}

/** Express-validator chains, celebrate, and validation middlewares in a route's argument list. */
const VALIDATION_MIDDLEWARE =
  /^(?:celebrate|validate|validateRequest|validateBody|validateQuery|validator|checkSchema|body\(\)|query\(\)|param\(\)|check\(\)|oneOf|zValidator|validateResource|validateSchema)$/;

/** Methods whose result is a number or a boolean, whatever the receiver. */
const NON_STRING_METHODS = /^(?:length|indexOf|lastIndexOf|includes|startsWith|endsWith|test|has|size|localeCompare|charCodeAt|search|every|some)$/;

/**
 * The SOC2-004 taint walk of one JS/TS file: statements in source order (`visit`), expressions to their taint
 * (`evaluate`), calls to sources, sinks, sanitisers, local summaries and relative imports.
 */
export class JsFlowAnalyzer extends JsFlowState {
  /**
   * Main pass: the whole program, every function inlined in source order. With the pre-scan's `plan`, a
   * top-level statement is left out while nothing is tainted, when no taint can start from it on, or when it can
   * neither start taint nor vet a name while nothing is vetted either: the walk would leave the state unchanged.
   */
  analyzeProgram(program: Node, plan?: ProgramPlan): void {
    this.reset({ summaryOf: null, exported: false, returned: null });
    if (!plan) {
      this.visit(program);
      return;
    }
    // As visitChildren(program), with the statements filtered.
    for (const key of Object.keys(program)) {
      if (NOT_WALKED.has(key)) continue;
      const child = (program as unknown as Record<string, unknown>)[key];
      if (key === 'body' && Array.isArray(child)) {
        for (const statement of child as Node[]) {
          if (this.env.size === 0 && (plan.nothingAhead(statement) || (this.sanitised.size === 0 && plan.quiet(statement)))) continue;
          this.visitMaybe(statement);
        }
      } else if (Array.isArray(child)) for (const c of child) this.visitMaybe(c);
      else this.visitMaybe(child);
    }
  }

  /** Summary pass for one top-level function or method. */
  analyzeFunction(name: string, fn: Node): void {
    this.reset({ summaryOf: name, exported: this.exported.has(name) || this.exported.has(name.split('.')[0]!), returned: null });
    const params = (fn as unknown as { params: Node[] }).params;
    params.forEach((p, i) => this.bindPattern(p, paramTaint(i, this.step(p))));
    if (this.callsValidationResult(fn)) this.validatedDepth++;
    const scoped = this.enterRequestScope(fn);
    this.visitFunctionBody(fn);
    if (scoped) this.requestScopes.pop();
    this.summaries.setReturn(name, this.unit.returned);
  }

  protected visit(node: Node | null | undefined): void {
    if (!node) return;
    if (isFunction(node)) {
      this.enterFunction(node);
      return;
    }
    switch (node.type) {
      case 'VariableDeclarator': {
        const t = this.evaluate(node.init);
        if (node.id.type === 'Identifier' && node.init && unwrap(node.init).type === 'CallExpression') this.checks.set(node.id.name, node.init);
        if (node.id.type === 'Identifier' && node.init && /^(?:ObjectExpression|ArrayExpression|NewExpression)$/.test(unwrap(node.init).type))
          this.fresh.add(node.id.name);
        this.declare(node.id);
        this.bindPattern(node.id, t, node.id);
        return;
      }
      case 'IfStatement':
        this.guard(node.test, exits(node.consequent));
        this.evaluate(node.test);
        this.branches(node.consequent, node.alternate);
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

  protected visitChildren(node: Node): void {
    for (const key of Object.keys(node)) {
      if (NOT_WALKED.has(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) this.visitMaybe(c);
      else this.visitMaybe(child);
    }
  }

  protected visitMaybe(child: unknown): void {
    if (child && typeof child === 'object' && typeof (child as Node).type === 'string') this.visit(child as Node);
  }

  /** A nested function shares the enclosing environment (closures see the handler's variables). */
  protected enterFunction(fn: Node): void {
    const validated = this.callsValidationResult(fn);
    if (validated) this.validatedDepth++;
    this.fnDepth++;
    this.scopes.enter();
    const cls = this.methodClass.get(fn.start ?? -1);
    if (cls !== undefined) this.classes.push(cls);
    for (const p of (fn as unknown as { params: Node[] }).params) {
      this.declare(p);
      this.bindPattern(p, this.nestParameter(p));
    }
    const scoped = this.enterRequestScope(fn);
    this.visitFunctionBody(fn);
    if (scoped) this.requestScopes.pop();
    if (cls !== undefined) this.classes.pop();
    this.scopes.exit(this.env, this.sanitised);
    this.fnDepth--;
    if (validated) this.validatedDepth--;
  }

  protected visitFunctionBody(fn: Node): void {
    const body = (fn as unknown as { body: Node | null }).body;
    if (!body) return;
    if (body.type === 'BlockStatement') this.visit(body);
    else {
      const t = this.evaluate(body);
      if (this.fnDepth === 0) this.unit.returned = mergeTaint(this.unit.returned, t);
    }
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
          if (p.type === 'ObjectProperty' && propertyKey(p) === '$where') this.whereClause(p);
          else if (p.type === 'ObjectProperty') t = mergeTaint(t, this.evaluate(p.value as Node));
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

  protected member(node: Node & { object: Node; property: Node; computed: boolean }): Taint | null {
    const parts = memberParts(node);
    if (parts) {
      if (this.isSanitised(parts)) return null;
      const source = this.readsRequest(parts) ? jsSourceFor(parts.join('.')) : undefined;
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

  protected template(node: Node & { type: 'TemplateLiteral' }): Taint | null {
    let t: Taint | null = null;
    for (const e of node.expressions) t = mergeTaint(t, this.evaluate(e as Node));
    if (!t) return null;
    const literal = node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' ');
    const first = node.quasis[0]?.value.cooked ?? '';
    return builtString(t, literal, first.length > 1);
  }

  protected binary(node: Node & { type: 'BinaryExpression' }): Taint | null {
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

  /**
   * `user[req.params.field] = v`: the request picks which field is written (mass assignment, or `__proto__`).
   * Objects the function builds itself (`const filters = {}`) are not models and are left out.
   */
  protected fieldChosen(left: Node & { type: 'MemberExpression' }): void {
    const key = this.evaluate(left.property);
    const target = memberParts(left.object);
    if (!key || !target || this.fresh.has(target.join('.')) || this.instances.get(target.join('.')) === ' fresh') return;
    const callee = `${target.join('.')}[${this.label(left.property)}]`;
    this.hit({ taint: key, sink: 'mass-assignment', callee, range: rangeOf(left), step: this.step(left, `${callee} = …`) });
  }

  /** The fixed text of a string expression's literal parts. */
  protected literalText(node: Node): string {
    const s = staticString(node);
    if (s !== null) return s;
    const n = unwrap(node);
    if (n.type === 'BinaryExpression' && n.operator === '+') return `${this.literalText(n.left as Node)} ${this.literalText(n.right)}`;
    if (n.type === 'TemplateLiteral') return n.quasis.map((q) => q.value.cooked ?? '').join(' ');
    return '';
  }

  protected assignment(node: Node & { type: 'AssignmentExpression' }): Taint | null {
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
    if (left.type === 'MemberExpression' && left.computed) this.fieldChosen(left);
    if (parts && t) {
      const step = this.step(left, parts.join('.'));
      this.env.set(parts.join('.'), withStep(t, step));
      const root = parts[0]!;
      if (root !== 'this' && parts.length > 1) this.env.set(root, mergeTaint(this.env.get(root) ?? null, withStep(t, step))!);
    }
    return t;
  }

  protected call(node: Node & { callee: Node; arguments: Node[] }): Taint | null {
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
    const concat = this.concatenation(node, receiver, args);
    if (concat !== undefined) return concat;
    if (raw === null || resolved === null) {
      // `[a, b].join(' ')`, `` `${x}`.trim() ``: a method on a computed receiver keeps its data.
      const c = node.callee;
      const method = c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name : null;
      if (!receiver || method === null || NON_STRING_METHODS.test(method)) return null;
      return method === 'join' ? builtString(receiver, '', receiver.fixedPrefix) : asString(receiver);
    }

    const sourceCall = this.readsRequest(parts ?? []) ? jsSourceCallFor(raw) : undefined;
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

    if (isPropagator(resolved) || isPropagator(raw)) {
      let t: Taint | null = null;
      for (const a of args) t = mergeTaint(t, a);
      // A string (or a Buffer) is never an operator object.
      if (t && /^(?:String|JSON\.stringify|encodeURI\w*|decodeURI\w*|unescape|atob|btoa|Buffer\.from)$/.test(resolved)) t = asString(t);
      return t ? withStep(t, this.step(node)) : null;
    }
    if (receiver) {
      const method = parts![parts!.length - 1]!;
      return NON_STRING_METHODS.test(method) ? null : asString(receiver);
    }
    return null;
  }

  /**
   * Strings built by a call: `'SELECT … ' .concat(x)`, `sql.concat(x)` (String.prototype.concat), and
   * `util.format('SELECT … %s', x)`. Undefined when the call is neither.
   */
  protected concatenation(node: Node & { callee: Node; arguments: Node[] }, receiver: Taint | null, args: Array<Taint | null>): Taint | null | undefined {
    const c = node.callee;
    const method = c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name : null;
    const parts = memberParts(c);
    const format = parts !== null && /^(?:node:)?util\.format$/.test(this.resolvedCallee(parts));
    if (method !== 'concat' && !format) return undefined;
    const object = method === 'concat' && c.type === 'MemberExpression' ? (c.object as Node) : null;
    let t = method === 'concat' ? receiver : null;
    for (const a of args) t = mergeTaint(t, a);
    if (!t) return null;
    const first = object ?? node.arguments[0];
    const literal = [first, ...node.arguments].map((n) => (n ? this.literalText(n) : '')).join(' ');
    const startsFixed = first !== undefined && (object ? receiver === null : args[0] === null) && this.literalText(first).length > 1;
    return withStep(builtString(t, literal, startsFixed), this.step(node));
  }

  /** A route whose arguments include a validation middleware validates the handler's request data. */
  protected validatesSiblings(args: Node[]): boolean {
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

  protected checkSinks(node: Node & { arguments: Node[] }, raw: string, resolved: string, args: Array<Taint | null>): void {
    const entries = [...sinksFor(resolved), ...(resolved !== raw ? sinksFor(raw) : [])];
    for (const entry of entries) {
      if (entry.needsShellOption && !node.arguments.some((a) => this.hasOptionTrue(a, 'shell'))) continue;
      if (entry.needsOption && !node.arguments.some((a) => this.hasOptionTrue(a, entry.needsOption!))) continue;
      if (entry.confinedBy && confinedByOption(node.arguments.slice(1), entry.confinedBy)) continue;
      if (entry.objectLiteral && sequelizeUpdate(raw, node.arguments)) continue;
      const positions = entry.args === 'all' ? args.map((_, i) => i) : entry.args;
      for (const i of positions) {
        const t = args[i] ?? null;
        const argNode = node.arguments[i];
        if (!t || !argNode) continue;
        if (entry.objectLiteral) {
          const n = unwrap(argNode);
          if (n.type !== 'ObjectExpression') continue;
          // `{ where: { … } }` is a Sequelize/TypeORM options object: values are bound, operators are symbols.
          if (n.properties.some((p) => p.type === 'ObjectProperty' && propertyKey(p) === 'where')) continue;
          // `doc.update({ … })` with one argument sets values (Sequelize instances); a Mongo update takes a filter first.
          if (/(?:^|\.)(?:update|updateOne|updateMany|findOneAndUpdate|replaceOne|findOneAndReplace)$/.test(raw) && node.arguments.length < 2) continue;
        }
        const decision = sinkDecision(entry.condition, t, this.unit.summaryOf !== null);
        if (decision === 'no') continue;
        const callee = raw.replace(/^new /, '');
        const pending = decision === 'pending' && entry.condition !== 'any' ? { pending: entry.condition } : {};
        this.hit({ taint: t, ...pending, sink: entry.kind, callee, range: rangeOf(node), step: this.step(node, `${callee}(…)`) });
        return;
      }
    }
  }

  /**
   * `{ $where: 'this.a == ' + x }`: JavaScript the database evaluates, a sink where the filter is written (it may
   * be returned by a helper and passed to `find` elsewhere). Only a MongoDB filter has a `$where` key.
   */
  protected whereClause(p: Node & { type: 'ObjectProperty' }): void {
    const t = this.evaluate(p.value as Node);
    if (!t) return;
    this.hit({ taint: t, sink: 'code', callee: '$where', range: rangeOf(p), step: this.step(p, '$where: …') });
  }

  protected hasOptionTrue(arg: Node, option: string): boolean {
    const n = unwrap(arg);
    if (n.type !== 'ObjectExpression') return false;
    return n.properties.some((p) => {
      if (p.type !== 'ObjectProperty' || propertyKey(p) !== option) return false;
      const value = unwrap(p.value as Node);
      return !(value.type === 'BooleanLiteral' && !value.value);
    });
  }

  /** A call into a function of this file: its summary says which arguments reach sinks or the result. */
  protected localCall(node: Node, parts: string[], args: Array<Taint | null>): Taint | null | undefined {
    const instance = this.receiverClass(parts);
    const name = instance ? `${instance.cls}.${instance.method}` : localCallName(parts, 'this');
    const summary = name === null ? undefined : this.summaries.find(name, this.ownClass());
    if (!summary) return undefined;
    return applySummary(summary, args, this.step(node), this.unit.summaryOf !== null, (h) => this.hit(h));
  }

  /** A call into a relative import passing request data: resolved later against that file's summaries. */
  protected importedCall(node: Node, parts: string[], args: Array<Taint | null>): void {
    if (!args.some((a) => a !== null)) return;
    let module: string;
    let name: string;
    const binding = this.imports.get(parts[0]!);
    if (binding && isRelativeModule(binding.module)) {
      module = binding.module;
      const member = parts.slice(1).join('.');
      name =
        binding.imported === '*' || binding.imported === 'default' ? member || binding.imported : member ? `${binding.imported}.${member}` : binding.imported;
    } else if ((parts[0] === 'this' && parts.length === 3) || (parts.length === 2 && this.instances.has(parts[0]!))) {
      // `this.usersService.search(q)` with `usersService: UsersService` injected, `dao.find(q)` with
      // `dao = new UserDAO(db)`: that class's method, not any imported class's method of the same name.
      const instance = this.receiverClass(parts);
      const type = instance?.cls;
      const typeBinding = type === undefined ? undefined : this.imports.get(type);
      if (type !== undefined && typeBinding && isRelativeModule(typeBinding.module) && typeBinding.imported !== '*') {
        module = typeBinding.module;
        name = `${typeBinding.imported === 'default' ? type : typeBinding.imported}.${instance!.method}`;
      } else if (parts[0] === 'this') {
        module = '*';
        name = `.${parts[2]}`;
      } else return;
    } else return;
    args.forEach((t, i) => {
      if (t) this.collector.importedCall(module, name, i, t, this.step(node, `${parts.join('.')}(…)`), this.unit.exported ? this.unit.summaryOf : null);
    });
  }
}
