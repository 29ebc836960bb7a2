import type { Range } from '../types.js';

/**
 * LLM and agent facts (SOC2-011..015, `complianceagent agents`): the LLM call sites, agents and tools of one file
 * with the guards found around them. Plain, serialisable data; the language extractors (languages/<lang>/llm.ts)
 * read the syntax into an `LlmScan` and `analyzeLlm` (model/llm-analyze.ts) turns it into these facts.
 */

/** What a tool's body does, from the calls in it (model/llm-effects.ts). */
export type ToolEffect = 'delete' | 'write' | 'pay' | 'send' | 'exec' | 'permission' | 'http' | 'fs';

/** The effects that need a human approval or a role check before a model may trigger them (SOC2-013). */
export const HIGH_RISK_EFFECTS: readonly ToolEffect[] = ['delete', 'pay', 'send', 'exec', 'permission'];

export interface LlmGuards {
  /** Audit or logger calls (api as written) in the function around the call or in the tool body. */
  audit: string[];
  /** Redaction / DLP calls: Presidio, a project `redact`/`mask`/`anonymize`/`scrub` function. */
  redaction: string[];
  /** Human-in-the-loop: approval/confirmation calls, LangGraph `interrupt`, `needsApproval`, `human_input_mode="ALWAYS"`. */
  approval: string[];
  /** Role or permission checks on the caller. */
  roleCheck: string[];
  /** A feature flag or config switch read before the call (`if not settings.AGENT_ENABLED: return`). */
  killSwitch: string[];
}

export type LlmCallKind = 'chat' | 'embedding' | 'agent-run' | 'model' | 'mcp-call';

/** Which limits a call or agent sets (option names as written). */
export interface LlmLimits {
  /** max_tokens / maxOutputTokens / max_completion_tokens / num_predict … */
  tokens: string[];
  /** max_iterations / maxSteps / stopWhen / max_turns / recursion_limit / max_iter / usage_limits … */
  steps: string[];
  /** timeout / request_timeout / signal / abortSignal … */
  timeout: string[];
  /** Limits explicitly switched off (`max_iterations=None`, `max_turns=float('inf')`, `recursion_limit=10**6`). */
  disabled: string[];
}

export interface LlmSinkFlow {
  /** eval / exec / shell / sql / dispatch (a function chosen by name from the output). */
  sink: 'eval' | 'exec' | 'shell' | 'sql' | 'dispatch';
  /** The sink call as written. */
  api: string;
  /** The variable holding model output that reaches it. */
  via: string;
  range: Range;
}

export interface LlmCall {
  /** Provider family (`openai`, `anthropic`, `google`, `bedrock`, `azure-openai`, …) and the SDK (`openai`, `langchain`, `vercel-ai`). */
  provider: string;
  sdk: string;
  kind: LlmCallKind;
  /** The call as written (`client.chat.completions.create`, `generateText`, `ChatOpenAI`). */
  api: string;
  /** The model when written as a literal. */
  model?: string;
  limits: LlmLimits;
  /** Tool names given to the call (Vercel AI SDK `tools`, OpenAI `tools=[…]` by name when static). */
  tools: string[];
  /** The enclosing function (`Class.method`, `name`), absent at module level. */
  function?: string;
  guards: LlmGuards;
  /** Sensitive names (SOC2-005 tables) that appear in the prompt/messages/input of the call. */
  sensitive: string[];
  /** Model output reaching eval/exec/shell/SQL or a name-based dispatch in the same function. */
  outputSinks: LlmSinkFlow[];
  /** Inside `while True` / `while (true)` / `for (;;)` with no counter. */
  inUnboundedLoop: boolean;
  range: Range;
}

export interface LlmAgent {
  /** `langchain`, `langgraph`, `openai-agents`, `crewai`, `autogen`, `pydantic-ai`, `llamaindex`, `vercel-ai` … */
  framework: string;
  api: string;
  model?: string;
  /** Tool names / variables given to the agent, as written. */
  tools: string[];
  limits: LlmLimits;
  /** The framework stops on its own after a default number of steps (LangChain AgentExecutor 15, LangGraph 25 …). */
  defaultStepLimit?: string;
  function?: string;
  guards: LlmGuards;
  range: Range;
}

export interface LlmTool {
  name: string;
  /** The variable or function that holds the tool (how an agent's `tools=[…]` names it). */
  binding?: string;
  /** `langchain`, `vercel-ai`, `openai-agents`, `mcp`, `pydantic-ai`, `llamaindex`, `crewai`, `autogen`, `function`. */
  framework: string;
  /** How it is declared: `@tool`, `tool()`, `server.tool`, `@mcp.tool()`, `FunctionTool`, `tools=[fn]` … */
  via: string;
  effects: Array<{ kind: ToolEffect; api: string; line: number }>;
  guards: LlmGuards;
  range: Range;
  /** Kept as data with no function, run by name: its body is the project function of that name (model/llm-project.ts). */
  runByName?: boolean;
}

export interface LlmFacts {
  calls: LlmCall[];
  agents: LlmAgent[];
  tools: LlmTool[];
  /** Tracing / observability installed in this file: LangSmith, Langfuse, OpenTelemetry, Helicone, … (as written). */
  tracing: string[];
  /** Request data placed into a system prompt or agent instructions (prompt-injection surface, SOC2-015). */
  systemPrompts: LlmSystemPrompt[];
}

export interface LlmSystemPrompt {
  /** The request read as written (`req.body.persona`, or the local variable holding it). */
  source: string;
  /** Where it goes: the option (`system`, `instructions`), `role: system`, `SystemMessage`. */
  via: string;
  /** The call that carries it. */
  api: string;
  function?: string;
  range: Range;
}

export function emptyGuards(): LlmGuards {
  return { audit: [], redaction: [], approval: [], roleCheck: [], killSwitch: [] };
}

export function emptyLimits(): LlmLimits {
  return { tokens: [], steps: [], timeout: [], disabled: [] };
}
