import type { Node } from '@babel/types';
import { analyzeLlm, llmImportsRead } from '../../model/llm-analyze.js';
import type { FileFacts } from '../../model/facts.js';
import { DERIVE_STEP } from '../../model/llm-clients.js';
import { TRACING_MODULES } from '../../model/llm-effects.js';
import { MCP_HELPER_MODULE, type LlmScan, type ScanArgument, type ScanCall } from '../../model/llm-scan.js';
import { isFunction, memberParts, propertyKey, rangeOf, readValue, sourceOf, unwrap } from './ast.js';
import type { JsFeatureInput } from './feature-input.js';
import { JS_NAME_ESCAPE, jsGateTexts } from './escaped-text.js';
import { boundNames } from './flow-functions.js';
import { FUNCTION_TYPES } from './visit.js';

/**
 * LLM and agent facts of one JS/TS file (SOC2-011..015, `complianceagent agents`): reads calls, functions,
 * assignments, classes and `while (true)` / `for (;;)` loops into an LlmScan; model/llm-analyze.ts does the rest.
 * Files that import no LLM SDK, agent framework or MCP module are skipped at once.
 */

const LLM_IMPORT =
  /^(openai|@anthropic-ai\/|@google\/genai|@google\/generative-ai|@google-cloud\/vertexai|@aws-sdk\/client-bedrock|@mistralai\/|cohere-ai|ollama|langchain|@langchain\/|llamaindex|@llamaindex\/|ai$|@ai-sdk\/|@openai\/agents|@modelcontextprotocol\/)/;

/**
 * Tools kept as data or declared through a project's wrapper (`injectableTool({ …, execute })`, `'execute': fn`), and
 * a LangChain model bound to tools (`provider.llm.bindTools(tools)`, the model built in another module), need no SDK
 * import: the extractor's early return lets a file through with one of these shapes.
 */
