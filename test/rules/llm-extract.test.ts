import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import type { LlmFacts } from '../../src/model/llm.js';

async function llmOf(path: string, text: string): Promise<LlmFacts | undefined> {
  const { facts, errors } = await extractFacts({ path, language: path.endsWith('.py') ? 'python' : 'typescript', text });
  expect(errors).toEqual([]);
  return facts?.llm;
}

describe('LLM facts (Python)', () => {
  it('reads provider, model, limits, agents, tools with effects and guards', async () => {
    const llm = await llmOf(
      'app.py',
      [
        'import logging',
        'from anthropic import Anthropic',
        'from langchain_openai import ChatOpenAI',
        'from langchain.agents import AgentExecutor',
        'from langchain_core.tools import tool',
        'client = Anthropic(timeout=20)',
        'llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=100)',
        '@tool',
        'def wipe(path: str) -> str:',
        '    """Remove a folder."""',
        '    shutil.rmtree(path)',
        '    logging.getLogger().info("wiped")',
        'def ask(q):',
        '    r = client.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": q}])',
        '    ex = AgentExecutor(agent=a, tools=[wipe], max_iterations=None)',
        '    return llm.invoke(q)',
      ].join('\n'),
    );
    expect(llm).toBeDefined();
    const calls = llm!.calls.map((c) => ({
      kind: c.kind,
      provider: c.provider,
      sdk: c.sdk,
      api: c.api,
      model: c.model,
      tokens: c.limits.tokens,
      timeout: c.limits.timeout,
    }));
    expect(calls).toEqual([
      { kind: 'model', provider: 'openai', sdk: 'langchain', api: 'ChatOpenAI', model: 'gpt-4o-mini', tokens: ['max_tokens'], timeout: [] },
      {
        kind: 'chat',
        provider: 'anthropic',
        sdk: 'anthropic',
        api: 'client.messages.create',
        model: 'claude-haiku-4-5',
        tokens: ['max_tokens'],
        timeout: ['timeout'],
      },
      { kind: 'chat', provider: 'openai', sdk: 'langchain', api: 'llm.invoke', model: 'gpt-4o-mini', tokens: ['max_tokens'], timeout: [] },
    ]);
    expect(llm!.agents.map((a) => ({ framework: a.framework, tools: a.tools, disabled: a.limits.disabled }))).toEqual([
      { framework: 'langchain', tools: ['wipe'], disabled: ['max_iterations'] },
    ]);
    expect(llm!.tools.map((t) => ({ name: t.name, via: t.via, effects: t.effects.map((e) => e.kind), audit: t.guards.audit }))).toEqual([
      { name: 'wipe', via: '@tool', effects: ['delete'], audit: ['logging.getLogger().info'] },
    ]);
  });

  it('reads generic agent classes (`Agent[Context](…)`) and ignores decorator registrations (`@server.call_tool()`)', async () => {
    const llm = await llmOf(
      'agents.py',
      [
        'from agents import Agent, function_tool',
        'from mcp.server import Server',
        'server = Server("x")',
        '@function_tool',
        'def cancel(id: str) -> str:',
        '    return id',
        'triage = Agent[Ctx](name="triage", tools=[cancel])',
        '@server.call_tool()',
        'async def handle(name, args):',
        '    return []',
      ].join('\n'),
    );
    expect(llm!.agents.map((a) => [a.framework, a.api, a.tools])).toEqual([['openai-agents', 'Agent', ['cancel']]]);
    expect(llm!.calls).toEqual([]);
  });

  it('skips files that import no LLM module', async () => {
    expect(await llmOf('plain.py', 'import os\ndef f():\n    return os.system("ls")\n')).toBeUndefined();
  });
});

describe('LLM facts (TypeScript)', () => {
  it('reads the Vercel AI SDK provider and model, tools given, sinks of the output and request text in the system prompt', async () => {
    const llm = await llmOf(
      'route.ts',
      [
        "import { generateText, tool } from 'ai';",
        "import { anthropic } from '@ai-sdk/anthropic';",
        'export async function POST(req) {',
        '  const body = await req.json();',
        '  const { text } = await generateText({',
        "    model: anthropic('claude-sonnet-4-5'),",
        '    system: `You are ${body.persona}`,',
        '    prompt: body.q,',
        '    tools: { lookup: tool({ description: "x", execute: async ({ id }) => fetch(`/x/${id}`) }) },',
        '    stopWhen: stepCountIs(3),',
        '  });',
        '  return eval(text);',
        '}',
      ].join('\n'),
    );
    expect(llm!.calls).toHaveLength(1);
    const call = llm!.calls[0]!;
    expect({ provider: call.provider, model: call.model, tools: call.tools, steps: call.limits.steps }).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      tools: ['lookup'],
      steps: ['stopWhen'],
    });
    expect(call.outputSinks.map((s) => [s.sink, s.api, s.via])).toEqual([['eval', 'eval', 'text']]);
    expect(llm!.systemPrompts.map((p) => [p.via, p.source])).toEqual([['system', 'body']]);
    expect(llm!.tools.map((t) => [t.name, t.framework, t.effects.map((e) => e.kind)])).toEqual([['lookup', 'vercel-ai', ['http']]]);
    expect(llm!.agents.map((a) => [a.framework, a.defaultStepLimit])).toEqual([['vercel-ai', 'one step (AI SDK default)']]);
  });
});

