import type { Node } from '@babel/types';
import { emptyFacts, type FileFacts, type Language, type StringBinding } from '../../model/facts.js';
import { envVariableRead, isFunction, memberParts, propertyKey, rangeOf, staticString, unwrap } from './ast.js';
import { JS_FEATURES } from './features.js';
import { runFeatures, type ExtractorFault } from '../plugin.js';
import { secretArgumentFor } from '../../model/secret-arguments.js';
import { parseJavaScript } from './parse.js';
import { NodeIndex, withNodeIndex } from './visit.js';
import { countLines } from '../../util/lines.js';

/** Literals shorter than this cannot hold a credential worth reporting. */
const MIN_STRING_LENGTH = 8;

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

  /** Called by the file's one walk (NodeIndex.build) for every node. */
  enter(node: Node, ancestors: readonly Node[]): void {
    this.ancestors = ancestors;
    this.visit(node);
  }

  private bind(kind: StringBinding['kind'], name: string, path: string, valueNode: Node, value: string, context?: string): void {
    const binding: StringBinding = { kind, name, path, value, range: rangeOf(valueNode) };
    if (context !== undefined) binding.context = context;
    this.bindings.push(binding);
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
        return;
      }
      case 'VariableDeclarator': {
        this.requireImport(node);
        const value = staticString(node.init);
        if (value !== null && node.id.type === 'Identifier') this.bind('variable', node.id.name, node.id.name, node.init!, value);
        return;
      }
      case 'AssignmentExpression': {
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
        if (value === null || name === null) return;
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
        const value = staticString(node.right);
        if (env !== null && value !== null) this.bind('env-fallback', env, env, node.right, value, env);
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const parts = memberParts(node.callee as Node);
        if (!parts) return;
        for (const entry of secretArgumentFor(parts, 'javascript')) {
          const arg = node.arguments[entry.index] as Node | undefined;
          const value = staticString(arg);
          if (arg && value !== null) this.bind('argument', entry.name, entry.name, arg, value, parts.join('.'));
        }
        return;
      }
      default:
        return;
    }
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
  withNodeIndex(index, () => runFeatures(JS_FEATURES, { ast, index, path, language, text, facts }, faults));
  return { facts, syntaxErrors: errors, faults };
}