const TOOL_SHAPE = (text: string): boolean =>
  (/\bexecute['"`]?\s*[:,}(]/.test(text) && /\b(description|inputSchema|parameters)\b/.test(text)) || /\bbind_?[Tt]ools\b/.test(text);

/** The imports that make extractJsLlm read a file (the first test of its early return). */
const llmImported = (facts: FileFacts): boolean =>
  facts.imports.some((i) => LLM_IMPORT.test(i.module) || TRACING_MODULES.test(i.module) || MCP_HELPER_MODULE.test(i.module));

/**
 * Names without which a file that imports nothing analyzeLlm reads (llmImportsRead) gives no LLM facts: a wrapper
 * tool call (isWrapperToolCall: a callee ending in `…Tool` / `…_tool`) or `bind_tools` / `bindTools` (isBindTools)
 * hold TOOL_CALL_NAME; a tool kept as data (toolObject) has the keys `description` and `inputSchema` or `parameters`.
 */
const TOOL_CALL_NAME = /Tool|_tool/;
const TOOL_DESCRIPTION_KEY = /description/;
const TOOL_SCHEMA_KEY = /inputSchema|parameters/;

/**
 * Whether extractJsLlm may record anything in this file: a necessary condition, read before the walk. The extractor
 * returns at once unless an import passes llmImported or the text has TOOL_SHAPE; past that, analyzeLlm answers
 * nothing unless an import passes llmImportsRead (tracing ones already pass llmImported) or the scan holds a tool
 * object, a wrapper tool call or a bind_tools call, whose names (above) are in the code, as written or with escapes.
 */
export function jsLlmMayApply(text: string, facts: FileFacts): boolean {
  if (llmImported(facts)) return true;
  if (!TOOL_SHAPE(text)) return false;
  if (llmImportsRead(facts.imports, 'javascript')) return true;
  const texts = JS_NAME_ESCAPE.test(text) ? jsGateTexts(text) : [text];
  return texts.some((t) => TOOL_CALL_NAME.test(t)) || (texts.some((t) => TOOL_DESCRIPTION_KEY.test(t)) && texts.some((t) => TOOL_SCHEMA_KEY.test(t)));
}

export function extractJsLlm(input: JsFeatureInput): void {
  extractJsLlmWith(input, true);
}

/** The LLM facts, with or without the gate (without: only the extractor's own early return; the tests compare both). */
export function extractJsLlmWith({ ast, index, text, facts }: JsFeatureInput, useGate: boolean): void {
  if (useGate && !jsLlmMayApply(text, facts)) return;
  if (!llmImported(facts) && !TOOL_SHAPE(text)) return;
  const scan: LlmScan = { language: 'javascript', imports: facts.imports, calls: [], functions: [], assignments: [], classes: [], unboundedLoops: [] };
  const types = [
    'ObjectExpression',
    'CallExpression',
    'OptionalCallExpression',
    'NewExpression',
    ...FUNCTION_TYPES,
    'VariableDeclarator',
    'AssignmentExpression',
    'ClassDeclaration',
    'WhileStatement',
    'ForStatement',
    'DoWhileStatement',
  ];
  index.visit(ast.program, types, (node, ancestors) => {
    switch (node.type) {
      case 'ObjectExpression': {
        const tool = toolObject(node, ancestors, text);
        if (tool) (scan.toolObjects ??= []).push(tool);
        break;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        scan.calls.push(readCall(node, ancestors, text));
        break;
      case 'VariableDeclarator':
        if (node.init) scan.assignments.push({ targets: boundNames(node.id), value: sourceOf(node.init, text).slice(0, 2000), range: rangeOf(node) });
        break;
      case 'AssignmentExpression': {
        const parts = memberParts(node.left);
        const targets = parts ? [parts.join('.')] : boundNames(node.left);
        scan.assignments.push({ targets, value: sourceOf(node.right, text).slice(0, 2000), range: rangeOf(node) });
        break;
      }
      case 'ClassDeclaration':
        scan.classes.push({ name: node.id?.name ?? '', bases: node.superClass ? sourceOf(node.superClass, text) : '', range: rangeOf(node) });
        break;
      case 'WhileStatement':
      case 'DoWhileStatement': {
        const test = unwrap(node.test);
        if ((test.type === 'BooleanLiteral' && test.value) || (test.type === 'NumericLiteral' && test.value === 1)) scan.unboundedLoops.push(rangeOf(node));
        break;
      }
      case 'ForStatement':
        if (!node.test) scan.unboundedLoops.push(rangeOf(node));
        break;
      default:
        if (isFunction(node)) {
          const name = functionName(node, ancestors);
          const cls = [...ancestors].reverse().find((a) => a.type === 'ClassDeclaration' || a.type === 'ClassExpression');
          const className =
            cls && (cls.type === 'ClassDeclaration' || cls.type === 'ClassExpression') && node.type === 'ClassMethod' ? cls.id?.name : undefined;
          const decorators =
            'decorators' in node && Array.isArray(node.decorators) ? node.decorators.map((d: Node) => sourceOf(d, text).replace(/^@/, '')) : [];
          const params = 'params' in node ? (node.params as Node[]).flatMap((p) => boundNames(p)) : [];
          scan.functions.push({
            name,
            qualifiedName: className ? `${className}.${name}` : name,
            ...(className ? { className } : {}),
            decorators,
            params,
            text: sourceOf(node, text),
            range: rangeOf(node),
            nested: ancestors.some(isFunction),
          });
        }
    }
    return undefined;
  });
  if (text.includes('destructiveHint')) scan.destructiveKeys = destructiveKeys(text);
  const llm = analyzeLlm(scan);
  if (llm) facts.llm = llm;
}

/**
 * Object keys whose literal holds a nested object declaring `destructiveHint: true` (MCP tool annotations kept in a
 * definitions object and spread into the tool). One level of nesting besides the annotations object is followed.
 */
function destructiveKeys(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(\w+)\s*:\s*\{(?:[^{}]|\{[^{}]*\})*?\{[^{}]*\bdestructiveHint\s*:\s*true\b/g)) out.add(m[1]!);
  return [...out];
}

function functionName(node: Node, ancestors: readonly Node[]): string {
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.id) return node.id.name;
  if ((node.type === 'ClassMethod' || node.type === 'ObjectMethod') && node.key.type === 'Identifier') return node.key.name;
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'ObjectProperty') return propertyKey(parent) ?? '<anonymous>';
  if (parent?.type === 'ClassProperty' && parent.key.type === 'Identifier') return parent.key.name;
  return `<anonymous>@${node.loc?.start.line ?? 0}`;
}

function argumentOf(node: Node, text: string): ScanArgument {
  const n = unwrap(node);
  const arg: ScanArgument = { text: sourceOf(node, text).slice(0, 2000), value: readValue(node, text), range: rangeOf(node), isFunction: isFunction(n) };
  if (n.type === 'ArrayExpression') {
    arg.names = n.elements
      .map((e) => {
        if (!e || e.type === 'SpreadElement') return '';
        const parts = memberParts(e);
        return parts ? parts[parts.length - 1]!.replace(/\(\)$/, '') : '';
      })
      .filter(Boolean);
  } else if (n.type === 'ObjectExpression') {
    arg.names = n.properties.flatMap((p) => {
      if (p.type === 'SpreadElement') return [];
      const key = propertyKey(p as Node & { key: Node; computed?: boolean });
      const value = p.type === 'ObjectProperty' ? unwrap(p.value as Node) : null;
      const valueName = value?.type === 'Identifier' ? value.name : undefined;
      return [key ?? '', valueName ?? ''].filter(Boolean);
    });
  }
  return arg;
}

function readCall(node: Node & { callee: Node; arguments: Node[] }, ancestors: readonly Node[], text: string): ScanCall {
  const parts = memberParts(node.callee);
  const args = node.arguments.filter((a) => a.type !== 'SpreadElement' && a.type !== 'ArgumentPlaceholder');
  const objectArg = [...args].reverse().find((a) => unwrap(a).type === 'ObjectExpression');
  const { options, spreads } = objectArg ? objectOptions(unwrap(objectArg), text) : { options: {}, spreads: undefined };
  const call: ScanCall = {
    callee: parts ? parts.join('.') : '?',
    positional: args.map((a) => argumentOf(a, text)),
    options,
    assignedTo: [],
    text: sourceOf(node, text).slice(0, 4000),
    range: rangeOf(node),
    ...(spreads ? { spreads } : {}),
  };
  if (!parts) call.calleeText = sourceOf(node.callee, text).slice(0, 200);
  let i = ancestors.length - 1;
  // `const model = new ChatAnthropic({…}).bindTools([…])`: the model is bound to what the derived runnable is bound to.
  let inner: Node = node;
  while (
    i >= 1 &&
    ancestors[i]!.type === 'MemberExpression' &&
    (ancestors[i] as Node & { object: Node }).object === inner &&
    DERIVE_STEP.test(stepName(ancestors[i]!)) &&
    ancestors[i - 1]!.type === 'CallExpression' &&
    (ancestors[i - 1] as Node & { callee: Node }).callee === ancestors[i]
  ) {
    inner = ancestors[i - 1]!;
    i -= 2;
  }
  while (i >= 0 && /^(AwaitExpression|TSAsExpression|TSNonNullExpression|ParenthesizedExpression|TSSatisfiesExpression)$/.test(ancestors[i]!.type)) i--;
  placeOf(call, ancestors.slice(0, i + 1));
  return call;
}

function stepName(member: Node): string {
  const property = member.type === 'MemberExpression' && !member.computed ? member.property : undefined;
  return property?.type === 'Identifier' ? property.name : '';
}

/** The properties of an object literal by name, and what it spreads in (`{ ...toolDefs.x, execute }`). */
function objectOptions(obj: Node, text: string): { options: Record<string, ScanArgument>; spreads: string[] | undefined } {
  const options: Record<string, ScanArgument> = {};
  let spreads: string[] | undefined;
  if (obj.type !== 'ObjectExpression') return { options, spreads };
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      const parts = memberParts(p.argument);
      if (parts) (spreads ??= []).push(parts.join('.'));
      continue;
    }
    const key = propertyKey(p as Node & { key: Node; computed?: boolean });
    if (key === null) continue;
    options[key] =
      p.type === 'ObjectMethod'
        ? { text: sourceOf(p, text), value: { expr: 'function' }, range: rangeOf(p), isFunction: true }
        : argumentOf(p.value as Node, text);
  }
  return { options, spreads };
}

