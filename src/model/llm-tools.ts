import type { Range } from './facts.js';
import type { LlmAgent } from './llm.js';
import { APPROVAL_OPTION } from './llm-effects.js';
import { MCP_HELPER_MODULE, within, type LlmScan, type ScanArgument, type ScanCall, type ScanFunction } from './llm-scan.js';

/**
 * The tools a model can call, declared the ways the SDKs allow: decorators (`@tool`, `@function_tool`,
 * `@mcp.tool()`, `@agent.tool`), calls (`tool({ execute })`, `tool(fn, { name })`, `new DynamicStructuredTool`,
 * `server.tool(name, …, handler)`, `server.registerTool`, `Tool(func=…)`, `StructuredTool.from_function`,
 * `FunctionTool.from_defaults`, autogen `FunctionTool(fn)`, `register_function(fn)`), `BaseTool` subclasses, and
 * plain functions listed in an agent's `tools=[…]`.
 */

export interface FoundTool {
  name: string;
  binding?: string;
  framework: string;
  via: string;
  body?: ScanFunction;
  approval: string[];
  range: Range;
}

interface Binding {
  module: string;
  imported: string;
}

const FRAMEWORK_OF_MODULE: Array<[RegExp, string]> = [
  [/^(langchain(_\w+)?(\..*)?|@langchain\/.*|langchain\/.*)$/, 'langchain'],
  [/^(crewai(\..*)?|crewai_tools)$/, 'crewai'],
  [/^(agents|@openai\/agents(\/.*)?)$/, 'openai-agents'],
  [/^(mcp(\..*)?|fastmcp(\..*)?|@modelcontextprotocol\/sdk(\/.*)?)$/, 'mcp'],
  [/^(pydantic_ai(\..*)?)$/, 'pydantic-ai'],
  [/^(llama_index(\..*)?|llamaindex|@llamaindex\/.*)$/, 'llamaindex'],
  [/^(autogen(_core|_agentchat|_ext)?(\..*)?|pyautogen)$/, 'autogen'],
  [/^(ai)$/, 'vercel-ai'],
];

/** `injectableTool({ …, execute })`: a function named like a tool factory, called with an `execute` handler and a description, schema or spread definitions. */
export function isWrapperToolCall(call: ScanCall): boolean {
  const last = call.callee.replace(/^new /, '').split('.').pop()!;
  if (!/^([a-z][\w$]*Tool|[a-z]\w*_tool)$/.test(last) || !call.options.execute) return false;
  return !!(call.options.description || call.options.parameters || call.options.inputSchema || (call.spreads ?? []).length > 0);
}

function frameworkOf(module: string): string | undefined {
  return FRAMEWORK_OF_MODULE.find(([re]) => re.test(module))?.[1] ?? (MCP_HELPER_MODULE.test(module) ? 'mcp-helper' : undefined);
}

