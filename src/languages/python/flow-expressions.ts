import type { FlowStep } from '../../model/data-flow.js';
import { type FlowCollector, asString, builtString, mergeTaint, sourceTaint, withStep, type SinkHit, type Taint } from '../../flow/taint.js';
import { type LocalSummaries, applySummary, isRelativeModule, localCallName, sinkDecision, type ImportBinding } from '../../flow/summaries.js';
import { FunctionScopes } from '../../flow/scopes.js';
import { PY_EXTERNAL_ENTITIES, PY_PROPAGATORS, isPySanitiser, pySinksFor, pySourceCallFor, pySourceFor } from './tables/taint.js';
import { callArguments, codeChildren, compact, dottedParts, isTrue, nodeRange, unwrapParens } from './ast.js';
import type { PyNode as Node } from './syntax.js';

/**
 * The expression half of the Python taint walk (flow.ts holds the statements): what an expression carries
 * (`evaluate`), sources, sanitisers, propagators and sinks at calls, guards that vet a name, and binding a
 * value to an assignment target. State is per unit (the module or one function) and reset by the subclass.
 */

/** Methods whose result is a number or a boolean. */
const NON_STRING_METHODS = /^(?:isdigit|isnumeric|isdecimal|isalnum|isalpha|startswith|endswith|count|find|index|rfind|__len__|isidentifier|islower|isupper)$/;

/** Guards that vet a value: `x in ALLOWED`, `x.isdigit()`, `re.fullmatch(p, x)`, `isinstance(x, str)`. */
const GUARD_CALLS =
  /(?:^|\.)(?:isdigit|isnumeric|isdecimal|isalnum|isalpha|match|fullmatch|isinstance|startswith|is_valid|is_safe_url|url_has_allowed_host_and_scheme|validate\w*|is_\w+)$/;

export function step(node: Node, label: string): FlowStep {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, label };
}