/**
 * A tool kept as data: an object literal with `execute` beside a `description` and an input schema, not the argument of
 * a call (calls are read as calls). Read as a call with callee `{}`.
 */
function toolObject(node: Node, ancestors: readonly Node[], text: string): ScanCall | undefined {
  if (node.type !== 'ObjectExpression') return undefined;
  const keys = new Set(node.properties.map((p) => (p.type === 'SpreadElement' ? null : propertyKey(p as Node & { key: Node; computed?: boolean }))));
  if (!keys.has('execute') || !keys.has('description') || !(keys.has('inputSchema') || keys.has('parameters'))) return undefined;
  let i = ancestors.length - 1;
  while (i >= 0 && /^(TSAsExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(ancestors[i]!.type)) i--;
  const parent = ancestors[i];
  if (parent && /^(CallExpression|OptionalCallExpression|NewExpression)$/.test(parent.type)) return undefined;
  const { options, spreads } = objectOptions(node, text);
  const call: ScanCall = {
    callee: '{}',
    positional: [],
    options,
    assignedTo: [],
    text: sourceOf(node, text).slice(0, 4000),
    range: rangeOf(node),
    ...(spreads ? { spreads } : {}),
  };
  placeOf(call, ancestors.slice(0, i + 1));
  return call;
}

/** Where a call's (or object's) value goes: the variable, member or object key it is bound to, and the declaration around it. */
function placeOf(call: ScanCall, ancestors: readonly Node[]): void {
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type === 'VariableDeclarator') call.assignedTo = boundNames(parent.id);
  else if (parent?.type === 'AssignmentExpression') {
    const left = memberParts(parent.left);
    call.assignedTo = left ? [left.join('.')] : boundNames(parent.left);
  } else if (parent?.type === 'ObjectProperty') {
    const key = propertyKey(parent);
    if (key) call.propertyKey = key;
  } else if (parent?.type === 'ClassProperty' && parent.key.type === 'Identifier') call.assignedTo = [`this.${parent.key.name}`];
  for (let k = ancestors.length - 1; k >= 0 && !call.ownerName; k--) {
    const a = ancestors[k]!;
    if (a.type === 'VariableDeclarator' && a.id.type === 'Identifier') call.ownerName = a.id.name;
    else if (a.type === 'FunctionDeclaration' && a.id) call.ownerName = a.id.name;
  }
}