describe('LangGraph graphs', () => {
  it('lists a StateGraph as an agent bounded by the default recursion limit, its state schema not read as tools', async () => {
    const py = await llmOf(
      'graph.py',
      ['from langgraph.graph import StateGraph, END', 'builder = StateGraph(State, config_schema=Config)', 'graph = builder.compile()'].join('\n'),
    );
    expect(py?.agents.map((a) => ({ framework: a.framework, api: a.api, tools: a.tools, d: a.defaultStepLimit }))).toEqual([
      { framework: 'langgraph', api: 'StateGraph', tools: [], d: 'recursion_limit=25 (LangGraph default)' },
    ]);
    const ts = await llmOf(
      'graph.ts',
      ["import { StateGraph } from '@langchain/langgraph';", 'const g = new StateGraph({ channels: graphState }).addNode("a", a).compile();'].join('\n'),
    );
    expect(ts?.agents.map((a) => [a.api, a.tools])).toEqual([['StateGraph', []]]);
  });
});

describe('LLM facts: what the five agent apps taught (issue 19)', () => {
  it('attributes a call to the client bound last before it in its own function, not the last binding in the file', async () => {
    const llm = await llmOf(
      'reflect.py',
      [
        'from langchain_openai import ChatOpenAI',
        'from langchain_anthropic import ChatAnthropic',
        'async def update_general(prompt):',
        '    reflection_model = ChatOpenAI(model="o1")',
        '    return await reflection_model.with_structured_output(X).ainvoke(prompt)',
        'def determine(prompt):',
        '    reflection_model = ChatOpenAI(model="gpt-4o")',
        '    reflection_model = ChatAnthropic(model="claude-3-5-sonnet-latest")',
        '    return reflection_model.invoke(prompt)',
      ].join('\n'),
    );
    const chats = llm!.calls.filter((c) => c.kind === 'chat').map((c) => [c.function, c.provider, c.model]);
    expect(chats).toEqual([
      ['update_general', 'openai', 'o1'],
      ['determine', 'anthropic', 'claude-3-5-sonnet-latest'],
    ]);
  });

  it("lists LangChain's create_react_agent (an agent runnable: one step) with its tools", async () => {
    const llm = await llmOf(
      'meet.py',
      [
        'from langchain.agents.react.agent import create_react_agent',
        'from langchain_core.tools import tool',
        '@tool',
        'def get_events_for_days(days: str) -> str:',
        '    """Events."""',
        '    return days',
        'def find(llm):',
        '    agent = create_react_agent(llm, [get_events_for_days])',
        '    return agent',
      ].join('\n'),
    );
    expect(llm!.agents.map((a) => [a.framework, a.api, a.tools, a.defaultStepLimit])).toEqual([
      ['langchain', 'create_react_agent', ['get_events_for_days'], 'one step (an agent runnable; AgentExecutor runs the loop)'],
    ]);
  });

  it('reads a model built and bound in one expression, tools kept as data and tools declared through a project wrapper (JS)', async () => {
    const llm = await llmOf(
      'tools.ts',
      [
        "import { ChatAnthropic } from '@langchain/anthropic';",
        "import { injectableTool } from './util.js';",
        'export async function relevant(text: string) {',
        "  const model = new ChatAnthropic({ model: 'claude-sonnet-4-5' }).withStructuredOutput(schema, { name: 'answer' });",
        '  return model.invoke(text);',
        '}',
        'const createRefund = async (stripe: any, params: any) => stripe.refunds.create(params);',
        "const refundTool = (context: object) => ({ method: 'create_refund', description: 'Refund.', inputSchema: schema, execute: createRefund });",
        'export const tools = {',
        '  apply_migration: injectableTool({ ...defs.apply_migration, execute: async ({ q }: { q: string }) => database.applyMigration(q) }),',
        '};',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.kind, c.provider, c.api, c.model])).toEqual([
      ['model', 'anthropic', 'ChatAnthropic', 'claude-sonnet-4-5'],
      ['chat', 'anthropic', 'model.invoke', 'claude-sonnet-4-5'],
    ]);
    expect(llm!.tools.map((t) => [t.name, t.framework, t.via, t.effects.map((e) => `${e.kind} ${e.api}`)])).toEqual([
      ['apply_migration', 'mcp', 'injectableTool()', []],
      ['create_refund', 'tool-definition', '{ execute }', ['pay stripe.refunds.create']],
    ]);
  });
});

