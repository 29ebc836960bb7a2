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
