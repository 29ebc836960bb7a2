import type { ImportFact, OptionValue, Range } from './facts.js';
import { emptyGuards, emptyLimits, type LlmAgent, type LlmCall, type LlmFacts, type LlmGuards, type LlmLimits, type LlmSinkFlow, type LlmTool } from './llm.js';
import { AGENT_CONSTRUCTORS, LIMIT_OPTIONS, PROMPT_OPTION, SYSTEM_OPTION, sdkOfModule, type LlmSdk } from './llm-providers.js';
import {
  APPROVAL_OPTION,
  GUARD_CALLS,
  KILL_SWITCH,
  OUTPUT_SINKS as OUTPUT_SINK_LIST,
  REQUEST_TEXT,
  ROLE_TEXT,
  TRACING_CALL,
  TRACING_MODULES,
  effectOfCall,
} from './llm-effects.js';
import { derivedClients, isBindTools, pipedChains } from './llm-clients.js';
import { findTools, isWrapperToolCall } from './llm-tools.js';
import { logStrengthOf } from './audit-logging.js';
import { classifySensitiveName } from './sensitive-data.js';
import { MCP_HELPER_MODULE, within, type LlmScan, type ScanArgument, type ScanCall, type ScanFunction } from './llm-scan.js';

/**
 * The LLM analysis of one file, language-neutral: which calls reach an LLM SDK (by import, by a client bound from
 * an SDK constructor, or by a method specific to an SDK imported in the file), the agents and tools declared, the
 * limits set, and the guards (audit, redaction, approval, role check, kill switch) in the enclosing function.
 * Local data flow is textual and stays inside one function (documented in the SOC2-012/015 limitations).
 */

export interface Binding {
  module: string;
  imported: string;
}

/** Fallback by method when the client comes from elsewhere: only SDKs whose method names are their own. */
const SPECIFIC_METHOD_SDKS = new Set(['openai', 'anthropic', 'google-genai', 'mistral', 'mcp-client', 'bedrock']);
const MESSAGE_CLASS = /^(SystemMessage|SystemMessagePromptTemplate(\.from_template)?|SystemPromptTemplate)$/;

export function bindingsOf(imports: readonly ImportFact[]): Map<string, Binding> {
  const map = new Map<string, Binding>();
  for (const imp of imports) for (const n of imp.names) map.set(n.local, { module: imp.module, imported: n.imported });
  return map;
}

/** `self.client.chat.completions.create` → root `self.client`; `client.x` → `client`. */
function rootOf(callee: string): string {
  const parts = callee.split('.');
  if ((parts[0] === 'self' || parts[0] === 'this') && parts.length > 1) return `${parts[0]}.${parts[1]}`;
  return parts[0]!;
}

/** The callee with an imported root replaced by module and name (`exec` from child_process → `child_process.exec`). */
export function canonicalCallee(callee: string, bindings: Map<string, Binding>): string {
  const parts = callee.split('.');
  const b = bindings.get(parts[0]!);
  if (!b) return callee;
  const mod = b.module.replace(/^node:/, '');
  if (mod === 'child_process') return ['child_process', ...(b.imported === '*' || b.imported === 'default' ? [] : [b.imported]), ...parts.slice(1)].join('.');
  if (b.imported !== '*' && b.imported !== 'default' && b.imported !== parts[0]) return [b.imported, ...parts.slice(1)].join('.');
  return callee;
}

function literalString(v: OptionValue | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length < 120 ? v : undefined;
}