describe('LLM facts: tools registered at run time (issue 19)', () => {
  it('reads an MCP server subclass registering tools on itself, and an OpenAI Agents FunctionTool built by a factory', async () => {
    const ts = await llmOf(
      'toolkit.ts',
      [
        "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        'class Toolkit extends McpServer {',
        '  constructor(defs: Def[]) {',
        "    super({ name: 'x', version: '1' });",
        '    defs.forEach((tool) => { this.tool(tool.method, tool.description, tool.shape, async (arg: never) => api.run(tool.method, arg)); });',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(ts!.tools.map((t) => [t.name, t.framework, t.via])).toEqual([['<tool.method>', 'mcp', 'this.tool']]);
    const py = await llmOf(
      'tool.py',
      [
        'import json',
        'from agents import FunctionTool',
        'def StripeTool(api, tool):',
        '    async def on_invoke_tool(ctx, input_str):',
        '        return stripe.Refund.create(**json.loads(input_str))',
        '    return FunctionTool(name=tool["method"], description="d", params_json_schema={}, on_invoke_tool=on_invoke_tool)',
      ].join('\n'),
    );
    expect(py!.tools.map((t) => [t.name, t.framework, t.via, t.effects.map((e) => e.kind)])).toEqual([
      ['StripeTool', 'openai-agents', 'FunctionTool', ['pay']],
    ]);
  });
});

describe('LLM facts: a tool run is no tool declared (issue 19)', () => {
  it('does not list `tool(**tool_args)` where a loop variable shadows the imported tool()', async () => {
    const llm = await llmOf(
      'run.py',
      [
        'from langchain_core.tools import tool',
        'async def run_tools(tools, calls):',
        '    for tool in tools:',
        '        result = await tool(**calls[0])',
        '    return result',
      ].join('\n'),
    );
    expect(llm?.tools ?? []).toEqual([]);
  });
});

describe('LLM facts: a model held by a project object (issue 19)', () => {
  it('reads `x.llm.bind_tools(tools)` as a LangChain model in a file that imports LangChain', async () => {
    const llm = await llmOf(
      'tools.py',
      [
        'from langchain_core.messages import HumanMessage',
        'async def run(provider, tools, text):',
        '    llm_with_tools = provider.llm.bind_tools(tools)',
        '    return await llm_with_tools.ainvoke([HumanMessage(content=text)])',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.kind, c.provider, c.api])).toEqual([['chat', 'langchain', 'llm_with_tools.ainvoke']]);
  });

  it('reads `bind_tools` in a file that imports no LLM package (the model is built in another module)', async () => {
    const llm = await llmOf(
      'research.py',
      [
        'import asyncio',
        'async def run(llm_provider, selected_tools, messages):',
        '    llm_with_tools = llm_provider.llm.bind_tools(selected_tools)',
        '    response = await llm_with_tools.ainvoke(messages)',
        '    for tool in selected_tools:',
        '        await tool.ainvoke({})',
        '    return response',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.kind, c.provider, c.api])).toEqual([['chat', 'langchain', 'llm_with_tools.ainvoke']]);
  });

  it('reads `bindTools` in a JS/TS file that imports no LLM package, as in Python (the model is built in another module)', async () => {
    const llm = await llmOf(
      'research.ts',
      [
        "import { logger } from './log.js';",
        'export async function run(llmProvider: any, selectedTools: any[], messages: unknown[]) {',
        '  const llmWithTools = llmProvider.llm.bindTools(selectedTools);',
        '  const response = await llmWithTools.invoke(messages);',
        "  logger.info('done');",
        '  return response;',
        '}',
      ].join('\n'),
    );
    expect(llm?.calls.map((c) => [c.kind, c.provider, c.api])).toEqual([['chat', 'langchain', 'llmWithTools.invoke']]);
  });

  it("reads a tool kept as data whose keys are quoted (`'execute': …`) in a file that imports no LLM package", async () => {
    const llm = await llmOf(
      'refund-tool.ts',
      [
        'const createRefund = async (stripe: any, params: any) => stripe.refunds.create(params);',
        "export const refundTool = { 'name': 'create_refund', 'description': 'Refund.', 'inputSchema': schema, 'execute': createRefund };",
      ].join('\n'),
    );
    expect(llm?.tools.map((t) => [t.name, t.framework, t.via, t.effects.map((e) => `${e.kind} ${e.api}`)])).toEqual([
      ['create_refund', 'tool-definition', '{ execute }', ['pay stripe.refunds.create']],
    ]);
  });

  it('reads an LCEL chain `prompt | model | parser` as calling the model; a pipe of plain values is no chain', async () => {
    const llm = await llmOf(
      'subtopics.py',
      [
        'from langchain_core.output_parsers import PydanticOutputParser',
        'from langchain_core.prompts import PromptTemplate',
        'async def subtopics(provider, task, flags, mask):',
        '    parser = PydanticOutputParser(pydantic_object=Subtopics)',
        '    prompt = PromptTemplate(template="{task}", input_variables=["task"])',
        '    model = provider.llm',
        '    chain = prompt | model | parser',
        '    bits = flags | mask',
        '    await bits.ainvoke(task)',
        '    return await chain.ainvoke({"task": task})',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.kind, c.provider, c.api])).toEqual([['chat', 'langchain', 'chain.ainvoke']]);
  });
});