function label(node: Node): string {
  const text = compact(node.text).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export interface Unit {
  summaryOf: string | null;
  exported: boolean;
  returned: Taint | null;
}

export abstract class PyFlowEvaluator {
  protected env = new Map<string, Taint>();
  protected sanitised = new Set<string>();
  /** Names holding a check's result (`ok = re.fullmatch(p, x)`): testing the name tests the check. */
  protected checks = new Map<string, Node>();
  protected fnDepth = 0;
  protected unit: Unit = { summaryOf: null, exported: false, returned: null };
  /** Locals of the functions being walked, and the names each declares `global`/`nonlocal` (not locals). */
  protected readonly scopes = new FunctionScopes();
  protected readonly outerNames: Array<Set<string>> = [];
  /** The classes whose methods are being walked (`self` is an instance of the innermost). */
  protected readonly classes: string[] = [];

  constructor(
    protected readonly imports: Map<string, ImportBinding>,
    protected readonly summaries: LocalSummaries,
    protected readonly collector: FlowCollector,
    protected readonly path: string,
  ) {}

  /** `flask.request.args` after `import flask` (or quart) reads as `request.args`: the module-qualified request object. */
  protected requestPath(parts: string[]): string[] {
    if (parts.length < 3 || parts[1] !== 'request') return parts;
    const b = this.imports.get(parts[0]!);
    return b && b.imported === '*' && /^(?:flask|quart)$/.test(b.module) ? parts.slice(1) : parts;
  }

  /**
   * The specifier under which a call into an import is recorded for the cross-file pass, or null when the import
   * is not the project's: relative imports and absolute imports of the file's own package as written; a bare
   * module name (`import libuser` in `bad/mod_user.py`) as a sibling of the importer (`.libuser`: the script
   * folder is first on `sys.path`), which resolves only when such a file sits beside it. A bare name may also be
   * a library (`import requests`), so its calls are still checked against the sink tables.
   */
  protected projectSpecifier(module: string): string | null {
    if (isRelativeModule(module) || this.isProjectModule(module)) return module;
    return /^\w+$/.test(module) ? `.${module}` : null;
  }

  /** `from sqli.dao.student import Student` in `sqli/views.py`: an absolute import of the file's own package. */
  protected isProjectModule(module: string): boolean {
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

  /** The class whose method is being walked (`self` is an instance of it), or null. */
  protected ownClass(): string | null {
    const walking = this.classes[this.classes.length - 1];
    if (walking !== undefined) return walking;
    const name = this.unit.summaryOf;
    return name !== null && name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : null;
  }

  protected hit(hit: SinkHit): void {
    if (this.unit.summaryOf !== null) this.summaries.addSink(this.unit.summaryOf, hit);
    this.collector.sinkHit(hit, this.unit.summaryOf !== null && this.unit.exported ? this.unit.summaryOf : null);
  }

  /** `name` becomes a local of the innermost function (unbound until assigned), unless declared global there. */
  protected declare(name: string): void {
    if (this.scopes.depth === 0 || this.outerNames[this.outerNames.length - 1]?.has(name)) return;
    this.scopes.declare(name, this.env, this.sanitised);
    this.env.delete(name);
    this.sanitised.delete(name);
  }

  protected bind(target: Node | null, t: Taint | null, stepNode: Node | null): void {
    if (!target) return;
    if (target.type === 'identifier') {
      const name = target.text;
      this.declare(name);
      if (t) this.env.set(name, stepNode ? withStep(t, step(stepNode, name)) : t);
      else this.env.delete(name);
      this.sanitised.delete(name);
      return;
    }
    if (
      target.type === 'pattern_list' ||
      target.type === 'tuple_pattern' ||
      target.type === 'list_pattern' ||
      target.type === 'tuple' ||
      target.type === 'list'
    ) {
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
  protected guard(condition: Node, exiting = false): void {
    const n = unwrapParens(condition);
    if (!n) return;
    if (n.type === 'not_operator') return this.guard(n.childForFieldName('argument')!, exiting);
    if (n.type === 'identifier') {
      const check = this.checks.get(n.text);
      if (check) this.guard(check, exiting);
      return;
    }
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

  protected markSanitised(node: Node): void {
    const parts = dottedParts(node);
    if (parts) this.sanitised.add(parts.join('.'));
    // `validators.is_safe_url(request.args.get("next"))` then `redirect(request.args.get("next"))`: the same read vetted.
    if (node.type === 'call' || node.type === 'subscript') this.sanitised.add(exprKey(node));
  }

  protected isSanitised(parts: string[]): boolean {
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

  protected member(node: Node): Taint | null {
    if (node.type === 'subscript' && this.sanitised.size > 0 && this.sanitised.has(exprKey(node))) return null;
    if (node.type === 'subscript' && /(?:^|\.)config$/.test(node.childForFieldName('value')?.text ?? '')) return null;
    const parts = dottedParts(node);
    if (parts) {
      if (this.isSanitised(parts)) return null;
      const source = pySourceFor(this.requestPath(parts).join('.'));
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
  protected fString(node: Node): Taint | null {
    let t: Taint | null = null;
    for (const c of node.namedChildren)
      if (c?.type === 'interpolation') t = mergeTaint(t, this.evaluate(c.childForFieldName('expression') ?? codeChildren(c)[0] ?? null));
    if (!t) return null;
    const parts = node.namedChildren.filter((c): c is Node => c?.type === 'string_content');
    const first = node.namedChildren.find((c) => c?.type === 'string_content' || c?.type === 'interpolation');
    return builtString(t, parts.map((p) => p.text).join(' '), first?.type === 'string_content' && first.text.length > 1);
  }

  protected binary(node: Node): Taint | null {
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

  protected call(node: Node): Taint | null {
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

    if (this.sanitised.size > 0 && this.sanitised.has(exprKey(node))) return null;
    // Configuration the operator sets (`app.config.get("APPLICATION_ROOT")` on a parameter's app) is not request data.
    if (/(?:^|\.)config\.get$/.test(raw)) return null;
    const sourcePath = this.requestPath(parts);
    const sourceCall = pySourceCallFor(sourcePath.join('.'));
    if (sourceCall && !this.isSanitised(parts)) return sourceTaint(label(node), step(node, label(node)), sourceCall.object);
    // `request.args.get('q')`: the source reads best with its key.
    const mapping = /^(?:get|getlist|getone|getall)$/.test(parts[parts.length - 1]!) ? pySourceFor(sourcePath.slice(0, -1).join('.')) : undefined;
    if (mapping && !this.isSanitised(parts.slice(0, -1))) return sourceTaint(label(node), step(node, label(node)), mapping.object);
    // A function of this file is judged by its summary, not by its name.
    const local = this.localCall(node, parts, args);
    if (local !== undefined) return local;
    // A function imported from the project is judged by its summary (resolved across files), not by its name.
    const binding = parts.length === 1 ? this.imports.get(parts[0]!) : undefined;
    if (!binding || !(isRelativeModule(binding.module) || this.isProjectModule(binding.module)))
      this.checkSinks(node, raw, resolved, positional, keywords, args, kwargs);
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

  protected checkSinks(
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
      if (entry.needsExternalEntities && !externalEntitiesOn(node)) continue;
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

  protected whereClause(dict: Node): Taint | null {
    for (const pair of codeChildren(dict)) {
      const key = pair.childForFieldName('key');
      if (pair.type === 'pair' && key?.type === 'string' && /\$where/.test(key.text)) return this.evaluate(pair.childForFieldName('value'));
    }
    return null;
  }

  protected localCall(node: Node, parts: string[], args: Array<Taint | null>): Taint | null | undefined {
    const name = localCallName(parts, 'self');
    const summary = name === null ? undefined : this.summaries.find(name, this.ownClass());
    if (!summary) return undefined;
    return applySummary(summary, args, step(node, label(node)), this.unit.summaryOf !== null, (h) => this.hit(h));
  }

  protected importedCall(node: Node, parts: string[], args: Array<Taint | null>): void {
    if (!args.some((a) => a !== null)) return;
    const binding = this.imports.get(parts[0]!);
    const module = binding ? this.projectSpecifier(binding.module) : null;
    if (!binding || module === null) return;
    const name = binding.imported === '*' ? parts.slice(1).join('.') : [binding.imported, ...parts.slice(1)].join('.');
    args.forEach((t, i) => {
      if (t)
        this.collector.importedCall(
          module,
          name,
          i,
          t,
          step(node, `${parts.join('.')}(…)`),
          // A sibling guessed from a bare name (see projectSpecifier) gets no forward: it may be a library.
          this.unit.exported && isRelativeModule(binding.module) ? this.unit.summaryOf : null,
        );
    });
  }
}

/** A vetted call or subscript read by its text (whitespace dropped, one quote style): `expr:request.args.get("next")`. */
function exprKey(node: Node): string {
  return `expr:${node.text.replace(/\s+/g, '').replace(/'/g, '"')}`;
}

/** The function (or module) around a call configures a parser to resolve external entities. */
function externalEntitiesOn(node: Node): boolean {
  let n: Node | null = node.parent;
  while (n && n.type !== 'function_definition' && n.type !== 'module') n = n.parent;
  return n !== null && PY_EXTERNAL_ENTITIES.test(n.text);
}

function literalText(node: Node | null): string {
  const n = unwrapParens(node);
  if (!n) return '';
  if (n.type === 'string')
    return n.namedChildren
      .filter((c) => c?.type === 'string_content')
      .map((c) => c!.text)
      .join(' ');
  if (n.type === 'binary_operator') return `${literalText(n.childForFieldName('left'))} ${literalText(n.childForFieldName('right'))}`;
  if (n.type === 'concatenated_string') return codeChildren(n).map(literalText).join('');
  return '';
}
