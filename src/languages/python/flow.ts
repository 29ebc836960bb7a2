import type { Node } from 'web-tree-sitter';
import type { ErrorExposure, FlowStep } from '../../model/data-flow.js';
import { FlowCollector, asString, builtString, mergeTaint, paramTaint, sourceTaint, withStep, type SinkHit, type Taint } from '../../flow/taint.js';
import { LocalSummaries, applySummary, isRelativeModule, localCallName, sinkDecision, summariseFunctions, type ImportBinding } from '../../flow/summaries.js';
import { FunctionScopes } from '../../flow/scopes.js';
import {
  PY_PROPAGATORS,
  PY_RAW_ANNOTATION,
  PY_ROUTE_DECORATOR,
  isPySanitiser,
  pySinksFor,
  pySourceCallFor,
  pySourceFor,
} from './tables/taint.js';
import {
  DEV_ONLY_CLASS,
  ERROR_RESPONSE_PY,
  PY_DEBUG_CALLS,
  PY_DEBUG_TOOLBARS,
  PY_TRACEBACK_CALLS,
  isClientErrorStatus,
  leakOfErrorMember,
} from '../../model/error-exposure.js';
import { callArguments, codeChildren, compact, decoratorsOf, dottedParts, nodeRange, unwrapParens } from './ast.js';
import type { PyFeatureInput } from './feature-input.js';

/**
 * SOC2-004 and SOC2-007 facts for Python: the same taint walk as for JS (source order, nested functions share
 * the enclosing environment, two rounds of per-function summaries), and the places where exception details
 * reach a response or debug output is switched on.
 */

/** Methods whose result is a number or a boolean. */
const NON_STRING_METHODS = /^(?:isdigit|isnumeric|isdecimal|isalnum|isalpha|startswith|endswith|count|find|index|rfind|__len__|isidentifier|islower|isupper)$/;

/** Guards that vet a value: `x in ALLOWED`, `x.isdigit()`, `re.fullmatch(p, x)`, `isinstance(x, str)`. */
const GUARD_CALLS = /(?:^|\.)(?:isdigit|isnumeric|isdecimal|isalnum|isalpha|match|fullmatch|isinstance|startswith|is_valid|is_safe_url|url_has_allowed_host_and_scheme|validate\w*|is_\w+)$/;

/** Flask `<int:id>` converters. */
const TYPED_CONVERTER = /<(?:int|float|uuid):(\w+)>/g;

function step(node: Node, label: string): FlowStep {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, label };
}