export function findTools(scan: LlmScan, bindings: Map<string, Binding>, agents: readonly LlmAgent[]): FoundTool[] {
  const out: FoundTool[] = [];
  const fnByName = (name: string): ScanFunction | undefined => scan.functions.find((f) => f.name === name && !f.className);
  const fnOfArg = (arg: ScanArgument | undefined): ScanFunction | undefined => {
    if (!arg) return undefined;
    if (arg.isFunction)
      return scan.functions.find((f) => within(f.range, arg.range) && within(arg.range, f.range)) ?? scan.functions.find((f) => within(f.range, arg.range));
    const id = /^[\w$.]+$/.test(arg.text.trim()) ? arg.text.trim().split('.').pop()! : undefined;
    return id ? (fnByName(id) ?? scan.functions.find((f) => f.name === id)) : undefined;
  };
  const str = (arg: ScanArgument | undefined): string | undefined => (typeof arg?.value === 'string' ? arg.value : undefined);
  const destructive = new Set(scan.destructiveKeys ?? []);
  const approvalOf = (call: ScanCall | undefined, mcp = false): string[] => {
    if (!call) return [];
    const out = Object.entries(call.options)
      .filter(([k, a]) => APPROVAL_OPTION.test(k) && !/^(false|False|None|null)$/.test(a.text.trim()))
      .map(([k]) => k);
    // MCP: a tool annotated `destructiveHint: true` asks the host to confirm it with the user (the spec's human in the
    // loop sits in the client), in the call or in a definitions object spread into it.
    const annotated =
      /^true$/.test(call.options.destructiveHint?.text.trim() ?? '') ||
      /\bdestructiveHint\s*:\s*true\b/.test(call.options.annotations?.text ?? '') ||
      (call.spreads ?? []).some((s) => destructive.has(s.split('.').pop()!));
    // `annotations: createRefundAnnotations()`: a function of the file that returns them.
    const annotationsFn = /^([\w$]+)\(\s*\)$/.exec(call.options.annotations?.text.trim() ?? '')?.[1];
    const returned = annotationsFn ? /\bdestructiveHint\s*:\s*true\b/.test(fnByName(annotationsFn)?.text ?? '') : false;
    if (mcp && (annotated || returned)) out.push('destructiveHint (MCP host confirmation)');
    return out;
  };

  // Variables bound to MCP servers and pydantic-ai agents (their `.tool` decorators and methods declare tools).
  const instances = new Map<string, string>();
  for (const call of scan.calls) {
    const parts = call.callee.split('.');
    const b = bindings.get(parts[0]!);
    if (!b) continue;
    const name = parts.length === 1 ? b.imported : parts[parts.length - 1]!;
    const fw = frameworkOf(b.module);
    if ((fw === 'mcp' && /^(FastMCP|McpServer|Server)$/.test(name)) || (fw === 'pydantic-ai' && name === 'Agent'))
      for (const t of call.assignedTo) instances.set(t, fw === 'mcp' ? 'mcp' : 'pydantic-ai');
  }

  // A server passed as a parameter typed by an MCP server class (`registerPaidTool(mcpServer: McpServer, …)`, `def add_tools(mcp: FastMCP)`).
  for (const fn of scan.functions) {
    const ends = [fn.text.indexOf('{'), fn.text.indexOf('=>'), fn.text.search(/\)\s*(->[^:\n]*)?:/)].filter((i) => i >= 0);
    const header = fn.text.slice(0, ends.length > 0 ? Math.min(...ends) : 0);
    for (const p of fn.params) {
      const type = new RegExp(`(^|[(,\\s])${p.replace(/\$/g, '\\$')}\\??\\s*:\\s*([\\w.]+)`).exec(header)?.[2];
      const b = type ? bindings.get(type.split('.')[0]!) : undefined;
      if (!b || frameworkOf(b.module) !== 'mcp') continue;
      const cls = type!.includes('.') || b.imported === '*' || b.imported === 'default' ? type!.split('.').pop()! : b.imported;
      if (/^(McpServer|FastMCP|Server)$/.test(cls)) instances.set(p, 'mcp');
    }
  }

  // A class that extends an MCP server registers tools on itself (`class Toolkit extends McpServer { … this.tool(…) }`).
  for (const cls of scan.classes) {
    const base = bindings.get(cls.bases.trim().split('.')[0]!);
    if (base && frameworkOf(base.module) === 'mcp' && /\b(McpServer|Server|FastMCP)$/.test(cls.bases.trim())) instances.set('this', 'mcp');
  }

  // Decorated functions.
  for (const fn of scan.functions) {
    for (const d of fn.decorators) {
      const m = /^([\w.]+?)(\((.*)\))?$/s.exec(d.trim());
      if (!m) continue;
      const callee = m[1]!;
      const args = m[3] ?? '';
      const parts = callee.split('.');
      let framework: string | undefined;
      if (parts.length === 1) {
        const b = bindings.get(callee);
        if (b && /^(tool|function_tool)$/.test(b.imported)) framework = frameworkOf(b.module);
      } else if (/^(tool|tool_plain|add_tool)$/.test(parts[parts.length - 1]!)) {
        framework = instances.get(parts.slice(0, -1).join('.'));
      }
      if (!framework) continue;
      const named = /^\s*["']([^"']+)["']/.exec(args)?.[1] ?? /\bname\s*=\s*["']([^"']+)["']/.exec(args)?.[1];
      const approval = /\b(needs_approval|requires_approval|require_approval)\s*=\s*True/.test(args) ? ['needs_approval'] : [];
      out.push({ name: named ?? fn.name, binding: fn.name, framework, via: `@${callee}`, body: fn, approval, range: fn.range });
    }
  }

  // Declared by a call.
  for (const call of scan.calls) {
    const parts = call.callee.replace(/^new /, '').split('.');
    const b = bindings.get(parts[0]!);
    const last = parts[parts.length - 1]!;
    const ctor =
      parts.length === 1 && b ? (b.imported === '*' || b.imported === 'default' ? parts[0]! : b.imported) : parts.slice(b?.imported === '*' ? 1 : 0).join('.');
    const fw = b ? frameworkOf(b.module) : undefined;
    const bindingName = call.assignedTo[0] ?? call.propertyKey;
    const push = (framework: string, via: string, name: string | undefined, body: ScanFunction | undefined): void => {
      out.push({
        name: name ?? bindingName ?? call.ownerName ?? body?.name ?? via,
        ...(bindingName ? { binding: bindingName } : {}),
        framework,
        via,
        ...(body ? { body } : {}),
        approval: approvalOf(call, framework === 'mcp'),
        range: call.range,
      });
    };
    const receiver = parts.slice(0, -1).join('.');
    if (instances.get(receiver) === 'mcp' && /^(tool|registerTool|addTool|add_tool)$/.test(last) && call.positional.length > 0) {
      const handler = [...call.positional].reverse().find((p) => p.isFunction) ?? call.positional[call.positional.length - 1];
      // A name that is not a literal (`this.tool(tool.method, …)` in a loop over definitions) is shown as written.
      const dynamicName = call.positional[0] && /^[\w$.]+$/.test(call.positional[0].text) ? `<${call.positional[0].text}>` : undefined;
      push('mcp', `${receiver}.${last}`, str(call.positional[0]) ?? str(call.options.name) ?? dynamicName, fnOfArg(handler));
      continue;
    }
    if (!fw) {
      // A project's own wrapper of a framework's tool() (`injectableTool({ ...defs.x, execute })`, Mastra-style `createTool`).
      if (isWrapperToolCall(call)) {
        const mcp = !!call.options.annotations || (call.spreads ?? []).length > 0 || destructive.size > 0;
        out.push({
          name: str(call.options.name) ?? str(call.options.id) ?? call.propertyKey ?? bindingName ?? last,
          ...(bindingName ? { binding: bindingName } : {}),
          framework: mcp ? 'mcp' : 'project',
          via: `${last}()`,
          ...(fnOfArg(call.options.execute) ? { body: fnOfArg(call.options.execute)! } : {}),
          approval: approvalOf(call, mcp),
          range: call.range,
        });
      }
      continue;
    }
    if (ctor === 'tool' && fw === 'mcp-helper' && call.options.execute) {
      // A tool the server lists has a name; `return tool({ …, execute })` inside a project's own wrapper is not one.
      const name = str(call.options.name) ?? call.propertyKey ?? call.assignedTo[0];
      if (name) push('mcp', 'tool()', name, fnOfArg(call.options.execute));
    } else if (ctor === 'tool' && (fw === 'vercel-ai' || fw === 'openai-agents')) {
      push(fw, 'tool()', str(call.options.name) ?? call.propertyKey ?? call.assignedTo[0], fnOfArg(call.options.execute));
    } else if (ctor === 'tool' && fw === 'langchain') {
      const cfg = call.positional[1];
      const name = cfg ? /\bname\s*:\s*["'`]([^"'`]+)/.exec(cfg.text)?.[1] : undefined;
      // Python `tool(fn)` / `tool(Schema)`: named by what it wraps.
      const wrapped = /^[\w.]+$/.test(call.positional[0]?.text.trim() ?? '') ? call.positional[0]!.text.trim().split('.').pop() : undefined;
      // `tool(**tool_args)` where a loop variable named `tool` shadows the import runs a tool, it declares none.
      const body = fnOfArg(call.positional[0]);
      if (name || wrapped || body) push('langchain', 'tool()', name ?? wrapped, body);
    } else if (/^(DynamicStructuredTool|DynamicTool|Tool|StructuredTool(\.from_function)?|Tool\.from_function)$/.test(ctor) && fw === 'langchain') {
      const positionalName = ctor === 'Tool' ? str(call.positional[0]) : undefined;
      const func = call.options.func ?? call.options.coroutine ?? (ctor === 'Tool' ? call.positional[1] : call.positional[0]);
      push('langchain', ctor, str(call.options.name) ?? positionalName, fnOfArg(func));
    } else if (ctor === 'FunctionTool' && fw === 'openai-agents' && call.options.on_invoke_tool) {
      // `FunctionTool(name=…, on_invoke_tool=…)`: a tool built at run time, named by its factory when the name is not literal.
      const owner = scan.functions.find((f) => !f.nested && within(call.range, f.range));
      push('openai-agents', 'FunctionTool', str(call.options.name) ?? owner?.name, fnOfArg(call.options.on_invoke_tool));
    } else if (/^(FunctionTool(\.from_defaults)?)$/.test(ctor) && (fw === 'llamaindex' || fw === 'autogen')) {
      push(fw, ctor, str(call.options.name), fnOfArg(call.options.fn ?? call.positional[0]));
    } else if (ctor === 'register_function' && fw === 'autogen') {
      push('autogen', 'register_function', str(call.options.name), fnOfArg(call.positional[0]));
    }
  }

  const dispatched = (name: string): ScanFunction | undefined => {
    const entry = new RegExp(`["']${name.replace(/[^\w]/g, '')}["']\\s*:\\s*([A-Za-z_][\\w]*)\\s*[,}]`);
    for (const a of scan.assignments) {
      const fn = entry.exec(a.value)?.[1];
      if (fn && fnByName(fn)) return fnByName(fn);
    }
    return undefined;
  };
  // Tools kept as data (`{ method: 'create_refund', description, inputSchema, annotations, execute: createRefund }`).
  for (const obj of scan.toolObjects ?? []) {
    const name = str(obj.options.method) ?? str(obj.options.name) ?? obj.propertyKey;
    if (!name) continue;
    // No `execute`: run by name through a dispatch table of the file (`{"create_refund": create_refund, …}`).
    const body = fnOfArg(obj.options.execute) ?? dispatched(name);
    const approval = [...approvalOf(obj, !!obj.options.annotations), ...(/^true$/.test(obj.options.needsApproval?.text.trim() ?? '') ? ['needsApproval'] : [])];
    out.push({
      name,
      ...(obj.propertyKey ? { binding: obj.propertyKey } : {}),
      framework: 'tool-definition',
      via: obj.options.execute ? '{ execute }' : 'definition run by name',
      ...(body ? { body } : {}),
      approval,
      range: obj.range,
    });
  }

  // BaseTool subclasses: the tool body is _run / _arun.
  for (const cls of scan.classes) {
    if (!/\bBaseTool\b/.test(cls.bases)) continue;
    const body = scan.functions.find((f) => f.className === cls.name && /^(_run|_arun|run)$/.test(f.name));
    // A project's own `BaseTool` (a config model) is not a framework tool: the base must be imported from one and run.
    const base = bindings.get(/\b(\w+)\.BaseTool\b/.exec(cls.bases)?.[1] ?? 'BaseTool');
    const framework = base && frameworkOf(base.module);
    if (!framework || !body) continue;
    out.push({ name: cls.name, binding: cls.name, framework, via: 'BaseTool', body, approval: [], range: cls.range });
  }

  // Plain functions handed to an agent.
  const known = new Set(out.flatMap((t) => [t.name, t.binding ?? '']));
  for (const agent of agents) {
    for (const name of agent.tools) {
      if (known.has(name)) continue;
      const fn = fnByName(name);
      if (!fn) continue;
      known.add(name);
      out.push({ name, binding: name, framework: agent.framework, via: 'tools=[fn]', body: fn, approval: [], range: fn.range });
    }
  }
  return out;
}
