import type { PyNode as Node } from './syntax.js';
import { analyzeLlm } from '../../model/llm-analyze.js';
import { TRACING_MODULES } from '../../model/llm-effects.js';
import type { ImportFact } from '../../model/facts.js';
import type { LlmScan, ScanArgument, ScanCall } from '../../model/llm-scan.js';
import {
  callArguments,
  codeChildren,
  compact,
  decoratorsOf,
  dottedParts,
  enclosingClass,
  enclosingFunction,
  nodeRange,
  parameterNames,
  readPyValue,
  unwrapParens,
} from './ast.js';
import type { PyFeatureInput } from './feature-input.js';

/**
 * LLM and agent facts of one Python file (SOC2-011..015, `complianceagent agents`): reads calls, functions,
 * assignments, classes and `while True` loops into an LlmScan; model/llm-analyze.ts does the rest. Files that
 * import no LLM SDK, agent framework or MCP module are skipped by the analysis at once.
 */

const LLM_IMPORT =
  /^(openai|anthropic|google\.genai|google\.generativeai|vertexai|boto3|aioboto3|mistralai|cohere|ollama|litellm|langchain|langgraph|llama_index|agents|crewai|autogen|pydantic_ai|mcp|fastmcp)(\.|_|$)/;

/** `from google import genai` (the module is `google`, shared with every other Google library). */
const isGoogleGenAi = (i: ImportFact): boolean => i.module === 'google' && i.names.some((n) => /^(genai|generativeai)$/.test(n.imported));

export function extractPyLlm({ root, facts }: PyFeatureInput): void {
  // `provider.llm.bind_tools(tools)` marks a LangChain chat model even in a file that imports none (it was built elsewhere).
  // Tool definitions kept as data (`{"method": "create_refund", "description": …, "args_schema": CreateRefund}`) are
  // tools wherever they are written: a BaseTool elsewhere runs them by name.
  const toolObjects = root.descendantsOfType('dictionary').flatMap((d) => (d ? (readToolObject(d) ?? []) : []));
  if (
    !facts.imports.some((i) => LLM_IMPORT.test(i.module) || TRACING_MODULES.test(i.module) || isGoogleGenAi(i)) &&
    !/\.bind_tools\(/.test(root.text) &&
    toolObjects.length === 0
  )
    return;
  const scan: LlmScan = { language: 'python', imports: facts.imports, calls: [], functions: [], assignments: [], classes: [], unboundedLoops: [] };
  if (toolObjects.length > 0) scan.toolObjects = toolObjects;
  for (const node of root.descendantsOfType([
    'call',
    'function_definition',
    'lambda',
    'assignment',
    'augmented_assignment',
    'class_definition',
    'while_statement',
  ])) {
    if (!node) continue;
    switch (node.type) {
      case 'call':
        // `@server.call_tool()` registers a handler: a decorator, not a call made by this code.
        if (node.parent?.type !== 'decorator') {
          const call = readCall(node);
          scan.calls.push(call);
          const deferred = deferredCall(call);
          if (deferred) scan.calls.push(deferred);
        }
        break;
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text ?? '<anonymous>';
        const cls = enclosingClass(node);
        const inClass = cls && enclosingFunction(node) === null ? cls.childForFieldName('name')?.text : undefined;
        scan.functions.push({
          name,
          qualifiedName: inClass ? `${inClass}.${name}` : name,
          ...(inClass ? { className: inClass } : {}),
          decorators: decoratorsOf(node),
          params: parameterNames(node).map((p) => p.name),
          text: node.text,
          // With its decorators: a tool declared by `@tool` is reported on the decorator line.
          range: nodeRange(node.parent?.type === 'decorated_definition' ? node.parent : node),
          nested: enclosingFunction(node) !== null,
        });
        break;
      }
      case 'lambda':
        scan.functions.push({ name: '<lambda>', qualifiedName: '<lambda>', decorators: [], params: [], text: node.text, range: nodeRange(node), nested: true });
        break;
      case 'assignment':
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right) scan.assignments.push({ targets: targetsOf(left), value: right.text, range: nodeRange(node) });
        break;
      }
      case 'class_definition':
        scan.classes.push({
          name: node.childForFieldName('name')?.text ?? '',
          bases: node.childForFieldName('superclasses')?.text ?? '',
          range: nodeRange(node),
        });
        break;
      case 'while_statement': {
        const cond = unwrapParens(node.childForFieldName('condition'));
        if (cond && (cond.type === 'true' || cond.text === '1')) scan.unboundedLoops.push(nodeRange(node));
        break;
      }
    }
  }
  const llm = analyzeLlm(scan);
  if (llm) facts.llm = llm;
}

