import { within, type LlmScan, type ScanCall } from './llm-scan.js';

/**
 * Model and client variables that are not bound by an SDK constructor directly but derived from one in the same file:
 *
 * - LangChain runnables derived from a chat model (`model = llm.with_structured_output(X).bind(tool_choice=…)`,
 *   `llm.bindTools(tools)`, `.with_retry()`, `.with_config()`, `.with_fallbacks([…])`): still the model, so
 *   `model.ainvoke(prompt)` is an LLM call.
 * - A client handed to a wrapper class and kept on the instance (`return cls(llm)` / `new Provider(client)` with
 *   `self.llm = llm` / `this.client = client` in the constructor): `self.llm.ainvoke(messages)` in its methods is an
 *   LLM call.
 *
 * Returns the new names with the name of the client they derive from. Names are file-wide, like the constructor
 * bindings they extend (a variable reused for something else in another function of the file is read as the model).
 */
export const DERIVE_STEP =
  /^(with_structured_output|withStructuredOutput|bind|bind_tools|bindTools|with_config|withConfig|with_retry|withRetry|with_fallbacks|withFallbacks|with_types|withTypes)$/;

export function derivedClients(scan: LlmScan, known: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const isClient = (name: string): boolean => known.has(name) || out.has(name);
  const origin = (name: string): string => out.get(name) ?? name;

  // Derived runnables, followed through chains of variables (two rounds: `a = llm.bind(…)`, `b = a.with_retry()`).
  for (let round = 0; round < 2; round++) {
    for (const call of scan.calls) {
      if (call.assignedTo.length !== 1) continue;
      const steps = call.callee.replace(/\(\)/g, '').split('.');
      const rootLen = (steps[0] === 'self' || steps[0] === 'this') && steps.length > 2 ? 2 : 1;
      const root = steps.slice(0, rootLen).join('.');
      const tail = steps.slice(rootLen);
      if (!isClient(root) || tail.length === 0 || !tail.every((s) => DERIVE_STEP.test(s))) continue;
      const target = call.assignedTo[0]!;
      if (!isClient(target)) out.set(target, origin(root));
    }
  }

  // Clients kept by a wrapper class: its constructor stores a parameter on the instance, and the file constructs the
  // class (`cls(…)` inside it, or by name) with a client in that parameter's position.
  for (const ctor of scan.functions.filter((f) => f.className && /^(__init__|constructor)$/.test(f.name))) {
    const params = ctor.params.filter((p) => p !== 'self');
    const stored = new Map<string, string>();
    for (const a of scan.assignments) {
      if (!within(a.range, ctor.range) || a.targets.length !== 1) continue;
      const m = /^(self|this)\.(\w+)$/.exec(a.targets[0]!);
      const value = a.value.trim();
      if (m && params.includes(value)) stored.set(value, a.targets[0]!);
    }
    // TS parameter properties (`constructor(private client: OpenAI)`) store themselves.
    if (scan.language === 'javascript')
      for (const p of params) if (new RegExp(`\\b(private|public|protected|readonly)\\s+${p}\\b`).test(ctor.text)) stored.set(p, `this.${p}`);
    if (stored.size === 0) continue;
    const cls = scan.classes.find((c) => c.name === ctor.className);
    for (const call of scan.calls) {
      const callee = call.callee.replace(/^new /, '');
      const insideClass = cls && within(call.range, cls.range);
      if (!(callee === ctor.className || (callee === 'cls' && insideClass))) continue;
      call.positional.forEach((arg, i) => {
        const name = arg.text.trim();
        const param = params[i];
        if (param && isClient(name) && stored.has(param)) out.set(stored.get(param)!, origin(name));
      });
    }
  }
  return out;
}

/** `llm.bind_tools(tools)` / `model.bindTools(tools)`: only a LangChain chat model has it. */
export function isBindTools(call: ScanCall): boolean {
  return /\.(bind_tools|bindTools)$/.test(call.callee);
}

const PROMPT_CTOR =
  /^(ChatPromptTemplate|PromptTemplate|FewShotPromptTemplate|FewShotChatMessagePromptTemplate)(\.(from_template|from_messages|from_examples|fromTemplate|fromMessages))?$/;

/**
 * LCEL chains bound to a variable, `chain = prompt | model | parser`: a LangChain prompt template (constructed in the
 * file, or inline) piped into a model operand, or any pipe through a known client. Returns chain variable → the model
 * operand as written. A pipe of plain values (`flags | mask`) has no prompt template and no client: not a chain.
 */
export function pipedChains(
  scan: LlmScan,
  bindings: ReadonlyMap<string, { module: string; imported: string }>,
  clients: ReadonlyMap<string, unknown>,
): Map<string, string> {
  const out = new Map<string, string>();
  const isPromptCall = (callee: string): boolean => {
    const parts = callee.split('.');
    const b = bindings.get(parts[0]!);
    if (!b || !/^(langchain|@langchain\/)/.test(b.module)) return false;
    const whole = b.imported === '*' || b.imported === 'default';
    return PROMPT_CTOR.test(whole ? parts.slice(1).join('.') : [b.imported, ...parts.slice(1)].join('.'));
  };
  const prompts = new Set(scan.calls.filter((c) => isPromptCall(c.callee)).flatMap((c) => c.assignedTo));
  for (const a of scan.assignments) {
    if (a.targets.length !== 1 || !a.value.includes('|')) continue;
    const operands = a.value
      .replace(/^\(|\)$/g, '')
      .split('|')
      .map((o) => o.trim());
    if (operands.length < 2 || operands.some((o) => !/^[\w.]+(\(.*\))?$/s.test(o))) continue;
    const client = operands.find((o) => clients.has(o));
    if (client) {
      out.set(a.targets[0]!, client);
      continue;
    }
    const p = operands.findIndex((o) => prompts.has(o) || isPromptCall(o.replace(/\(.*$/s, '')));
    const model = p >= 0 ? operands.slice(p + 1).find((o) => /(^|[._])(llm|model|chat_model|chat|chat_llm)$/i.test(o)) : undefined;
    if (model) out.set(a.targets[0]!, model);
  }
  return out;
}
