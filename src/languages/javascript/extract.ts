import type { Node } from '@babel/types';
import { emptyFacts, type FileFacts, type Language, type StringBinding } from '../../model/facts.js';
import { envVariableRead, isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap } from './ast.js';
import { JS_FEATURES, JS_TEST_FEATURES } from './features.js';
import { looksLikeTestPath } from '../../model/test-paths.js';
import { runFeatures, type ExtractorFault } from '../plugin.js';
import { secretArgumentFor } from '../../model/secret-arguments.js';
import { classifySecretName } from '../../model/secret-names.js';
import { enclosingFunctionName, isProductionThrow, refusedInProduction } from './dev-default.js';
import { boundNames } from './flow-functions.js';
import { parseJavaScript } from './parse.js';
import { NodeIndex, withNodeIndex } from './visit.js';
import { countLines } from '../../util/lines.js';

/** Literals shorter than this cannot hold a credential worth reporting. */
const MIN_STRING_LENGTH = 8;

/** Modules whose `sign`/`verify` take the signing key second, under whatever local name they are imported. */
const JWT_MODULES = new Set(['jsonwebtoken', 'jws']);

/** A secret consumer whose key is a same-file identifier, resolved after the walk (`jwt.sign(p, key)`). */
interface PendingConsumer {
  kind: 'argument' | 'property' | 'env-fallback';
  name: string;
  path: string;
  context: string;
  identifier: string;
}

/** A constant bound to a string literal: `const key = 'shhhhh'`, with the ancestors of its declarator. */
interface LiteralConstant {
  valueNode: Node;
  value: string;
  chain: Node[];
}

export interface JsExtraction {
  facts: FileFacts;
  syntaxErrors: Array<{ message: string; line: number; column: number }>;
  faults: ExtractorFault[];
}

class Extractor {
  readonly bindings: StringBinding[] = [];
  readonly strings: FileFacts['strings'] = [];
  readonly imports: FileFacts['imports'] = [];
  /** The ancestors of the node being visited (outermost first), set by `enter`. */
  private ancestors: readonly Node[] = [];
  private current: Node | null = null;
  /** Secret-named bindings with their chain (ancestors and the visited node), checked for a production guard after the walk. */
  private readonly guardCandidates: Array<{ binding: StringBinding; chain: Node[] }> = [];
  /** Names of the file's functions that throw in production (`rejectErrors`); '' for top-level code. */
  private readonly productionThrowers = new Set<string>();
  private readonly pending: PendingConsumer[] = [];
  /** Constants bound once to a literal; a name bound more than once (or reassigned, or a parameter) maps to null. */
  private readonly constants = new Map<string, LiteralConstant | null>();
  /** Local names of jsonwebtoken/jws imports and what they import (`tokens` → '*', `signToken` → 'sign'). */
  private readonly jwtImports = new Map<string, string>();

  /** Called by the file's one walk (NodeIndex.build) for every node. */
  enter(node: Node, ancestors: readonly Node[]): void {
    this.ancestors = ancestors;
    this.current = node;
    this.visit(node);
  }

  private bind(kind: StringBinding['kind'], name: string, path: string, valueNode: Node, value: string, context?: string): void {
    const binding: StringBinding = { kind, name, path, value, range: rangeOf(valueNode) };
    if (context !== undefined) binding.context = context;
    this.bindings.push(binding);
    if (classifySecretName(name) !== null) this.guardCandidates.push({ binding, chain: [...this.ancestors, this.current!] });
  }

  /** A name bound by a declaration, parameter or assignment: a literal constant only if it is the name's one binding. */
  private declare(name: string, constant: LiteralConstant | null): void {
    this.constants.set(name, this.constants.has(name) ? null : constant);
  }

  /** A secret consumer's key written as an identifier (`jwt.sign(p, key)`, `session({ secret })`), resolved after the walk. */
  private consumeIdentifier(node: Node | null | undefined, consumer: Omit<PendingConsumer, 'identifier'>): void {
    const n = node ? unwrap(node) : null;
    if (n?.type === 'Identifier') this.pending.push({ ...consumer, identifier: n.name });
  }