function label(node: Node): string {
  const text = compact(node.text).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function isTrue(node: Node | undefined | null): boolean {
  return unwrapParens(node ?? null)?.type === 'true';
}

interface Unit {
  summaryOf: string | null;
  exported: boolean;
  returned: Taint | null;
}

class PyFlowAnalyzer {
  private env = new Map<string, Taint>();
  private sanitised = new Set<string>();
  private fnDepth = 0;
  private unit: Unit = { summaryOf: null, exported: false, returned: null };
  /** Locals of the functions being walked, and the names each declares `global`/`nonlocal` (not locals). */
  private readonly scopes = new FunctionScopes();
  private readonly outerNames: Array<Set<string>> = [];
  /** The class of each method of the module, by the method's start offset, and the classes being walked. */
  private readonly methodClass = new Map<number, string>();
  private readonly classes: string[] = [];

  constructor(
    private readonly imports: Map<string, ImportBinding>,
    private readonly summaries: LocalSummaries,
    private readonly collector: FlowCollector,
    private readonly path: string,
  ) {}

  /** `from sqli.dao.student import Student` in `sqli/views.py`: an absolute import of the file's own package. */
  private isProjectModule(module: string): boolean {
    const top = module.split('.')[0]!;
    return this.path.split('/').slice(0, -1).includes(top);
  }

  resolvedCallee(parts: string[]): string {
    const binding = this.imports.get(parts[0]!);
    if (!binding) return parts.join('.');
    const head = binding.imported === '*' ? binding.module : `${binding.module}.${binding.imported}`;
    return [head, ...parts.slice(1)].join('.');
  }

  /** Methods as `Class.method` from the module's function list: `self.m()` is looked up in its own class first. */
  setMethods(functions: ReadonlyArray<{ name: string; node: Node }>): void {
    for (const f of functions) {
      const dot = f.name.lastIndexOf('.');
      if (dot > 0) this.methodClass.set(f.node.startIndex, f.name.slice(0, dot));
    }
  }

  /** The class whose method is being walked (`self` is an instance of it), or null. */
  private ownClass(): string | null {
    const walking = this.classes[this.classes.length - 1];
    if (walking !== undefined) return walking;
    const name = this.unit.summaryOf;
    return name !== null && name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : null;
  }

  analyzeModule(root: Node): void {
    this.reset({ summaryOf: null, exported: false, returned: null });
    this.visit(root);
  }

  analyzeFunction(name: string, fn: Node): void {
    // Every top-level function of a module can be imported (no export list); private `_names` too.
    this.reset({ summaryOf: name, exported: true, returned: null });
    // Methods are called as `self.m(x)` / `obj.m(x)`: argument 0 is the parameter after self.
    const params = parameterNames(fn).filter((p, i) => !(i === 0 && (p.name === 'self' || p.name === 'cls')));
    params.forEach((p, i) => this.env.set(p.name, paramTaint(i, step(p.node, p.name))));
    const body = fn.childForFieldName('body');
    if (body) this.visit(body);
    this.summaries.setReturn(name, this.unit.returned);
  }

  private reset(unit: Unit): void {
    this.env = new Map();
    this.sanitised = new Set();
    this.fnDepth = 0;
    this.scopes.reset();
    this.outerNames.length = 0;
    this.classes.length = 0;
    this.unit = unit;
  }

  private hit(hit: SinkHit): void {
    if (this.unit.summaryOf !== null) this.summaries.addSink(this.unit.summaryOf, hit);
    this.collector.sinkHit(hit, this.unit.summaryOf !== null && this.unit.exported ? this.unit.summaryOf : null);
  }

  private visit(node: Node | null): void {
    if (!node) return;
    switch (node.type) {
      case 'function_definition':
        this.enterFunction(node);
        return;
      case 'assignment':
        this.assignment(node);
        return;
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = this.evaluate(node.childForFieldName('right'));
        const name = left?.type === 'identifier' ? left.text : null;
        if (!name) return;
        const before = this.env.get(name) ?? null;
        const rightNode = node.childForFieldName('right');
        const literal = rightNode?.type === 'string' ? rightNode.text : '';
        const merged = mergeTaint(before, right);
        if (merged) this.env.set(name, builtString(merged, literal, before ? before.fixedPrefix : true));
        return;
      }
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement': {
        const condition = node.childForFieldName('condition');
        const body = node.childForFieldName('consequence') ?? node.childForFieldName('body');
        if (condition) this.guard(condition, node.type !== 'while_statement' && body !== null && pyExits(body));
        this.evaluate(condition);
        for (const c of codeChildren(node)) if (c !== condition) this.visit(c);
        return;
      }
      case 'return_statement': {
        const value = codeChildren(node)[0] ?? null;
        const t = this.evaluate(value);
        if (this.fnDepth === 0) this.unit.returned = mergeTaint(this.unit.returned, t);
        return;
      }
      case 'for_statement': {
        const t = this.evaluate(node.childForFieldName('right'));
        this.bind(node.childForFieldName('left'), t, null);
        this.visit(node.childForFieldName('body'));
        return;
      }
      case 'with_item': {
        const value = node.childForFieldName('value');
        if (value?.type === 'as_pattern') {
          const t = this.evaluate(codeChildren(value)[0] ?? null);
          this.bind(value.childForFieldName('alias')?.firstNamedChild ?? null, t, null);
        } else this.evaluate(value);
        return;
      }
      case 'expression_statement':
        for (const c of codeChildren(node)) {
          if (c.type === 'assignment' || c.type === 'augmented_assignment') this.visit(c);
          else this.evaluate(c);
        }
        return;
      case 'decorator':
        return;
      default:
        for (const c of codeChildren(node)) this.visit(c);
    }
  }

  /** A function's parameters and the names it assigns are its own: they end with it (see FunctionScopes). */
  private enterFunction(fn: Node): void {
    this.fnDepth++;
    this.scopes.enter();
    const cls = this.methodClass.get(fn.startIndex);
    if (cls !== undefined) this.classes.push(cls);
    const body = fn.childForFieldName('body');
    this.outerNames.push(new Set(body ? body.descendantsOfType(['global_statement', 'nonlocal_statement']).flatMap((g) => (g ? codeChildren(g).map((c) => c.text) : [])) : []));
    for (const p of parameterNames(fn)) this.declare(p.name);
    for (const p of routeParameters(fn)) this.env.set(p.name, sourceTaint(p.label, step(p.node, p.label), p.object));
    if (body) this.visit(body);
    if (cls !== undefined) this.classes.pop();
    this.outerNames.pop();
    this.scopes.exit(this.env, this.sanitised);
    this.fnDepth--;
  }

  /** `name` becomes a local of the innermost function (unbound until assigned), unless declared global there. */
  private declare(name: string): void {
    if (this.scopes.depth === 0 || this.outerNames[this.outerNames.length - 1]?.has(name)) return;
    this.scopes.declare(name, this.env, this.sanitised);
    this.env.delete(name);
    this.sanitised.delete(name);
  }

  private assignment(node: Node): void {
    let right = node.childForFieldName('right');
    const targets: Array<Node | null> = [node.childForFieldName('left')];
    while (right && right.type === 'assignment') {
      targets.push(right.childForFieldName('left'));
      right = right.childForFieldName('right');
    }
    const t = this.evaluate(right);
    for (const target of targets) this.bind(target, t, target);
  }

  private bind(target: Node | null, t: Taint | null, stepNode: Node | null): void {
    if (!target) return;
    if (target.type === 'identifier') {
      const name = target.text;
      this.declare(name);
      if (t) this.env.set(name, stepNode ? withStep(t, step(stepNode, name)) : t);
      else this.env.delete(name);
      this.sanitised.delete(name);
      return;
    }
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'tuple' || target.type === 'list') {
      for (const c of codeChildren(target)) this.bind(c, t, stepNode);
      return;
    }
    if (target.type === 'attribute' || target.type === 'subscript') {
      const parts = dottedParts(target);
      if (target.type === 'subscript') for (const k of target.childrenForFieldName('subscript')) this.evaluate(k);
      if (!parts || !t) return;
      const s = withStep(t, step(target, parts.join('.')));
      this.env.set(parts.join('.'), s);
      if (parts[0] !== 'self') this.env.set(parts[0]!, mergeTaint(this.env.get(parts[0]!) ?? null, s)!);
    }
  }

  /** `exiting`: see the JS guard — `!=` a literal vets only before an `if` body that returns or raises. */
  private guard(condition: Node, exiting = false): void {
    const n = unwrapParens(condition);
    if (!n) return;
    if (n.type === 'not_operator') return this.guard(n.childForFieldName('argument')!, exiting);
    if (n.type === 'boolean_operator') {
      this.guard(n.childForFieldName('left')!, exiting);
      this.guard(n.childForFieldName('right')!, exiting);
      return;
    }
    if (n.type === 'comparison_operator') {
      const operands = codeChildren(n);
      const operators = n.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
      if (operators.includes('in') || operators.includes('not in')) this.markSanitised(operands[0]!);
      else if (exiting && operators.includes('!=') && operands.some((o) => o.type === 'string')) this.markSanitised(operands[0]!);
      return;
    }
    if (n.type === 'call') {
      const parts = dottedParts(n.childForFieldName('function'));
      if (!parts || !GUARD_CALLS.test(parts.join('.'))) return;
      const { positional } = callArguments(n);
      for (const a of positional) this.markSanitised(a);
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute') this.markSanitised(fn.childForFieldName('object')!);
    }
  }

  private markSanitised(node: Node): void {
    const parts = dottedParts(node);
    if (parts) this.sanitised.add(parts.join('.'));
  }

  private isSanitised(parts: string[]): boolean {
    for (let i = parts.length; i > 0; i--) if (this.sanitised.has(parts.slice(0, i).join('.'))) return true;
    return false;
  }

  evaluate(node: Node | null): Taint | null {
    if (!node) return null;
    switch (node.type) {
      case 'identifier':
        return this.sanitised.has(node.text) ? null : (this.env.get(node.text) ?? null);
      case 'attribute':
      case 'subscript':
        return this.member(node);
      case 'string':
        return this.fString(node);
      case 'concatenated_string': {
        let t: Taint | null = null;
        for (const c of codeChildren(node)) t = mergeTaint(t, this.evaluate(c));
        return t;
      }
      case 'binary_operator':
        return this.binary(node);
      case 'call':
        return this.call(node);
      case 'await':
      case 'parenthesized_expression':
        return this.evaluate(codeChildren(node)[0] ?? null);
      case 'conditional_expression': {
        const parts = codeChildren(node);
        if (parts[1]) this.guard(parts[1]);
        this.evaluate(parts[1] ?? null);
        return mergeTaint(this.evaluate(parts[0] ?? null), this.evaluate(parts[2] ?? null));
      }
      case 'boolean_operator':
        return mergeTaint(this.evaluate(node.childForFieldName('left')), this.evaluate(node.childForFieldName('right')));
      case 'dictionary': {
        let t: Taint | null = null;
        for (const pair of codeChildren(node)) {
          if (pair.type === 'pair') t = mergeTaint(t, this.evaluate(pair.childForFieldName('value')));
          else t = mergeTaint(t, this.evaluate(pair));
        }
        return t;
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
      case 'list_splat':
      case 'dictionary_splat': {
        let t: Taint | null = null;
        for (const c of codeChildren(node)) t = mergeTaint(t, this.evaluate(c));
        return t;
      }
      case 'named_expression': {
        const t = this.evaluate(node.childForFieldName('value'));
        this.bind(node.childForFieldName('name'), t, node);
        return t;
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension':
      case 'dictionary_comprehension': {
        for (const clause of codeChildren(node)) {
          if (clause.type === 'for_in_clause') this.bind(clause.childForFieldName('left'), this.evaluate(clause.childForFieldName('right')), null);
        }
        return this.evaluate(node.childForFieldName('body'));
      }
      case 'lambda':
        this.evaluate(node.childForFieldName('body'));
        return null;
      case 'not_operator':
      case 'comparison_operator':
      case 'unary_operator':
        for (const c of codeChildren(node)) this.evaluate(c);
        return null;
      default:
        for (const c of codeChildren(node)) this.evaluate(c);
        return null;
    }
  }

  private member(node: Node): Taint | null {
    const parts = dottedParts(node);
    if (parts) {
      if (this.isSanitised(parts)) return null;
      const source = pySourceFor(parts.join('.'));
      if (source) return sourceTaint(label(node), step(node, label(node)), source.object);
      const field = this.env.get(parts.join('.'));
      if (field) return field;
    }
    if (node.type === 'subscript') {
      for (const k of node.childrenForFieldName('subscript')) this.evaluate(k);
      return this.evaluate(node.childForFieldName('value'));
    }
    const object = this.evaluate(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute')?.text ?? '';
    if (!object || NON_STRING_METHODS.test(attribute)) return null;
    // `form.cleaned_data`, `serializer.validated_data`: validated by the form/serializer.
    if (/^(?:cleaned_data|validated_data)$/.test(attribute)) return null;
    return object;
  }

  /** f-strings: interpolated values are built into the string. */
  private fString(node: Node): Taint | null {
    let t: Taint | null = null;
    for (const c of node.namedChildren) if (c?.type === 'interpolation') t = mergeTaint(t, this.evaluate(c.childForFieldName('expression') ?? codeChildren(c)[0] ?? null));
    if (!t) return null;
    const parts = node.namedChildren.filter((c): c is Node => c?.type === 'string_content');
    const first = node.namedChildren.find((c) => c?.type === 'string_content' || c?.type === 'interpolation');
    return builtString(t, parts.map((p) => p.text).join(' '), first?.type === 'string_content' && first.text.length > 1);
  }

  private binary(node: Node): Taint | null {
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const left = this.evaluate(leftNode);
    const right = this.evaluate(rightNode);
    const operator = node.childForFieldName('operator')?.type;
    if (operator !== '+' && operator !== '%') return null;
    const t = mergeTaint(left, right);
    if (!t) return null;
    const literal = `${literalText(leftNode)} ${literalText(rightNode)}`;
    const startsFixed = left === null ? literalText(leftNode) !== '/' : left.fixedPrefix;
    return builtString(t, literal, startsFixed);
  }

  private call(node: Node): Taint | null {
    const fn = node.childForFieldName('function');
    const parts = dottedParts(fn);
    let receiver: Taint | null = null;
    if (fn?.type === 'attribute') receiver = this.evaluate(fn.childForFieldName('object'));
    else if (!parts) this.evaluate(fn);
    const { positional, keywords } = callArguments(node);
    const args = positional.map((a) => this.evaluate(a));
    const kwargs = new Map<string, Taint | null>();
    for (const [k, v] of keywords) kwargs.set(k, this.evaluate(v));
    const list = node.childForFieldName('arguments');
    for (const c of list ? codeChildren(list) : []) if (c.type === 'list_splat' || c.type === 'dictionary_splat') args.push(this.evaluate(c));
    // `'… {}'.format(x)` builds a string.
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && fn.childForFieldName('object')?.type === 'string') {
      let t: Taint | null = null;
      for (const a of [...args, ...kwargs.values()]) t = mergeTaint(t, a);
      const template = fn.childForFieldName('object')!;
      return t ? builtString(t, template.text, !/^[rbuf]*['"]{1,3}\{/i.test(template.text)) : null;
    }
    if (!parts) return receiver && fn?.type === 'attribute' ? asString(receiver) : null;
    const raw = parts.join('.');
    const resolved = this.resolvedCallee(parts);

    const sourceCall = pySourceCallFor(raw);
    if (sourceCall && !this.isSanitised(parts)) return sourceTaint(label(node), step(node, label(node)), sourceCall.object);
    // `request.args.get('q')`: the source reads best with its key.
    const mapping = /^(?:get|getlist|getone|getall)$/.test(parts[parts.length - 1]!) ? pySourceFor(parts.slice(0, -1).join('.')) : undefined;
    if (mapping && !this.isSanitised(parts.slice(0, -1))) return sourceTaint(label(node), step(node, label(node)), mapping.object);
    // A function of this file is judged by its summary, not by its name.
    const local = this.localCall(node, parts, args);
    if (local !== undefined) return local;
    // A function imported from the project is judged by its summary (resolved across files), not by its name.
    const binding = parts.length === 1 ? this.imports.get(parts[0]!) : undefined;
    if (!binding || !(isRelativeModule(binding.module) || this.isProjectModule(binding.module))) this.checkSinks(node, raw, resolved, positional, keywords, args, kwargs);
    if (isPySanitiser(resolved) || isPySanitiser(raw)) return null;
    this.importedCall(node, parts, args);

    if (PY_PROPAGATORS.test(resolved) || PY_PROPAGATORS.test(raw)) {
      let t: Taint | null = receiver && /\.join$/.test(raw) ? receiver : null;
      for (const a of args) t = mergeTaint(t, a);
      return t ? withStep(t, step(node, label(node))) : null;
    }
    if (receiver) {
      const method = parts[parts.length - 1]!;
      return NON_STRING_METHODS.test(method) ? null : method === 'get' ? receiver : asString(receiver);
    }
    return null;
  }

  private checkSinks(
    node: Node,
    raw: string,
    resolved: string,
    positional: Node[],
    keywords: Map<string, Node>,
    args: Array<Taint | null>,
    kwargs: Map<string, Taint | null>,
  ): void {
    const entries = [...pySinksFor(resolved), ...(resolved !== raw ? pySinksFor(raw) : [])];
    for (const entry of entries) {
      if (entry.needsShellTrue && !isTrue(keywords.get('shell'))) continue;
      if (entry.unlessSafeLoader && /Safe|BaseLoader/.test((keywords.get('Loader') ?? positional[1])?.text ?? '')) continue;
      if (entry.unlessSafeLoader && /^yaml\./.test(resolved) && !/load$|load_all$/.test(resolved)) continue;
      const candidates: Array<{ t: Taint | null; n: Node | undefined }> = entry.args.map((i) => ({ t: args[i] ?? null, n: positional[i] }));
      for (const k of entry.keywords ?? []) candidates.push({ t: kwargs.get(k) ?? null, n: keywords.get(k) });
      for (const { t, n } of candidates) {
        if (!t || !n) continue;
        if (entry.dictLiteral) {
          const d = unwrapParens(n);
          if (d?.type !== 'dictionary') continue;
          if (/(?:^|\.)(?:update_one|update_many|replace_one|find_one_and_update)$/.test(raw) && positional.length < 2) continue;
          if (this.whereClause(d)) {
            this.hit({ taint: t, sink: entry.kind, callee: raw, range: nodeRange(node), step: step(node, `${raw}(…)`) });
            return;
          }
        }
        const decision = sinkDecision(entry.condition, t, this.unit.summaryOf !== null);
        if (decision === 'no') continue;
        const pending = decision === 'pending' && entry.condition !== 'any' ? { pending: entry.condition } : {};
        this.hit({ taint: t, ...pending, sink: entry.kind, callee: raw, range: nodeRange(node), step: step(node, `${raw}(…)`) });
        return;
      }
    }
  }

  private whereClause(dict: Node): Taint | null {
    for (const pair of codeChildren(dict)) {
      const key = pair.childForFieldName('key');
      if (pair.type === 'pair' && key?.type === 'string' && /\$where/.test(key.text)) return this.evaluate(pair.childForFieldName('value'));
    }
    return null;
  }

  private localCall(node: Node, parts: string[], args: Array<Taint | null>): Taint | null | undefined {
    const name = localCallName(parts, 'self');
    const summary = name === null ? undefined : this.summaries.find(name, this.ownClass());
    if (!summary) return undefined;
    return applySummary(summary, args, step(node, label(node)), this.unit.summaryOf !== null, (h) => this.hit(h));
  }

  private importedCall(node: Node, parts: string[], args: Array<Taint | null>): void {
    if (!args.some((a) => a !== null)) return;
    const binding = this.imports.get(parts[0]!);
    if (!binding || !(isRelativeModule(binding.module) || this.isProjectModule(binding.module))) return;
    const name = binding.imported === '*' ? parts.slice(1).join('.') : [binding.imported, ...parts.slice(1)].join('.');
    args.forEach((t, i) => {
      if (t) this.collector.importedCall(binding.module, name, i, t, step(node, `${parts.join('.')}(…)`));
    });
  }
}

/** A block whose last statement returns or raises. */
function pyExits(block: Node): boolean {
  const last = codeChildren(block).at(-1);
  return last !== undefined && (last.type === 'return_statement' || last.type === 'raise_statement');
}

function literalText(node: Node | null): string {
  const n = unwrapParens(node);
  if (!n) return '';
  if (n.type === 'string') return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join(' ');
  if (n.type === 'binary_operator') return `${literalText(n.childForFieldName('left'))} ${literalText(n.childForFieldName('right'))}`;
  if (n.type === 'concatenated_string') return codeChildren(n).map(literalText).join('');
  return '';
}

interface Parameter {
  name: string;
  node: Node;
  annotation: string | null;
  default: Node | null;
}

function parameterNames(fn: Node): Parameter[] {
  const params = fn.childForFieldName('parameters');
  const out: Parameter[] = [];
  for (const p of params ? codeChildren(params) : []) {
    if (p.type === 'identifier') out.push({ name: p.text, node: p, annotation: null, default: null });
    else if (p.type === 'typed_parameter') {
      const id = codeChildren(p).find((c) => c.type === 'identifier');
      if (id) out.push({ name: id.text, node: id, annotation: compact(p.childForFieldName('type')?.text ?? ''), default: null });
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const id = p.childForFieldName('name');
      if (id) out.push({ name: id.text, node: id, annotation: p.childForFieldName('type') ? compact(p.childForFieldName('type')!.text) : null, default: p.childForFieldName('value') });
    }
  }
  return out;
}

/**
 * Parameters of a route handler that carry raw request data: FastAPI/Starlette parameters typed `str`, `dict`,
 * `Any` or untyped (a pydantic model or `int` validates), Flask URL parts without an `int`/`float`/`uuid` converter.
 */
function routeParameters(fn: Node): Array<{ name: string; node: Node; label: string; object: boolean }> {
  const decorators = decoratorsOf(fn).filter((d) => PY_ROUTE_DECORATOR.test(d));
  if (decorators.length === 0) return [];
  const flask = decorators.some((d) => /\.route\(/.test(d) && /<\w/.test(d));
  const typed = new Set<string>();
  for (const d of decorators) for (const m of d.matchAll(TYPED_CONVERTER)) typed.add(m[1]!);
  const out: Array<{ name: string; node: Node; label: string; object: boolean }> = [];
  for (const p of parameterNames(fn)) {
    if (p.name === 'self' || p.name === 'request' || p.name === 'req' || typed.has(p.name)) continue;
    const defaultText = p.default ? compact(p.default.text) : '';
    if (/^(?:Depends|Security)\(/.test(defaultText)) continue;
    if (flask) {
      if (decorators.some((d) => d.includes(`<${p.name}>`) || d.includes(`:${p.name}>`))) out.push({ name: p.name, node: p.node, label: p.name, object: false });
      continue;
    }
    const annotation = p.annotation ?? '';
    if (annotation !== '' && !PY_RAW_ANNOTATION.test(annotation)) continue;
    if (/^Request\b/.test(annotation)) continue;
    out.push({ name: p.name, node: p.node, label: `${p.name}${annotation ? `: ${annotation}` : ''}`, object: /dict|Dict|Any|object/.test(annotation) });
  }
  return out;
}

function importBindings(input: PyFeatureInput): Map<string, ImportBinding> {
  const map = new Map<string, ImportBinding>();
  for (const fact of input.facts.imports) for (const n of fact.names) map.set(n.local, { module: fact.module, imported: n.imported });
  return map;
}

/** Module-level functions and class methods (`Class.method`). */
function topLevelFunctions(root: Node): Array<{ name: string; node: Node }> {
  const out: Array<{ name: string; node: Node }> = [];
  const definition = (n: Node): Node => (n.type === 'decorated_definition' ? (n.childForFieldName('definition') ?? n) : n);
  for (const child of codeChildren(root)) {
    const d = definition(child);
    if (d.type === 'function_definition') {
      const name = d.childForFieldName('name')?.text;
      if (name) out.push({ name, node: d });
    } else if (d.type === 'class_definition') {
      const cls = d.childForFieldName('name')?.text;
      const body = d.childForFieldName('body');
      for (const m of body ? codeChildren(body) : []) {
        const md = definition(m);
        const name = md.type === 'function_definition' ? md.childForFieldName('name')?.text : undefined;
        if (cls && name) out.push({ name: `${cls}.${name}`, node: md });
      }
    }
  }
  return out;
}

export function extractPyFlows(input: PyFeatureInput): void {
  const root = input.tree.rootNode;
  const collector = new FlowCollector();
  const summaries = new LocalSummaries();
  const imports = importBindings(input);
  const analyzer = new PyFlowAnalyzer(imports, summaries, collector, input.path);
  const functions = topLevelFunctions(root);
  analyzer.setMethods(functions);
  summariseFunctions(functions, summaries, (f) => analyzer.analyzeFunction(f.name, f.node));
  analyzer.analyzeModule(root);
  const flows = collector.result();
  if (flows) input.facts.dataFlow = flows;
  const exposures = findPyErrorExposures(root, input.path, imports);
  if (exposures.length > 0) input.facts.errorExposures = exposures;
}

interface Exposure {
  kind: 'full' | 'message';
  text: string;
}

/** What of an exception an expression carries (`str(e)`, `f"{e}"`, `e.args`, `traceback.format_exc()`). */
function exposureOf(node: Node | null, aliases: Map<string, Exposure>): Exposure | null {
  const n = unwrapParens(node);
  if (!n) return null;
  switch (n.type) {
    case 'identifier':
      return aliases.get(n.text) ?? null;
    case 'attribute': {
      const parts = dottedParts(n);
      if (!parts || parts.length !== 2 || aliases.get(parts[0]!)?.text !== parts[0]) return null;
      const leak = leakOfErrorMember(parts[1]!);
      return leak ? { kind: leak, text: parts.join('.') } : null;
    }
    case 'call': {
      const parts = dottedParts(n.childForFieldName('function'));
      const name = parts?.join('.') ?? '';
      if (PY_TRACEBACK_CALLS.test(name)) return { kind: 'full', text: `${name}()` };
      const { positional } = callArguments(n);
      if (/^(?:str|repr|format)$/.test(name)) {
        const inner = exposureOf(positional[0] ?? null, aliases);
        return inner ? { kind: inner.kind, text: `${name}(${inner.text})` } : null;
      }
      if (/(?:^|\.)(?:join|format)$/.test(name)) {
        for (const a of positional) {
          const inner = exposureOf(a, aliases);
          if (inner) return inner;
        }
      }
      return null;
    }
    case 'string':
      for (const c of n.namedChildren) {
        if (c?.type !== 'interpolation') continue;
        const inner = exposureOf(c.childForFieldName('expression') ?? codeChildren(c)[0] ?? null, aliases);
        if (inner) return inner;
      }
      return null;
    case 'binary_operator':
      return exposureOf(n.childForFieldName('left'), aliases) ?? exposureOf(n.childForFieldName('right'), aliases);
    case 'dictionary': {
      // The worst part decides: `{'error': str(e), 'trace': traceback.format_exc()}` leaks the trace.
      let found: Exposure | null = null;
      for (const pair of codeChildren(n)) {
        const inner = exposureOf(pair.type === 'pair' ? pair.childForFieldName('value') : pair, aliases);
        if (inner && (!found || (inner.kind === 'full' && found.kind !== 'full'))) found = inner;
      }
      return found;
    }
    case 'list':
    case 'tuple':
    case 'expression_list':
    case 'concatenated_string':
      for (const c of codeChildren(n)) {
        const inner = exposureOf(c, aliases);
        if (inner) return inner;
      }
      return null;
    case 'keyword_argument':
      return exposureOf(n.childForFieldName('value'), aliases);
    default:
      return null;
  }
}

/** A response built from the exception, with its status when written (`status_code=500`, `return …, 400`). */
function responseStatus(call: Node | null, tupleStatus: Node | null): string | null {
  if (tupleStatus) return compact(tupleStatus.text);
  if (!call) return null;
  const { positional, keywords } = callArguments(call);
  const kw = keywords.get('status_code') ?? keywords.get('status') ?? keywords.get('code');
  if (kw) return compact(kw.text);
  const name = dottedParts(call.childForFieldName('function'))?.join('.') ?? '';
  if (/^(?:HTTPException|abort)$/.test(name) && positional[0]) return compact(positional[0].text);
  if (/^HttpResponse\w+$/.test(name)) return name;
  return null;
}

function isViewFunction(fn: Node | null): boolean {
  if (!fn) return false;
  if (decoratorsOf(fn).some((d) => PY_ROUTE_DECORATOR.test(d) || /errorhandler|exception_handler|api_view|app\.(?:get|post)/.test(d))) return true;
  const first = parameterNames(fn).filter((p) => p.name !== 'self')[0];
  return first?.name === 'request';
}

function findPyErrorExposures(root: Node, path: string, imports: Map<string, ImportBinding>): ErrorExposure[] {
  const out: ErrorExposure[] = [];
  const resolve = (parts: string[]): string => {
    const b = imports.get(parts[0]!);
    return b ? [b.imported === '*' ? b.module : `${b.module}.${b.imported}`, ...parts.slice(1)].join('.') : parts.join('.');
  };
    // A 4xx message is the client's own mistake only when a specific (validation) exception was caught.
  const scope = (body: Node, errVar: string | null, fn: Node | null, broad = false): void => {
    const clientError = (status: string | null): boolean => !broad && isClientErrorStatus(status);
    const aliases = new Map<string, Exposure>();
    if (errVar) aliases.set(errVar, { kind: 'message', text: errVar });
    const visit = (n: Node): void => {
      if (n.type === 'function_definition' || n.type === 'class_definition') return;
      if (n.type === 'assignment') {
        const left = n.childForFieldName('left');
        const e = exposureOf(n.childForFieldName('right'), aliases);
        if (left?.type === 'identifier' && e) aliases.set(left.text, e);
      }
      if (n.type === 'call') {
        const parts = dottedParts(n.childForFieldName('function'));
        const name = parts ? parts.join('.') : '';
        if (parts && ERROR_RESPONSE_PY.some((e) => e.callee.test(name) || e.callee.test(resolve(parts)))) {
          const list = n.childForFieldName('arguments');
          for (const a of list ? codeChildren(list) : []) {
            const e = exposureOf(a, aliases);
            if (!e) continue;
            const parent = n.parent?.type === 'expression_list' ? n.parent : null;
            const status = responseStatus(n, parent ? (codeChildren(parent)[1] ?? null) : null);
            if (e.kind === 'message' && clientError(status)) break;
            out.push({ kind: 'error-response', what: e.text, via: name, range: nodeRange(n) });
            break;
          }
        }
      }
      if (n.type === 'return_statement' && isViewFunction(fn)) {
        const value = codeChildren(n)[0] ?? null;
        const first = value?.type === 'expression_list' ? (codeChildren(value)[0] ?? null) : value;
        if (first && first.type !== 'call') {
          const e = exposureOf(first, aliases);
          const status = value?.type === 'expression_list' ? (codeChildren(value)[1] ?? null) : null;
          if (e && !(e.kind === 'message' && clientError(status ? compact(status.text) : null))) {
            out.push({ kind: 'error-response', what: e.text, via: 'return', range: nodeRange(n) });
          }
        }
      }
      for (const c of codeChildren(n)) visit(c);
    };
    visit(body);
  };

  const walk = (n: Node, fn: Node | null): void => {
    if (n.type === 'function_definition') {
      fn = n;
      // Flask `@app.errorhandler(E) def h(e)`, FastAPI `@app.exception_handler(E) async def h(request, exc)`.
      if (decoratorsOf(n).some((d) => /errorhandler|exception_handler/.test(d))) {
        const params = parameterNames(n);
        const last = params[params.length - 1];
        const body = n.childForFieldName('body');
        if (last && body) scope(body, last.name, n);
      } else if (codeChildren(n.childForFieldName('body') ?? n).length > 0) {
        // traceback.format_exc() in any response, even outside an except block.
        const body = n.childForFieldName('body');
        if (body && /traceback\.|exc_info/.test(body.text)) scope(body, null, n);
      }
    }
    if (n.type === 'except_clause') {
      const value = n.childForFieldName('value');
      const alias = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.firstNamedChild : null;
      const block = codeChildren(n).find((c) => c.type === 'block');
      const caught = value?.type === 'as_pattern' ? (codeChildren(value)[0]?.text ?? '') : '';
      if (block && alias) scope(block, alias.text, fn, /^(?:Exception|BaseException)$/.test(caught));
    }
    if (n.type === 'call') debugCall(n, resolve, out);
    if (n.type === 'assignment') debugAssignment(n, path, out);
    for (const c of codeChildren(n)) walk(c, fn);
  };
  walk(root, null);
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.range.start.line}:${e.range.start.column}:${e.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `app.run(debug=True)`, `FastAPI(debug=True)`, `app.config.update(DEBUG=True)`, debug toolbars. */
function debugCall(call: Node, resolve: (parts: string[]) => string, out: ErrorExposure[]): void {
  const parts = dottedParts(call.childForFieldName('function'));
  if (!parts) return;
  const raw = parts.join('.');
  const resolved = resolve(parts);
  const { keywords } = callArguments(call);
  let what: string | null = null;
  if ((PY_DEBUG_CALLS.test(raw) || PY_DEBUG_CALLS.test(resolved)) && isTrue(keywords.get('debug'))) what = 'debug=True';
  else if (/\.config\.(?:update|from_mapping)$/.test(raw) && isTrue(keywords.get('DEBUG'))) what = 'DEBUG=True';
  else if (PY_DEBUG_TOOLBARS.test(raw) || PY_DEBUG_TOOLBARS.test(resolved)) what = `${raw}()`;
  if (what === null) return;
  out.push({ kind: 'debug-mode', what, via: raw, range: nodeRange(call), ...(devOnlyPlace(call) ? { devOnly: true } : {}) });
}

/** `DEBUG = True` (settings modules, config classes), `app.debug = True`, `app.config['DEBUG'] = True`. */
function debugAssignment(node: Node, path: string, out: ErrorExposure[]): void {
  if (!isTrue(node.childForFieldName('right'))) return;
  const left = node.childForFieldName('left');
  const parts = dottedParts(left);
  if (!left || !parts) return;
  const last = parts[parts.length - 1]!;
  const inFunction = (() => {
    for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return true;
    return false;
  })();
  if (parts.length === 1 && last === 'DEBUG' && !inFunction) {
    const classLevel = node.parent?.parent?.parent?.type === 'class_definition';
    if (!classLevel && !/(?:settings|config|conf)[^/]*(?:\/[^/]+)?\.py$/.test(path)) return;
    out.push({ kind: 'debug-mode', what: 'DEBUG = True', via: classLevel ? (node.parent?.parent?.parent?.childForFieldName('name')?.text ?? 'settings') : 'settings', range: nodeRange(node), ...(devOnlyPlace(node) ? { devOnly: true } : {}) });
    return;
  }
  if (parts.length >= 2 && (last === 'debug' || (last === 'DEBUG' && parts[parts.length - 2] === 'config'))) {
    out.push({ kind: 'debug-mode', what: `${parts.join('.')} = True`, via: parts.slice(0, -1).join('.'), range: nodeRange(node), ...(devOnlyPlace(node) ? { devOnly: true } : {}) });
  }
}

/** Inside `class DevelopmentConfig`, `if DEBUG:` / `if settings.DEBUG`, or `if os.environ.get('ENV') == 'development'`. */
function devOnlyPlace(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition' && DEV_ONLY_CLASS.test(p.childForFieldName('name')?.text ?? '')) return true;
    if (p.type === 'if_statement' && /\b(?:DEBUG|debug|development|dev|local|testing)\b/i.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}