function limitsOf(call: ScanCall, extra: LlmLimits = emptyLimits()): LlmLimits {
  const out: LlmLimits = { tokens: [...extra.tokens], steps: [...extra.steps], timeout: [...extra.timeout], disabled: [...extra.disabled] };
  const visit = (key: string, arg: ScanArgument): void => {
    const k = key.split('.').pop()!;
    const disabled = arg.value === null || /^(float\(['"]inf['"]\)|Infinity|Number\.POSITIVE_INFINITY|math\.inf|None)$/.test(arg.text.trim());
    const huge = typeof arg.value === 'number' && arg.value >= 10_000 && !LIMIT_OPTIONS.tokens.test(k);
    if (LIMIT_OPTIONS.tokens.test(k)) (disabled ? out.disabled : out.tokens).push(k);
    if (LIMIT_OPTIONS.steps.test(k)) (disabled || huge ? out.disabled : out.steps).push(k);
    if (LIMIT_OPTIONS.timeout.test(k)) (disabled ? out.disabled : out.timeout).push(k);
    // Nested settings (`config={"recursion_limit": 50}`, `providerOptions`, `model_kwargs`): the names inside count.
    for (const m of arg.text.matchAll(/["']?(\w+)["']?\s*[:=]\s*([^,}\n]+)/g)) {
      const inner = m[1]!;
      if (inner === k) continue;
      const isNone = /^(None|null|undefined|float\(['"]inf['"]\)|Infinity)\b/.test(m[2]!.trim());
      if (LIMIT_OPTIONS.steps.test(inner)) (isNone ? out.disabled : out.steps).push(inner);
      else if (LIMIT_OPTIONS.tokens.test(inner)) (isNone ? out.disabled : out.tokens).push(inner);
      else if (LIMIT_OPTIONS.timeout.test(inner)) (isNone ? out.disabled : out.timeout).push(inner);
    }
  };
  for (const [key, arg] of Object.entries(call.options)) visit(key, arg);
  for (const k of Object.keys(out) as Array<keyof LlmLimits>) out[k] = [...new Set(out[k])];
  return out;
}

/** The text of string literals removed, interpolations kept (`f"Hi {user.email}"` → `{user.email}`). */
export function codeOnly(text: string): string {
  return text
    .replace(/`(?:[^`\\$]|\\.|\$(?!\{))*`/g, '')
    .replace(/`((?:[^`\\]|\\.)*)`/g, (_m, body: string) => ` ${[...body.matchAll(/\$\{([^}]*)\}/g)].map((x) => x[1]).join(' ')} `)
    .replace(
      /\b[fF][rR]?("""|'''|"|')((?:(?!\1)[^\\]|\\.)*)\1/g,
      (_m, _q, body: string) => ` ${[...body.matchAll(/\{([^}]*)\}/g)].map((x) => x[1]).join(' ')} `,
    )
    .replace(/("""|'''|"|')((?:(?!\1)[^\\]|\\.)*)\1/g, ' ');
}

/** Identifiers and member segments read in code text (object keys and keyword names left out). */
export function namesRead(code: string): string[] {
  const withoutKeys = code.replace(/([{,(]\s*)(\w+)\s*(:(?!:)|=(?!=))/g, '$1');
  return [...withoutKeys.matchAll(/[A-Za-z_$][\w$]*/g)].map((m) => m[0]);
}

const wordIn = (name: string, text: string): boolean => new RegExp(`(^|[^\\w$.])${name.replace(/[$.]/g, '\\$&')}\\b`).test(text);

/** Imports that make analyzeLlm read the whole scan: an LLM SDK, an agent framework, MCP (tracing alone gives a short answer). */
export function llmImportsRead(imports: readonly ImportFact[], lang: LlmScan['language']): boolean {
  const agent = (m: string): boolean => AGENT_CONSTRUCTORS.some((a) => a.modules.test(m)) || /^(ai|@openai\/agents|agents)$/.test(m);
  const mcp = (m: string): boolean => /^(mcp|fastmcp|@modelcontextprotocol)/.test(m) || (lang === 'javascript' && MCP_HELPER_MODULE.test(m));
  return imports.some((i) => sdkOfModule(i.module) !== undefined || agent(i.module) || mcp(i.module));
}

export function analyzeLlm(scan: LlmScan): LlmFacts | undefined {
  const bindings = bindingsOf(scan.imports);
  const lang = scan.language;
  const sdkImports = scan.imports.map((i) => sdkOfModule(i.module)).filter((s): s is LlmSdk => !!s);
  const tracing = scan.imports.filter((i) => TRACING_MODULES.test(i.module)).map((i) => i.module);
  if (!llmImportsRead(scan.imports, lang) && !scan.toolObjects?.length && !scan.calls.some(isWrapperToolCall) && !scan.calls.some(isBindTools))
    // A file that only installs tracing (`instrumentation.ts` with `registerOTel`) still tells SOC2-011 calls are recorded.
    return tracing.length > 0 ? { calls: [], agents: [], tools: [], tracing: [...new Set(tracing)], systemPrompts: [] } : undefined;

  const outer = scan.functions.filter((f) => !f.nested);
  const outerOf = (range: Range): ScanFunction | undefined => outer.find((f) => within(range, f.range));
  const callsIn = (range: Range): ScanCall[] => scan.calls.filter((c) => within(c.range, range));

  // Clients: variables bound from an SDK constructor (with the constructor's own limits, e.g. `timeout`).
  const clients = new Map<string, { sdk: LlmSdk; provider: string; limits: LlmLimits; model?: string; api: string }>();
  // Where each client variable is bound: a call uses the last binding before it in its own function, if any.
  const clientSites: Array<{ name: string; range: Range; info: NonNullable<ReturnType<typeof clients.get>> }> = [];
  const clientAt = (name: string, range: Range) => {
    const fn = outerOf(range);
    const before = fn ? clientSites.filter((c) => c.name === name && within(c.range, fn.range) && c.range.start.line <= range.start.line) : [];
    return before.length > 0 ? before[before.length - 1]!.info : clients.get(name);
  };
  const modelSites: Array<{ call: ScanCall; sdk: LlmSdk; provider: string; model: string | undefined }> = [];
  const sdkOfCall = (call: ScanCall): LlmSdk | undefined => {
    const parts = call.callee.split('.');
    const b = bindings.get(parts[0]!);
    if (!b) return undefined;
    const sdk = sdkOfModule(b.module);
    const ctor = parts.length === 1 ? (b.imported === '*' || b.imported === 'default' ? parts[0]! : b.imported) : parts[parts.length - 1]!;
    return sdk?.clients.test(ctor) ? sdk : undefined;
  };
  for (const call of scan.calls) {
    const sdk = sdkOfCall(call);
    if (!sdk) continue;
    const model = literalString(call.options.model?.value) ?? literalString(call.options.model_name?.value) ?? literalString(call.options.modelName?.value);
    const last = call.callee.split('.').pop()!;
    const provider = /Azure/.test(last)
      ? 'azure-openai'
      : sdk.id === 'langchain' || sdk.id === 'llamaindex'
        ? providerOfClass(last, sdk.provider)
        : sdk.provider;
    const info = { sdk, provider, limits: limitsOf(call), ...(model ? { model } : {}), api: call.callee };
    for (const t of call.assignedTo) {
      clients.set(t, info);
      clientSites.push({ name: t, range: call.range, info });
    }
    // A LangChain / LlamaIndex chat model is where provider, model and limits are set: listed as a `model` entry.
    if ((sdk.id === 'langchain' || sdk.id === 'llamaindex') && /^(Chat\w+|AzureChatOpenAI|BedrockChat|init_chat_model|initChatModel|\w+Embeddings)$/.test(last))
      modelSites.push({ call, sdk, provider, model });
  }
  // Runnables derived from a model (`llm.with_structured_output(X)`) and clients kept by a wrapper class (`self.llm`).
  for (const [name, from] of derivedClients(scan, new Set(clients.keys()))) {
    const c = clients.get(from);
    if (c) clients.set(name, c);
  }
  // `llm_provider.llm.bind_tools(tools)`: only a LangChain chat model has bind_tools, wherever the model was built.
  // The file need not import LangChain: the model may be built in another module and handed over.
  const langchain = sdkImports.find((s) => s.id === 'langchain') ?? (scan.calls.some(isBindTools) ? sdkOfModule('langchain_core') : undefined);
  for (const call of langchain ? scan.calls : [])
    if (isBindTools(call) && call.assignedTo.length === 1 && !clients.has(call.assignedTo[0]!))
      clients.set(call.assignedTo[0]!, { sdk: langchain!, provider: 'langchain', limits: emptyLimits(), api: call.callee });
  // LCEL: `chain = prompt | model | parser`, a LangChain prompt template piped into a model, is a runnable that calls it.
  for (const [name, from] of langchain ? pipedChains(scan, bindings, clients) : []) {
    const c = clients.get(from);
    clients.set(name, c ?? { sdk: langchain!, provider: 'langchain', limits: emptyLimits(), api: from });
  }

  const guardsFor = (range: Range, body?: ScanFunction): LlmGuards => {
    const g = emptyGuards();
    const scope = body ?? outerOf(range);
    if (!scope) return g;
    for (const c of callsIn(scope.range)) {
      const callee = c.callee;
      const strength = logStrengthOf(callee);
      if (strength === 'audit' || strength === 'logger') g.audit.push(callee);
      if (GUARD_CALLS.redaction.pattern.test(callee)) g.redaction.push(callee);
      if (GUARD_CALLS.approval.pattern.test(callee)) g.approval.push(callee);
      if (GUARD_CALLS.roleCheck.pattern.test(callee)) g.roleCheck.push(callee);
    }
    for (const d of scope.decorators) {
      if (/^(audit|audit_log|audited|Audit)\b/.test(d)) g.audit.push(`@${d}`);
      if (/^(permission_required|require_role|roles_required|requires_permission|Roles|RequirePermissions|admin_required)\b/.test(d)) g.roleCheck.push(`@${d}`);
    }
    if (ROLE_TEXT.test(scope.text)) g.roleCheck.push('role comparison');
    const kill = KILL_SWITCH.exec(scope.text);
    if (kill) g.killSwitch.push(kill[1]!);
    for (const k of Object.keys(g) as Array<keyof LlmGuards>) g[k] = [...new Set(g[k])];
    return g;
  };

  /** Request-derived names in a function: assigned from request data, up to three hops. */
  const requestNames = (fn: ScanFunction | undefined): Set<string> => {
    const names = new Set<string>();
    if (!fn) return names;
    const assigns = scan.assignments.filter((a) => within(a.range, fn.range));
    for (let round = 0; round < 3; round++) {
      for (const a of assigns) {
        if (a.targets.every((t) => names.has(t))) continue;
        const value = codeOnly(a.value);
        if (REQUEST_TEXT[lang].test(value) || [...names].some((n) => wordIn(n, value))) for (const t of a.targets) names.add(t);
      }
    }
    return names;
  };
  const requestIn = (text: string, names: Set<string>): string | undefined => {
    const code = codeOnly(text);
    const direct = REQUEST_TEXT[lang].exec(code);
    if (direct) return direct[0];
    return [...names].find((n) => wordIn(n, code));
  };

  const calls: LlmCall[] = [];
  const agents: LlmAgent[] = [];
  const systemPrompts: LlmFacts['systemPrompts'] = [];

  const classify = (call: ScanCall): { sdk: LlmSdk; provider: string; model?: string; clientLimits?: LlmLimits } | undefined => {
    const root = rootOf(call.callee);
    const client = clientAt(root, call.range);
    const tail = call.callee.slice(root.length + 1);
    if (client && tail && (client.sdk.calls.test(tail) || client.sdk.calls.test(call.callee))) {
      return { sdk: client.sdk, provider: client.provider, ...(client.model ? { model: client.model } : {}), clientLimits: client.limits };
    }
    const b = bindings.get(call.callee.split('.')[0]!);
    const sdk = b ? sdkOfModule(b.module) : undefined;
    if (sdk) {
      const name = call.callee.includes('.') ? call.callee : b!.imported === '*' || b!.imported === 'default' ? call.callee : b!.imported;
      const tailOfModule = call.callee.split('.').slice(1).join('.');
      if (
        sdk.functions?.test(name) ||
        sdk.functions?.test(tailOfModule) ||
        (call.callee.includes('.') && sdk.calls.test(call.callee) && sdk.id !== 'langchain')
      )
        return { sdk, provider: sdk.provider };
    }
    if (call.callee.split('.').length >= 2)
      for (const s of sdkImports)
        if (SPECIFIC_METHOD_SDKS.has(s.id) && s.calls.test(call.callee) && !clients.has(root)) return { sdk: s, provider: s.provider };
    return undefined;
  };

  for (const call of scan.calls) {
    const fn = outerOf(call.range);
    const agentCtor = agentOf(call, bindings);
    const hit = agentCtor ? undefined : classify(call);
    const reqNames = requestNames(fn);
    // System prompts built from request data, wherever they are written in a file that uses an LLM.
    const systemArgs: Array<[string, ScanArgument]> = Object.entries(call.options).filter(([k]) => SYSTEM_OPTION.test(k));
    const last = call.callee.split('.').pop()!;
    if (MESSAGE_CLASS.test(last) || MESSAGE_CLASS.test(call.callee)) {
      const first = call.positional[0] ?? call.options.content ?? call.options.template;
      if (first) systemArgs.push([last, first]);
    }
    for (const [, arg] of [...Object.entries(call.options), ...call.positional.map((p, i) => [`${i}`, p] as const)]) {
      for (const m of arg.text.matchAll(/["']?role["']?\s*[:=]\s*["']system["']\s*,\s*["']?content["']?\s*[:=]\s*([^}\n]+)/g))
        systemArgs.push(['role: system', { text: m[1]!, value: { expr: m[1]! }, range: arg.range, isFunction: false }]);
      for (const m of arg.text.matchAll(/\(\s*["']system["']\s*,\s*([^)\n]+)\)/g))
        systemArgs.push(['("system", …)', { text: m[1]!, value: { expr: m[1]! }, range: arg.range, isFunction: false }]);
    }
    if (hit || agentCtor || MESSAGE_CLASS.test(last)) {
      for (const [via, arg] of systemArgs) {
        // A helper builds the prompt (`systemPrompt({ selectedChatModel })`): what it puts in is not followed.
        if (/^(await\s+)?[\w$.]+\(/.test(arg.text.trim())) continue;
        const source = requestIn(arg.text, reqNames);
        if (source) systemPrompts.push({ source, via, api: call.callee, range: call.range, ...(fn ? { function: fn.qualifiedName } : {}) });
      }
    }
    if (agentCtor) {
      const limits = limitsOf(call);
      const model = literalString(call.options.model?.value) ?? literalString(call.positional[0]?.value) ?? literalString(call.options.llm?.value);
      const tools = agentCtor.graph ? [] : (call.options.tools?.names ?? call.positional.find((p) => p.names)?.names ?? []);
      const approval = Object.keys(call.options).filter((k) => APPROVAL_OPTION.test(k) && !/NEVER/.test(call.options[k]!.text));
      const guards = guardsFor(call.range);
      guards.approval.push(...approval);
      agents.push({
        framework: agentCtor.framework,
        api: call.callee,
        ...(model ? { model: model.replace(/^\w+:/, (p) => p) } : {}),
        tools: [...new Set(tools)],
        limits,
        ...(agentCtor.defaultStepLimit ? { defaultStepLimit: agentCtor.defaultStepLimit } : {}),
        ...(fn ? { function: fn.qualifiedName } : {}),
        guards,
        range: call.range,
      });
      continue;
    }
    if (!hit) continue;
    const isVercel = hit.sdk.id === 'vercel-ai';
    const modelArg = call.options.model;
    const vercelModel = isVercel && modelArg ? /^\w+\(\s*['"`]([^'"`]+)['"`]/.exec(modelArg.text.trim()) : null;
    const providerFn = isVercel && modelArg ? /^(\w+)\(/.exec(modelArg.text.trim())?.[1] : undefined;
    // Only a provider function imported from an @ai-sdk package names the provider (`openai('gpt-4o')`).
    const vercelProvider = providerFn && /^@ai-sdk\//.test(bindings.get(providerFn)?.module ?? '') ? providerFn : undefined;
    const model =
      vercelModel?.[1] ??
      literalString(modelArg?.value) ??
      literalString(call.options.modelId?.value) ??
      literalString(call.options.model_id?.value) ??
      hit.model;
    const kind: LlmCall['kind'] = /embed/i.test(call.callee)
      ? 'embedding'
      : hit.sdk.id === 'mcp-client'
        ? 'mcp-call'
        : /^(Runner\.|run$)/.test(call.callee)
          ? 'agent-run'
          : 'chat';
    const limits = limitsOf(call, hit.clientLimits);
    const tools = call.options.tools?.names ?? [];
    const promptArgs = [
      ...Object.entries(call.options)
        .filter(([k]) => PROMPT_OPTION.test(k))
        .map(([, a]) => a),
      ...call.positional.filter((p) => !p.isFunction),
    ];
    const sensitive = sensitiveIn(promptArgs, fn, scan);
    const entry: LlmCall = {
      provider: vercelProvider ? vercelProvider.replace(/^create/, '').toLowerCase() : hit.provider,
      sdk: hit.sdk.id,
      kind,
      api: call.callee,
      ...(model ? { model } : {}),
      limits,
      tools: [...new Set(tools)],
      ...(fn ? { function: fn.qualifiedName } : {}),
      guards: guardsFor(call.range),
      sensitive,
      outputSinks: fn ? outputSinks(call, fn, scan, bindings) : [],
      inUnboundedLoop: scan.unboundedLoops.some((l) => within(call.range, l)),
      range: call.range,
    };
    calls.push(entry);
    if (isVercel && (call.options.tools || call.options.maxSteps || call.options.stopWhen)) {
      agents.push({
        framework: 'vercel-ai',
        api: call.callee,
        ...(model ? { model } : {}),
        tools: [...new Set(tools)],
        limits,
        defaultStepLimit: 'one step (AI SDK default)',
        ...(fn ? { function: fn.qualifiedName } : {}),
        guards: entry.guards,
        range: call.range,
      });
    }
  }
  for (const { call, sdk, provider, model } of modelSites) {
    const fn = outerOf(call.range);
    calls.push({
      provider,
      sdk: sdk.id,
      kind: 'model',
      api: call.callee,
      ...(model ? { model } : {}),
      limits: limitsOf(call),
      tools: [],
      ...(fn ? { function: fn.qualifiedName } : {}),
      guards: guardsFor(call.range),
      sensitive: [],
      outputSinks: [],
      inUnboundedLoop: false,
      range: call.range,
    });
  }
  calls.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  for (const call of scan.calls) {
    if (TRACING_CALL.test(call.callee) && (tracing.length > 0 || /wrap|Tracer|traceable/.test(call.callee))) tracing.push(call.callee);
    for (const [k, arg] of Object.entries(call.options)) {
      if (/^(base_url|baseURL|baseUrl|api_base)$/.test(k) && /helicone|portkey|langfuse/i.test(arg.text))
        tracing.push(`${k}: ${/helicone|portkey|langfuse/i.exec(arg.text)![0]}`);
      if (k === 'experimental_telemetry' && /isEnabled\s*:/.test(arg.text) && !/isEnabled\s*:\s*false/.test(arg.text)) tracing.push('experimental_telemetry');
      if (/^(callbacks|callback_manager)$/.test(k) && /Langfuse|LangChainTracer|Tracer|Handler/.test(arg.text)) tracing.push(`${k}: ${arg.text.slice(0, 60)}`);
    }
  }
  for (const fn of scan.functions)
    for (const d of fn.decorators)
      if (/^(traceable|observe|langfuse\.observe|weave\.op|logfire\.instrument|agentops\.\w+)\b/.test(d)) tracing.push(`@${d.replace(/\(.*$/s, '')}`);

  const tools: LlmTool[] = findTools(scan, bindings, agents).map((t) => {
    const body = t.body;
    const effects: LlmTool['effects'] = [];
    if (body) {
      const bodyCalls = callsIn(body.range);
      const visited = new Set<string>([body.qualifiedName]);
      // One hop into functions of the same file called from the tool body.
      for (const c of [...bodyCalls]) {
        const target = scan.functions.find((f) => f.name === c.callee.replace(/^(self|this)\./, '') && !visited.has(f.qualifiedName));
        if (target) {
          visited.add(target.qualifiedName);
          bodyCalls.push(...callsIn(target.range));
        }
      }
      for (const c of bodyCalls) {
        const effect = effectOfCall(lang, canonicalCallee(c.callee, bindings), c.text);
        if (effect && !effects.some((e) => e.kind === effect && e.api === c.callee)) effects.push({ kind: effect, api: c.callee, line: c.range.start.line });
      }
    }
    // An MCP tool that declares itself destructive acts, whatever its body calls (`await branching.mergeBranch(id)`).
    if (t.approval.some((a) => a.startsWith('destructiveHint')) && !effects.some((e) => e.kind !== 'http' && e.kind !== 'fs'))
      effects.push({ kind: 'write', api: 'destructiveHint: true', line: t.range.start.line });
    const guards = body ? guardsFor(body.range, body) : emptyGuards();
    guards.approval.push(...t.approval);
    const runByName = !body && t.framework === 'tool-definition' ? { runByName: true } : {};
    return { name: t.name, ...(t.binding ? { binding: t.binding } : {}), framework: t.framework, via: t.via, effects, guards, range: t.range, ...runByName };
  });

  if (calls.length + agents.length + tools.length + systemPrompts.length === 0 && tracing.length === 0) return undefined;
  return { calls, agents, tools, tracing: [...new Set(tracing)], systemPrompts };
}

function providerOfClass(name: string, fallback: string): string {
  const m = /(OpenAI|Anthropic|Google|Gemini|Vertex|Bedrock|Mistral|Cohere|Ollama|Groq|Azure)/.exec(name);
  if (!m) return fallback;
  const p = m[1]!.toLowerCase();
  return p === 'gemini' || p === 'vertex' ? 'google' : p === 'azure' ? 'azure-openai' : p;
}

function agentOf(call: ScanCall, bindings: Map<string, Binding>): (typeof AGENT_CONSTRUCTORS)[number] | undefined {
  const parts = call.callee.split('.');
  const b = bindings.get(parts[0]!);
  if (!b) return undefined;
  const name =
    parts.length === 1
      ? b.imported === '*' || b.imported === 'default'
        ? parts[0]!
        : b.imported
      : b.imported === '*'
        ? parts.slice(1).join('.')
        : [b.imported, ...parts.slice(1)].join('.');
  return AGENT_CONSTRUCTORS.find((a) => a.modules.test(b.module) && a.callee.test(name));
}

/** Sensitive names read in the prompt arguments, or in the values of local variables they name (two hops). */
function sensitiveIn(args: readonly ScanArgument[], fn: ScanFunction | undefined, scan: LlmScan): string[] {
  const found = new Set<string>();
  const assigns = fn ? scan.assignments.filter((a) => within(a.range, fn.range)) : [];
  const seen = new Set<string>();
  const visit = (text: string, depth: number): void => {
    for (const name of namesRead(codeOnly(text))) {
      const hit = classifySensitiveName(name);
      if (hit && hit.category !== 'custom') found.add(name);
      if (depth < 2 && !seen.has(name)) {
        seen.add(name);
        for (const a of assigns) if (a.targets.includes(name)) visit(a.value, depth + 1);
      }
    }
  };
  for (const a of args) visit(a.text, 0);
  return [...found].sort();
}

/** Model output (the call's result and what is derived from it in the function) reaching an output sink. */
function outputSinks(call: ScanCall, fn: ScanFunction, scan: LlmScan, bindings: Map<string, Binding>): LlmSinkFlow[] {
  const tainted = new Set(call.assignedTo.filter((t) => !/^(self|this)\./.test(t)));
  if (tainted.size === 0) return [];
  const after = (r: Range): boolean =>
    r.start.line > call.range.start.line || (r.start.line === call.range.start.line && r.start.column > call.range.end.column);
  const assigns = scan.assignments.filter((a) => within(a.range, fn.range) && after(a.range));
  for (let round = 0; round < 3; round++)
    for (const a of assigns) if ([...tainted].some((t) => wordIn(t, codeOnly(a.value)))) for (const t of a.targets) tainted.add(t);
  const out: LlmSinkFlow[] = [];
  for (const c of scan.calls) {
    if (!within(c.range, fn.range) || !after(c.range)) continue;
    const callee = canonicalCallee(c.callee, bindings);
    const argText = codeOnly([...c.positional, ...Object.values(c.options)].map((a) => a.text).join(' , '));
    const computed = c.calleeText && /^(globals\(\)|locals\(\))\[/.test(c.calleeText) ? c.calleeText : undefined;
    for (const s of OUTPUT_SINK_LIST) {
      if (s.language && s.language !== scan.language) continue;
      const text = computed ? codeOnly(computed) : argText;
      if (!(computed ? s.sink === 'dispatch' : s.pattern.test(callee))) continue;
      if (scan.language === 'javascript' && s.sink === 'eval' && callee === 'exec') continue;
      const via = [...tainted].find((t) => wordIn(t, text));
      if (via) out.push({ sink: s.sink, api: computed ?? c.callee, via, range: c.range });
      break;
    }
  }
  return out;
}