  /** After the walk: consumers resolved to their constants, and secret bindings refused in production marked. */
  finish(): void {
    for (const p of this.pending) {
      const constant = this.constants.get(p.identifier);
      if (!constant) continue;
      const binding: StringBinding = {
        kind: p.kind,
        name: p.name,
        path: p.path,
        context: p.context,
        value: constant.value,
        range: rangeOf(constant.valueNode),
        through: p.identifier,
      };
      this.bindings.push(binding);
      this.guardCandidates.push({ binding, chain: constant.chain });
    }
    for (const { binding, chain } of this.guardCandidates) {
      if (refusedInProduction(chain, this.productionThrowers)) binding.devDefault = true;
    }
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'StringLiteral':
        if (node.value.length >= MIN_STRING_LENGTH) this.strings.push({ value: node.value, range: rangeOf(node) });
        return;
      case 'TemplateElement': {
        const cooked = node.value.cooked ?? node.value.raw;
        if (cooked.length >= MIN_STRING_LENGTH) this.strings.push({ value: cooked, range: rangeOf(node) });
        return;
      }
      case 'ImportDeclaration': {
        const names = node.specifiers.map((sp) => ({
          local: sp.local.name,
          imported:
            sp.type === 'ImportDefaultSpecifier'
              ? 'default'
              : sp.type === 'ImportNamespaceSpecifier'
                ? '*'
                : sp.imported.type === 'Identifier'
                  ? sp.imported.name
                  : sp.imported.value,
        }));
        this.imports.push({ module: node.source.value, names, line: node.loc!.start.line });
        this.noteJwtImport(node.source.value, names);
        return;
      }
      case 'VariableDeclarator': {
        this.requireImport(node);
        const value = staticString(node.init);
        if (value !== null && node.id.type === 'Identifier') this.bind('variable', node.id.name, node.id.name, node.init!, value);
        if (node.id.type === 'Identifier') {
          const constant = value !== null ? { valueNode: node.init!, value, chain: [...this.ancestors, node] } : null;
          this.declare(node.id.name, constant);
        } else for (const name of boundNames(node.id)) this.declare(name, null);
        return;
      }
      case 'IfStatement':
        if (isProductionThrow(node)) this.productionThrowers.add(enclosingFunctionName(this.ancestors) ?? '');
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ObjectMethod':
      case 'ClassMethod':
      case 'ClassPrivateMethod':
        for (const param of node.params) for (const name of boundNames(param as Node)) this.declare(name, null);
        return;
      case 'AssignmentExpression': {
        if (node.left.type === 'Identifier') this.declare(node.left.name, null);
        if (node.operator !== '=' && node.operator !== '||=' && node.operator !== '??=') return;
        const value = staticString(node.right);
        if (value === null) return;
        if (node.left.type === 'Identifier') {
          this.bind('variable', node.left.name, node.left.name, node.right, value);
          return;
        }
        const parts = memberParts(node.left);
        if (parts) this.bind('assignment', parts[parts.length - 1]!, parts.join('.'), node.right, value);
        return;
      }
      case 'ObjectProperty': {
        const valueNode = node.value as Node;
        const value = staticString(valueNode);
        const name = propertyKey(node);
        if (name === null) return;
        if (value === null) {
          // `session({ secret: key })`, `session({ secret })`: the option's value from a same-file constant.
          if (unwrap(valueNode).type !== 'Identifier' || classifySecretName(name) === null) return;
          const { path, context } = this.objectPathAndCall(name);
          if (context !== undefined) this.consumeIdentifier(valueNode, { kind: 'property', name, path, context });
          return;
        }
        const { path, context } = this.objectPathAndCall(name);
        this.bind('property', name, path, valueNode, value, context);
        return;
      }
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty': {
        const value = staticString(node.value as Node | null);
        const name = propertyKey(node as Node & { key: Node; computed?: boolean });
        if (value !== null && name !== null) this.bind('class-field', name, name, node.value as Node, value);
        return;
      }
      case 'AssignmentPattern': {
        const value = staticString(node.right);
        if (value === null || node.left.type !== 'Identifier') return;
        const kind = this.inParameters(node) ? 'parameter-default' : 'variable';
        this.bind(kind, node.left.name, node.left.name, node.right, value);
        return;
      }
      case 'BinaryExpression': {
        if (!['==', '===', '!=', '!=='].includes(node.operator)) return;
        const pairs: Array<[Node, Node]> = [
          [node.left as Node, node.right],
          [node.right, node.left as Node],
        ];
        for (const [literal, other] of pairs) {
          const value = staticString(literal);
          const parts = value === null ? null : memberParts(other);
          if (value !== null && parts) {
            this.bind('comparison', parts[parts.length - 1]!, parts.join('.'), literal, value);
            return;
          }
        }
        return;
      }
      case 'LogicalExpression': {
        if (node.operator !== '||' && node.operator !== '??') return;
        const env = envVariableRead(node.left);
        if (env === null) return;
        const value = staticString(node.right);
        if (value !== null) this.bind('env-fallback', env, env, node.right, value, env);
        else this.consumeIdentifier(node.right, { kind: 'env-fallback', name: env, path: env, context: env });
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const parts = memberParts(node.callee as Node);
        if (!parts) return;
        for (const entry of secretArgumentFor(this.canonicalCallee(parts), 'javascript')) {
          const arg = node.arguments[entry.index] as Node | undefined;
          const value = staticString(arg);
          if (arg && value !== null) this.bind('argument', entry.name, entry.name, arg, value, parts.join('.'));
          else this.consumeIdentifier(arg, { kind: 'argument', name: entry.name, path: entry.name, context: parts.join('.') });
        }
        return;
      }
      default:
        return;
    }
  }

  private noteJwtImport(module: string, names: ReadonlyArray<{ local: string; imported: string }>): void {
    if (JWT_MODULES.has(module)) for (const n of names) this.jwtImports.set(n.local, n.imported);
  }

  /**
   * A call on a jsonwebtoken import under any name, as the secret-argument table knows it: `tokens.sign` (`import * as
   * tokens`) → `jwt.sign`, `signToken` (`const { sign: signToken } = require('jsonwebtoken')`) → `jwt.sign`.
   */
  private canonicalCallee(parts: string[]): string[] {
    const imported = this.jwtImports.get(parts[0]!);
    if (imported === undefined) return parts;
    return imported === '*' || imported === 'default' ? ['jwt', ...parts.slice(1)] : ['jwt', imported, ...parts.slice(1)];
  }

  /** `const x = require('m')`, `const { a, b: c } = require('m')`, `const x = require('m').y`. */
  private requireImport(node: Node & { type: 'VariableDeclarator' }): void {
    let init = node.init ? unwrap(node.init) : null;
    let member: string | null = null;
    if (init && init.type === 'MemberExpression' && !init.computed && init.property.type === 'Identifier') {
      member = init.property.name;
      init = unwrap(init.object);
    }
    if (!init || init.type !== 'CallExpression' || init.callee.type !== 'Identifier' || init.callee.name !== 'require') return;
    const module = staticString(init.arguments[0] as Node | undefined);
    if (module === null) return;
    const names: Array<{ local: string; imported: string }> = [];
    if (node.id.type === 'Identifier') names.push({ local: node.id.name, imported: member ?? '*' });
    else if (node.id.type === 'ObjectPattern' && member === null) {
      for (const p of node.id.properties) {
        if (p.type !== 'ObjectProperty') continue;
        const imported = propertyKey(p);
        const local =
          p.value.type === 'Identifier' ? p.value.name : p.value.type === 'AssignmentPattern' && p.value.left.type === 'Identifier' ? p.value.left.name : null;
        if (imported !== null && local !== null) names.push({ local, imported });
      }
    }
    this.imports.push({ module, names, line: node.loc!.start.line });
    this.noteJwtImport(module, names);
  }

  /** True when the node being visited sits in a function's parameter list (not its body). */
  private inParameters(node: Node): boolean {
    const chain = [...this.ancestors, node];
    for (let i = chain.length - 1; i > 0; i--) {
      const parent = chain[i - 1]!;
      const child = chain[i]!;
      if (isFunction(parent)) return (parent as unknown as { params: Node[] }).params.includes(child);
    }
    return false;
  }

  /** Dotted path of enclosing object keys (`db.password`) and the callee when the object is a call argument. */
  private objectPathAndCall(name: string): { path: string; context?: string } {
    const keys = [name];
    let context: string | undefined;
    // ancestors: … ObjectProperty, ObjectExpression, [ObjectProperty (the property itself is not pushed yet)]
    for (let i = this.ancestors.length - 1; i >= 0; i--) {
      const node = this.ancestors[i]!;
      if (node.type === 'ObjectExpression') continue;
      if (node.type === 'ObjectProperty') {
        const key = propertyKey(node);
        if (key === null) break;
        keys.unshift(key);
        continue;
      }
      if (node.type === 'CallExpression' || node.type === 'NewExpression') {
        const parts = memberParts(node.callee as Node);
        if (parts) context = parts.join('.');
      } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
        keys.unshift(node.id.name);
      } else if (node.type === 'AssignmentExpression') {
        const parts = memberParts(node.left);
        if (parts) keys.unshift(parts[parts.length - 1]!);
      }
      break;
    }
    return context === undefined ? { path: keys.join('.') } : { path: keys.join('.'), context };
  }
}

export function extractJavaScript(path: string, language: Language, text: string): JsExtraction {
  const { ast, errors } = parseJavaScript(path, text);
  const extractor = new Extractor();
  const index = NodeIndex.build(ast, (node, ancestors) => extractor.enter(node, ancestors));
  const facts = emptyFacts(path, language, countLines(text, 'javascript'));
  facts.bindings = extractor.bindings;
  facts.strings = extractor.strings;
  facts.imports = extractor.imports;
  const faults: ExtractorFault[] = [];
  extractor.finish();
  const features = looksLikeTestPath(path) ? JS_TEST_FEATURES : JS_FEATURES;
  withNodeIndex(index, () => runFeatures(features, { ast, index, path, language, text, facts }, faults));
  return { facts, syntaxErrors: errors, faults };
}
