import { FlowCollector, builtString, mergeTaint, paramTaint, sourceTaint, type Taint } from '../../flow/taint.js';
import { LocalSummaries, summariseFunctions } from '../../flow/summaries.js';
import { PY_GRAPHQL_RESOLVER, PY_RAW_ANNOTATION, PY_ROUTE_DECORATOR } from './tables/taint.js';
import { PATH_SEGMENT_LABEL } from '../../model/data-flow.js';
import { codeChildren, compact, decoratorsOf, parameterNames } from './ast.js';
import { importBindings } from './imports.js';
import { PyFlowEvaluator, step, type Unit } from './flow-expressions.js';
import type { PyFeatureInput } from './feature-input.js';
import type { PyNode as Node } from './syntax.js';
import { PyFlowPrescan } from './flow-prescan.js';

/**
 * SOC2-004 facts for Python: the same taint walk as for JS (source order, nested functions share the enclosing
 * environment, two rounds of per-function summaries). This file walks statements; flow-expressions.ts
 * evaluates expressions. A pre-scan of the file's identifiers, decorators and calls (flow-prescan.ts) leaves out
 * the functions and statements where the walk cannot find anything.
 */

/** Flask `<int:id>` converters. */
const TYPED_CONVERTER = /<(?:int|float|uuid):(\w+)>/g;
/** URL parts that hold no '/': FastAPI/Starlette `{id}` / `{id:str}`, Flask `<id>` / `<string:id>` (not `{p:path}`, `<path:p>`). */
const PATH_SEGMENT = /\{(\w+)(?::str)?\}|<(\w+)>|<string:(\w+)>/g;

class PyFlowAnalyzer extends PyFlowEvaluator {
  /** The class of each method of the module, by the method's start offset. */
  private readonly methodClass = new Map<number, string>();

  /** The module imports graphene: its `resolve_*`/`mutate` methods are GraphQL resolvers. */
  private get grapheneFile(): boolean {
    for (const b of this.imports.values()) if (/^graphene(?:\.|$)/.test(b.module)) return true;
    return false;
  }

  /** Methods as `Class.method` from the module's function list: `self.m()` is looked up in its own class first. */
  setMethods(functions: ReadonlyArray<{ name: string; node: Node }>): void {
    for (const f of functions) {
      const dot = f.name.lastIndexOf('.');
      if (dot > 0) this.methodClass.set(f.node.startIndex, f.name.slice(0, dot));
    }
  }

