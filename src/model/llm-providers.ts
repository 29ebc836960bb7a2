/**
 * The LLM SDKs and agent frameworks as data: import modules, client constructors, call methods, agent
 * constructors, tool declarations and the option names that bound a call. Each table carries samples that must
 * and must not match (test/rules/llm-tables.test.ts). Callees are dotted (`client.chat.completions.create`).
 */

export interface LlmSdk {
  id: string;
  /** Provider family reported in the inventory. */
  provider: string;
  /** Import modules (exact or prefix with `/`/`.`): `openai`, `@anthropic-ai/sdk`, `langchain_openai`. */
  modules: RegExp;
  /** Client or model constructors: `OpenAI`, `AsyncAnthropic`, `ChatOpenAI`. */
  clients: RegExp;
  /** Call methods on a client (the callee's tail). */
  calls: RegExp;
  /** Functions called directly from the module (`litellm.completion`, `generateText`, `ollama.chat`). */
  functions?: RegExp;
  samples: { modules: string[]; notModules: string[]; calls: string[]; notCalls: string[] };
}

export const LLM_SDKS: readonly LlmSdk[] = [
  {
    id: 'openai',
    provider: 'openai',
    modules: /^(openai|openai\/.*)$/,
    clients: /^(OpenAI|AsyncOpenAI|AzureOpenAI|AsyncAzureOpenAI)$/,
    calls:
      /(^|\.)(chat\.completions\.(create|parse|stream)|responses\.(create|parse|stream)|completions\.create|embeddings\.create|ChatCompletion\.a?create|Completion\.a?create|beta\.chat\.completions\.(parse|stream))$/,
    samples: {
      modules: ['openai', 'openai/resources'],
      notModules: ['@openai/agents', 'openai_helpers', 'langchain_openai'],
      calls: ['client.chat.completions.create', 'openai.responses.create', 'this.openai.embeddings.create', 'openai.ChatCompletion.create'],
      notCalls: ['client.messages.create', 'chat.create', 'completions.list'],
    },
  },
  {
    id: 'anthropic',
    provider: 'anthropic',
    modules: /^(anthropic|@anthropic-ai\/sdk(\/.*)?|@anthropic-ai\/bedrock-sdk|@anthropic-ai\/vertex-sdk)$/,
    clients: /^(Anthropic|AsyncAnthropic|AnthropicBedrock|AnthropicVertex|AsyncAnthropicBedrock)$/,
    calls: /(^|\.)(messages\.(create|stream|parse|count_tokens|countTokens)|beta\.messages\.(create|stream))$/,
    samples: {
      modules: ['anthropic', '@anthropic-ai/sdk'],
      notModules: ['anthropic_tools', '@anthropic-ai/claude-code-helper'],
      calls: ['client.messages.create', 'anthropic.messages.stream', 'this.client.beta.messages.create'],
      notCalls: ['client.chat.completions.create', 'messages.list'],
    },
  },
  {
    id: 'google-genai',
    provider: 'google',
    modules: /^(google\.genai|google\.generativeai|google\.genai\..*|vertexai(\..*)?|@google\/genai|@google\/generative-ai|@google-cloud\/vertexai|google)$/,
    clients: /^(Client|GenerativeModel|GoogleGenAI|GoogleGenerativeAI|VertexAI)$/,
    calls:
      /(^|\.)(models\.generate_content(_stream)?|models\.generateContent(Stream)?|generate_content(_async)?|generateContent(Stream)?|models\.embed_content|models\.generate_images|models\.generateImages|send_message|sendMessage|aio\.models\.generate_content)$/,
    samples: {
      modules: ['google.genai', 'google.generativeai', 'vertexai.generative_models', '@google/genai', '@google/generative-ai'],
      notModules: ['google.cloud.storage', '@google-cloud/storage'],
      calls: [
        'client.models.generate_content',
        'ai.models.generateContent',
        'model.generateContent',
        'model.generate_content',
        'client.models.generate_images',
      ],
      notCalls: ['bucket.upload', 'generate_report'],
    },
  },
  {
    id: 'bedrock',
    provider: 'bedrock',
    modules: /^(boto3|aioboto3|@aws-sdk\/client-bedrock-runtime|@aws-sdk\/client-bedrock-agent-runtime)$/,
    clients: /^(BedrockRuntimeClient|BedrockAgentRuntimeClient)$/,
    calls: /(^|\.)(invoke_model|invoke_model_with_response_stream|converse|converse_stream|invoke_agent)$/,
    samples: {
      modules: ['boto3', '@aws-sdk/client-bedrock-runtime'],
      notModules: ['@aws-sdk/client-s3', 'botocore'],
      calls: ['bedrock.invoke_model', 'client.converse', 'self.runtime.converse_stream'],
      notCalls: ['s3.put_object', 'client.invoke'],
    },
  },
  {
    id: 'mistral',
    provider: 'mistral',
    modules: /^(mistralai(\..*)?|@mistralai\/mistralai)$/,
    clients: /^(Mistral|MistralClient|MistralAsyncClient)$/,
    calls: /(^|\.)(chat\.(complete|complete_async|stream|stream_async)|embeddings\.create|agents\.complete)$/,
    samples: {
      modules: ['mistralai', '@mistralai/mistralai'],
      notModules: ['mistral_common'],
      calls: ['client.chat.complete', 'mistral.chat.stream'],
      notCalls: ['client.chat.completions.create', 'chat.completed'],
    },
  },
  {
    id: 'cohere',
    provider: 'cohere',
    modules: /^(cohere|cohere-ai)$/,
    clients: /^(Client|ClientV2|AsyncClient|AsyncClientV2|CohereClient|CohereClientV2)$/,
    calls: /(^|\.)(chat|chat_stream|chatStream|generate|embed|rerank)$/,
    samples: {
      modules: ['cohere', 'cohere-ai'],
      notModules: ['coherent'],
      calls: ['co.chat', 'cohere.generate', 'client.embed'],
      notCalls: ['co.chats', 'client.generator'],
    },
  },
  {
    id: 'ollama',
    provider: 'ollama',
    modules: /^(ollama|ollama\/browser)$/,
    clients: /^(Client|AsyncClient|Ollama)$/,
    calls: /(^|\.)(chat|generate|embeddings|embed)$/,
    functions: /^(chat|generate|embeddings|embed)$/,
    samples: {
      modules: ['ollama'],
      notModules: ['ollama_helpers'],
      calls: ['ollama.chat', 'client.generate'],
      notCalls: ['ollama.pull', 'ollama.list'],
    },
  },
  {
    id: 'litellm',
    provider: 'litellm',
    modules: /^(litellm)$/,
    clients: /^(Router)$/,
    calls: /(^|\.)(completion|acompletion|embedding|aembedding|text_completion|responses)$/,
    functions: /^(completion|acompletion|embedding|aembedding|text_completion)$/,
    samples: {
      modules: ['litellm'],
      notModules: ['litellm_proxy_extras'],
      calls: ['litellm.completion', 'router.acompletion', 'litellm.embedding'],
      notCalls: ['litellm.set_verbose', 'completion_cost'],
    },
  },
  {
    id: 'langchain',
    provider: 'langchain',
    modules: /^(langchain(_\w+)?(\..*)?|@langchain\/.*|langchain(\/.*)?)$/,
    clients: /^(Chat\w+|AzureChatOpenAI|BedrockChat|OpenAI|Anthropic|Ollama|VertexAI|Bedrock|\w+Embeddings|init_chat_model|initChatModel)$/,
    calls:
      /(^|\.)(invoke|ainvoke|stream|astream|batch|abatch|predict|apredict|run|arun|call|generate|agenerate|embed_query|embed_documents|embedQuery|embedDocuments)$/,
    samples: {
      modules: ['langchain_openai', 'langchain.chat_models', 'langchain_core.messages', '@langchain/openai', 'langchain/agents'],
      notModules: ['langchainhub_client2', 'lang'],
      calls: ['llm.invoke', 'chain.ainvoke', 'model.stream', 'embeddings.embed_query'],
      notCalls: ['llm.bind_tools', 'chain.pipe'],
    },
  },
  {
    id: 'llamaindex',
    provider: 'llamaindex',
    modules: /^(llama_index(\..*)?|llamaindex(\/.*)?|@llamaindex\/.*)$/,
    clients: /^(OpenAI|Anthropic|Ollama|Gemini|AzureOpenAI|Bedrock|\w+Embedding)$/,
    calls: /(^|\.)(complete|acomplete|chat|achat|stream_chat|stream_complete|query|aquery)$/,
    samples: {
      modules: ['llama_index.llms.openai', 'llama_index.core', 'llamaindex', '@llamaindex/openai'],
      notModules: ['llama_cpp'],
      calls: ['llm.complete', 'llm.chat', 'query_engine.query'],
      notCalls: ['index.insert', 'llm.completed'],
    },
  },
  {
    id: 'vercel-ai',
    provider: 'vercel-ai',
    modules: /^(ai|@ai-sdk\/[\w-]+)$/,
    clients: /^(openai|anthropic|google|vertex|bedrock|azure|mistral|cohere|createOpenAI|createAnthropic|createAzure)$/,
    calls: /^$/,
    // `postJsonToApi` / `postToApi` (@ai-sdk/provider-utils): the HTTP request an AI SDK provider makes to its model API.
    functions: /^(generateText|streamText|generateObject|streamObject|embed|embedMany|postJsonToApi|postToApi|postFormDataToApi)$/,
    samples: {
      modules: ['ai', '@ai-sdk/openai', '@ai-sdk/anthropic'],
      notModules: ['ai-helpers', '@ai/sdk'],
      calls: [],
      notCalls: ['generate'],
    },
  },
  {
    id: 'mcp-client',
    provider: 'mcp',
    modules: /^(mcp(\..*)?|@modelcontextprotocol\/sdk(\/.*)?|fastmcp(\..*)?)$/,
    clients: /^(Client|ClientSession)$/,
    calls: /(^|\.)(call_tool|callTool)$/,
    samples: {
      modules: ['mcp', 'mcp.server.fastmcp', '@modelcontextprotocol/sdk/client/index.js', 'fastmcp'],
      notModules: ['mcpx'],
      calls: ['session.call_tool', 'client.callTool'],
      notCalls: ['client.listTools'],
    },
  },
];