describe('LLM facts: calls handed over uncalled (issue 19)', () => {
  it('reads `asyncio.to_thread(client.models.generate_content, …)` as the call, with its options', async () => {
    const llm = await llmOf(
      'images.py',
      [
        'import asyncio',
        'class Images:',
        '    def client(self):',
        '        from google import genai',
        '        self._client = genai.Client(api_key=self.api_key)',
        '    async def make(self, prompt):',
        '        r = await asyncio.to_thread(self._client.models.generate_content, model="gemini-2.5-flash-image", contents=prompt)',
        '        await asyncio.to_thread(self._client.models.generate_images, model="imagen-4.0-generate-001", prompt=prompt)',
        '        return await asyncio.to_thread(open, "out.png")',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.provider, c.api, c.model, c.range.start.line])).toEqual([
      ['google', 'self._client.models.generate_content', 'gemini-2.5-flash-image', 7],
      ['google', 'self._client.models.generate_images', 'imagen-4.0-generate-001', 8],
    ]);
  });

  it('reads tools registered on an MCP server passed as a typed parameter (JS and Python); an untyped parameter is not one', async () => {
    const js = await llmOf(
      'register-paid-tool.ts',
      [
        "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
        "import Stripe from 'stripe';",
        'export async function registerPaidTool(mcpServer: McpServer, toolName: string, description: string, schema: any, options: any) {',
        '  const stripe = new Stripe(options.key);',
        '  const callback = async (args: any) => {',
        '    await stripe.refunds.create({ payment_intent: args.id });',
        '  };',
        '  mcpServer.tool(toolName, description, schema, callback);',
        '}',
        'export function other(registry, name: string) {',
        '  registry.tool(name, () => 1);',
        '}',
      ].join('\n'),
    );
    expect(js!.tools.map((t) => [t.name, t.framework, t.via, t.range.start.line])).toEqual([['<toolName>', 'mcp', 'mcpServer.tool', 8]]);
    const py = await llmOf(
      'tools.py',
      [
        'from mcp.server.fastmcp import FastMCP',
        'def add_tools(mcp: FastMCP) -> None:',
        '    @mcp.tool()',
        '    def drop(name: str) -> str:',
        '        return name',
      ].join('\n'),
    );
    expect(py!.tools.map((t) => [t.name, t.framework])).toEqual([['drop', 'mcp']]);
  });

  it('reads the model request an AI SDK provider makes through @ai-sdk/provider-utils (postJsonToApi)', async () => {
    const llm = await llmOf(
      'gateway-language-model.ts',
      [
        "import { postJsonToApi, createJsonResponseHandler } from '@ai-sdk/provider-utils';",
        'export class GatewayModel {',
        '  async doGenerate(options: any) {',
        '    const result = await postJsonToApi({ url: `${this.baseURL}/chat/completions`, body: options, successfulResponseHandler: createJsonResponseHandler(schema) });',
        '    return result.value;',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(llm!.calls.map((c) => [c.kind, c.sdk, c.api, c.range.start.line])).toEqual([['chat', 'vercel-ai', 'postJsonToApi', 4]]);
  });
});