  /**
   * Main pass: the whole module, every function inlined in source order. With the pre-scan, a top-level
   * statement is left out while nothing is tainted, when no taint can start from it on, or when it can neither
   * start taint nor vet a name while nothing is vetted either: the walk would leave the state unchanged.
   */
  analyzeModule(root: Node, prescan?: PyFlowPrescan): void {
    this.reset({ summaryOf: null, exported: false, returned: null });
    if (!prescan) {
      this.visit(root);
      return;
    }
    // As visit(root) (a module takes the default branch), with the statements filtered.
    for (const statement of codeChildren(root)) {
      if (this.env.size === 0 && (prescan.nothingAhead(statement) || (this.sanitised.size === 0 && prescan.quiet(statement)))) continue;
      this.visit(statement);
    }
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
    this.checks = new Map();
    this.fnDepth = 0;
    this.scopes.reset();
    this.outerNames.length = 0;
    this.classes.length = 0;
    this.unit = unit;
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
        const branches = codeChildren(node).filter((c) => c !== condition);
        if (node.type === 'if_statement')
          this.branches(
            branches,
            branches.some((b) => b.type === 'else_clause'),
          );
        else for (const c of branches) this.visit(c);
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

  /**
   * The arms of an `if`/`elif`/`else`: each starts from the state before the statement and the names they taint
   * are merged after it (an assignment in one arm does not clean a name for another: `if t is None: t = default
   * else: t = b64decode(t)` keeps the else arm's taint). Without `else`, the state before also flows on. Names
   * vetted in an arm stay vetted (as in a walk in order).
   */
  private branches(arms: Node[], complete: boolean): void {
    if (arms.length < 2 && complete) {
      for (const a of arms) this.visit(a);
      return;
    }
    const before = new Map(this.env);
    // Without else, the path that skips every arm: a name the test vetted (`if x not in ALLOWED: x = 'id'`) stays clean.
    const merged = new Map<string, Taint>();
    if (!complete) for (const [k, v] of before) if (!this.sanitised.has(k)) merged.set(k, v);
    for (const arm of arms) {
      this.env.clear();
      for (const [k, v] of before) this.env.set(k, v);
      this.visit(arm);
      for (const [k, v] of this.env) merged.set(k, mergeTaint(merged.get(k) ?? null, v)!);
    }
    this.env.clear();
    for (const [k, v] of merged) this.env.set(k, v);
  }

  /** A function's parameters and the names it assigns are its own: they end with it (see FunctionScopes). */
  private enterFunction(fn: Node): void {
    this.fnDepth++;
    this.scopes.enter();
    const cls = this.methodClass.get(fn.startIndex);
    if (cls !== undefined) this.classes.push(cls);
    const body = fn.childForFieldName('body');
    this.outerNames.push(
      new Set(body ? body.descendantsOfType(['global_statement', 'nonlocal_statement']).flatMap((g) => (g ? codeChildren(g).map((c) => c.text) : [])) : []),
    );
    for (const p of parameterNames(fn)) this.declare(p.name);
    for (const p of routeParameters(fn)) this.env.set(p.name, sourceTaint(p.label, step(p.node, p.label), p.object));
    if (cls !== undefined && this.grapheneFile) for (const p of graphqlArguments(fn)) this.env.set(p.name, sourceTaint(p.label, step(p.node, p.label), false));
    if (body) this.visit(body);
    if (cls !== undefined) this.classes.pop();
    this.outerNames.pop();
    this.scopes.exit(this.env, this.sanitised);
    this.fnDepth--;
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
    if (right?.type === 'call' && targets.length === 1 && targets[0]?.type === 'identifier') this.checks.set(targets[0].text, right);
  }
}

/** A block whose last statement returns or raises. */
function pyExits(block: Node): boolean {
  const last = codeChildren(block).at(-1);
  return last !== undefined && (last.type === 'return_statement' || last.type === 'raise_statement');
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
  // A URL part with the default converter (`{id}`, `<id>`, `<string:id>`) never holds '/' (decoded after routing).
  const segments = new Set<string>();
  for (const d of decorators) for (const m of d.matchAll(PATH_SEGMENT)) segments.add(m[1] ?? m[2] ?? m[3]!);
  const segment = (name: string): string => (segments.size === 1 && segments.has(name) ? PATH_SEGMENT_LABEL : '');
  for (const p of parameterNames(fn)) {
    if (p.name === 'self' || p.name === 'request' || p.name === 'req' || typed.has(p.name)) continue;
    const defaultText = p.default ? compact(p.default.text) : '';
    if (/^(?:Depends|Security)\(/.test(defaultText)) continue;
    if (flask) {
      if (decorators.some((d) => d.includes(`<${p.name}>`) || d.includes(`:${p.name}>`)))
        out.push({ name: p.name, node: p.node, label: `${p.name}${segment(p.name)}`, object: false });
      continue;
    }
    const annotation = p.annotation ?? '';
    if (annotation !== '' && !PY_RAW_ANNOTATION.test(annotation)) continue;
    if (/^Request\b/.test(annotation)) continue;
    const text = /^(?:str|Optional\[str\]|str \| None)?$/.test(annotation) ? segment(p.name) : '';
    out.push({ name: p.name, node: p.node, label: `${p.name}${annotation ? `: ${annotation}` : ''}${text}`, object: /dict|Dict|Any|object/.test(annotation) });
  }
  return out;
}

/**
 * The GraphQL arguments of a graphene resolver (`def resolve_pastes(self, info, filter=None)`, `def mutate(root,
 * info, host, path)`): the parameters after `info`. One with a number or boolean default is a graphene `Int` or
 * `Boolean` (the schema casts it); the others are taken as client text.
 */
export function graphqlArguments(fn: Node): Array<{ name: string; node: Node; label: string }> {
  const name = fn.childForFieldName('name')?.text ?? '';
  if (!PY_GRAPHQL_RESOLVER.test(name)) return [];
  const params = parameterNames(fn);
  const at = params.findIndex((p) => p.name === 'info');
  if (at < 0 || at > 1) return [];
  return params
    .slice(at + 1)
    .filter((p) => !(p.default && /^(?:-?\d[\d_.]*|True|False)$/.test(p.default.text)))
    .map((p) => ({ name: p.name, node: p.node, label: `GraphQL argument ${p.name}` }));
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
  extractPyFlowsWith(input, true);
}

/** The data-flow facts, with or without the pre-scan (without: every function and statement is walked; the tests compare both). */
export function extractPyFlowsWith(input: PyFeatureInput, usePrescan: boolean): void {
  const root = input.root;
  const collector = new FlowCollector();
  const summaries = new LocalSummaries();
  const imports = importBindings(input.facts.imports);
  const analyzer = new PyFlowAnalyzer(imports, summaries, collector, input.path);
  const functions = topLevelFunctions(root);
  analyzer.setMethods(functions);
  const prescan = usePrescan ? new PyFlowPrescan(root, functions, (parts) => analyzer.resolvedCallee(parts)) : undefined;
  const needed = new Set(prescan ? functions.filter((f) => prescan.needsSummary(f)) : functions);
  summariseFunctions(functions, summaries, (f) => {
    if (needed.has(f)) analyzer.analyzeFunction(f.name, f.node);
  });
  if (!prescan || prescan.fileHasSource) analyzer.analyzeModule(root, prescan);
  const flows = collector.result();
  if (flows) input.facts.dataFlow = flows;
}