/** Which SDK an import module belongs to (the first match wins; order above goes from specific to general). */
export function sdkOfModule(module: string): LlmSdk | undefined {
  if (/^@openai\/agents/.test(module)) return undefined;
  return LLM_SDKS.find((s) => s.modules.test(module));
}

/** Agent frameworks: the constructor or function that builds an agent, the module it comes from, its default step limit. */
export interface AgentConstructor {
  framework: string;
  modules: RegExp;
  callee: RegExp;
  /** The framework's own stop when no limit is given (documented default), or absent when it has none. */
  defaultStepLimit?: string;
  /** Whether this call runs the agent (its options carry run limits: `Runner.run(agent, max_turns=…)`). */
  runs?: boolean;
  /** A graph of nodes (LangGraph `StateGraph`): its arguments are state schemas, not tools. */
  graph?: boolean;
}

export const AGENT_CONSTRUCTORS: readonly AgentConstructor[] = [
  {
    framework: 'langchain',
    modules: /^(langchain(\..*)?|langchain\/.*|@langchain\/.*)$/,
    callee: /^(AgentExecutor(\.from_agent_and_tools|\.fromAgentAndTools)?|initialize_agent|initializeAgentExecutorWithOptions|create_agent|createAgent)$/,
    defaultStepLimit: 'max_iterations=15 (LangChain default)',
  },
  {
    framework: 'langgraph',
    modules: /^(langgraph(\..*)?|@langchain\/langgraph(\/.*)?)$/,
    callee: /^(create_react_agent|createReactAgent|create_supervisor|createSupervisor)$/,
    defaultStepLimit: 'recursion_limit=25 (LangGraph default)',
  },
  // LangChain's agent runnables decide one step; AgentExecutor (or the caller) runs the loop.
  {
    framework: 'langchain',
    modules: /^(langchain(\..*)?|langchain\/.*|@langchain\/.*)$/,
    callee:
      /^(create_react_agent|create_tool_calling_agent|create_openai_tools_agent|create_openai_functions_agent|create_structured_chat_agent|createReactAgent|createToolCallingAgent|createOpenAIToolsAgent)$/,
    defaultStepLimit: 'one step (an agent runnable; AgentExecutor runs the loop)',
  },
  // A hand-built graph (nodes calling models, tools, interrupts) runs until END or the recursion limit.
  {
    framework: 'langgraph',
    modules: /^(langgraph(\..*)?|@langchain\/langgraph(\/.*)?)$/,
    callee: /^(StateGraph|MessageGraph)$/,
    defaultStepLimit: 'recursion_limit=25 (LangGraph default)',
    graph: true,
  },
  { framework: 'openai-agents', modules: /^(agents|@openai\/agents(\/.*)?)$/, callee: /^(Agent)$/, defaultStepLimit: 'max_turns=10 (Runner default)' },
  {
    framework: 'openai-agents',
    modules: /^(agents|@openai\/agents(\/.*)?)$/,
    callee: /^(Runner\.(run|run_sync|run_streamed)|run)$/,
    defaultStepLimit: 'max_turns=10 (Runner default)',
    runs: true,
  },
  { framework: 'crewai', modules: /^(crewai(\..*)?)$/, callee: /^(Agent|Crew)$/, defaultStepLimit: 'max_iter=20 (CrewAI default)' },
  {
    framework: 'autogen',
    modules: /^(autogen(_agentchat|_ext)?(\..*)?|pyautogen)$/,
    callee: /^(AssistantAgent|ConversableAgent|UserProxyAgent|GroupChat)$/,
    defaultStepLimit: 'max_consecutive_auto_reply / max_round (AutoGen defaults)',
  },
  // AgentChat teams run until a termination condition or max_turns stops them: without either they have no stop.
  { framework: 'autogen', modules: /^(autogen(_agentchat|_ext)?(\..*)?|pyautogen)$/, callee: /^(RoundRobinGroupChat|SelectorGroupChat|Swarm)$/ },
  { framework: 'pydantic-ai', modules: /^(pydantic_ai(\..*)?)$/, callee: /^(Agent)$/, defaultStepLimit: 'request_limit=50 (UsageLimits default)' },
  {
    framework: 'llamaindex',
    modules: /^(llama_index(\..*)?|llamaindex|@llamaindex\/.*)$/,
    callee: /^(ReActAgent(\.from_tools)?|FunctionAgent|OpenAIAgent(\.from_tools)?|AgentWorkflow(\.from_tools_or_functions)?|agent)$/,
    defaultStepLimit: 'max_iterations=10 (LlamaIndex default)',
  },
];