/**
 * `await asyncio.to_thread(client.models.generate_content, model=…, contents=…)`, `loop.run_in_executor(None, fn, …)`:
 * the function handed over uncalled is called there with the remaining arguments — read as that call, at the same place.
 */
function deferredCall(call: ScanCall): ScanCall | undefined {
  const executor = /(^|\.)run_in_executor$/.test(call.callee);
  if (!executor && !/^(asyncio\.)?to_thread$/.test(call.callee)) return undefined;
  const fn = call.positional[executor ? 1 : 0];
  if (!fn || !/^[A-Za-z_][\w.]*$/.test(fn.text.trim())) return undefined;
  return { ...call, callee: fn.text.trim(), positional: call.positional.slice(executor ? 2 : 1) };
}

/** A dict with the shape of a LangChain tool's fields: a name or method, a description and an `args_schema`. */
function readToolObject(node: Node): ScanCall | undefined {
  const options: Record<string, ScanArgument> = {};
  for (const pair of node.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    const k = key ? readPyValue(key) : undefined;
    if (typeof k === 'string' && value) options[k] = argumentOf(value);
  }
  if (!options.description || !options.args_schema || !(options.name || options.method)) return undefined;
  return { callee: '{}', positional: [], options, assignedTo: [], text: node.text.slice(0, 4000), range: nodeRange(node) };
}

function targetsOf(left: Node): string[] {
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'attribute') return [compact(left.text)];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern' || left.type === 'tuple')
    return codeChildren(left).flatMap((c) => targetsOf(c));
  return [];
}

function argumentOf(node: Node): ScanArgument {
  const n = unwrapParens(node) ?? node;
  const arg: ScanArgument = { text: node.text.slice(0, 2000), value: readPyValue(node), range: nodeRange(node), isFunction: n.type === 'lambda' };
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set') {
    arg.names = codeChildren(n)
      .map((c) =>
        c.type === 'identifier'
          ? c.text
          : c.type === 'attribute'
            ? (c.childForFieldName('attribute')?.text ?? '')
            : c.type === 'call'
              ? (dottedParts(c.childForFieldName('function'))?.pop() ?? '')
              : '',
      )
      .filter(Boolean);
  }
  return arg;
}

function readCall(node: Node): ScanCall {
  const fn = node.childForFieldName('function');
  // `Agent[Context](…)`: a generic class called, named by the class.
  const generic = fn?.type === 'subscript' && /^[\w.]*\b[A-Z]\w*$/.test(fn.childForFieldName('value')?.text ?? '');
  const parts = dottedParts(generic ? fn!.childForFieldName('value') : fn);
  const { positional, keywords } = callArguments(node);
  const options: Record<string, ScanArgument> = {};
  for (const [k, v] of keywords) options[k] = argumentOf(v);
  const call: ScanCall = {
    callee: parts ? parts.join('.') : '?',
    positional: positional.map(argumentOf),
    options,
    assignedTo: [],
    text: node.text.slice(0, 4000),
    range: nodeRange(node),
  };
  if (!parts && fn) call.calleeText = compact(fn.text).slice(0, 200);
  let p: Node | null = node.parent;
  while (p && (p.type === 'await' || p.type === 'parenthesized_expression')) p = p.parent;
  if (p?.type === 'assignment') {
    const left = p.childForFieldName('left');
    if (left) call.assignedTo = targetsOf(left);
  } else if (p?.type === 'keyword_argument') {
    const name = p.childForFieldName('name')?.text;
    if (name) call.propertyKey = name;
  }
  return call;
}