/** Option names that bound a call or an agent, by what they bound. */
export const LIMIT_OPTIONS = {
  tokens:
    /^(max_tokens|max_completion_tokens|max_output_tokens|maxTokens|maxOutputTokens|maxCompletionTokens|max_new_tokens|num_predict|maxTokensToSample|max_tokens_to_sample|token_limit|usage_limits|usageLimits|max_budget|budget)$/,
  steps:
    /^(max_iterations|maxIterations|max_iter|max_steps|maxSteps|stopWhen|stop_when|max_turns|maxTurns|recursion_limit|recursionLimit|max_consecutive_auto_reply|max_round|max_rounds|termination_condition|max_execution_time|max_rpm|usage_limits|usageLimits|early_stopping_method)$/,
  timeout: /^(timeout|request_timeout|timeout_ms|timeoutMs|signal|abortSignal|abort_signal|max_execution_time|deadline)$/,
} as const;

export const LIMIT_SAMPLES = {
  tokens: { must: ['max_tokens', 'maxOutputTokens', 'num_predict'], mustNot: ['tokens', 'max_retries'] },
  steps: { must: ['max_iterations', 'stopWhen', 'max_turns', 'recursion_limit'], mustNot: ['iterations', 'steps'] },
  timeout: { must: ['timeout', 'abortSignal', 'request_timeout'], mustNot: ['timeouts_enabled', 'retry'] },
};

/** Option names that carry the system prompt / instructions. */
export const SYSTEM_OPTION =
  /^(system|system_prompt|systemPrompt|instructions|system_message|systemMessage|system_instruction|systemInstruction|backstory|preamble)$/;
/** Option names that carry prompts or messages (where sensitive data would be sent). */
export const PROMPT_OPTION = /^(messages|prompt|input|contents|content|text|texts|query|system|instructions|message|inputs|documents|body)$/;
