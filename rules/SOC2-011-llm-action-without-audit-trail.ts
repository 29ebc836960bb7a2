import {
  buildAuditGraph,
  defineRule,
  looksLikeTestPath,
  type Match,
  rootIsHeuristic,
  within,
  worstChain,
  withDispatchedTools,
  describeChain,
  type AuditNode,
  type Confidence,
  type FileFacts,
} from '../src/rule-api.js';

type MessageId = 'llmCall' | 'toolAction';

const FILE_WRITE = /(^|\.)(write\w*|append\w*|rename\w*|copy\w*|move|cp\w*|mkdir\w*|makedirs|replace|rm\w*|unlink\w*|write_text|write_bytes|truncate\w*)$/;

/** The audit-graph node (function) that contains a range: the smallest one of the file. */
function nodeAt(nodes: readonly AuditNode[], range: FileFacts['bindings'][number]['range']): AuditNode | undefined {
  let best: AuditNode | undefined;
  for (const n of nodes) if (within(range, n.fn.range) && (!best || within(n.fn.range, best.fn.range))) best = n;
  return best;
}

export default defineRule<MessageId>({
  id: 'SOC2-011',
  slug: 'llm-action-without-audit-trail',
  title: 'LLM or agent action without audit trail',
  description:
    'When an AI agent reads or acts on customer data it is in SOC 2 scope, and an auditor asks who did what, when, and whether it was authorised for every LLM call and every tool the model runs. CC7.2 expects these events to be logged and monitored, PI1.3 expects processing to be traceable. An LLM call reached from a request, or a tool that changes data, sends, pays or executes, with no audit or log record and no tracing callback leaves no trail.',
  remediation:
    'Record every LLM call and tool execution: an audit or structured log entry with actor, tenant, model, tool, outcome and a prompt reference (never the raw prompt with personal data), or install a tracing/observability integration (LangSmith, Langfuse, OpenTelemetry, Helicone, Logfire …) for the whole application.',
  severity: 'medium',
  confidence: 'medium',
  controls: ['CC7.2', 'PI1.3'],
  cwe: ['CWE-778'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    llmCall:
      'LLM call {{api}} ({{provider}}) on the request chain {{chain}} leaves no audit trail: no audit or log call on the chain and no tracing (LangSmith, Langfuse, OpenTelemetry, Helicone …) in the project. Record actor, model, outcome and a prompt reference.',
    toolAction:
      'Agent tool `{{tool}}` ({{framework}}) {{effects}} with no audit or log record in its body and no tracing in the project: the model can act without a trail. Record actor, tool, arguments (redacted) and outcome.',
  },
  *check({ files: scanned, endpoints }): Generator<Match<MessageId>> {
    const files = withDispatchedTools(scanned);
    const llmFiles = files.filter((f) => f.llm && !looksLikeTestPath(f.path));
    if (llmFiles.length === 0) return;
    // Tracing anywhere in the project records every call: positive evidence, nothing to report.
    if (files.some((f) => (f.llm?.tracing.length ?? 0) > 0)) return;
    const graph = buildAuditGraph(files, endpoints);
    const byFile = new Map<string, AuditNode[]>();
    for (const n of graph.nodes) byFile.set(n.file, [...(byFile.get(n.file) ?? []), n]);
    for (const file of llmFiles) {
      const llm = file.llm!;
      for (const call of llm.calls) {
        if (call.kind === 'model' || call.guards.audit.length > 0) continue;
        const node = nodeAt(byFile.get(file.path) ?? [], call.range);
        if (!node) continue;
        const chains = graph.chainsTo(node.id);
        if (chains.length === 0) continue;
        const worst = worstChain(graph, chains);
        if (!worst || worst.log >= 2) continue;
        const confidence: Confidence = rootIsHeuristic(worst.chain) ? 'low' : 'medium';
        yield {
          messageId: 'llmCall',
          data: { api: call.api, provider: call.provider, chain: describeChain(worst.chain) },
          path: file.path,
          range: call.range,
          anchor: `llm:${call.api}:${call.function ?? ''}`,
          confidence,
          properties: { provider: call.provider, sdk: call.sdk },
        };
      }
      for (const tool of llm.tools) {
        // A file the tool writes, moves or removes is an action; reads and HTTP calls are not (an HTTP method is not read).
        const acting = tool.effects.filter((e) => e.kind !== 'http' && (e.kind !== 'fs' || FILE_WRITE.test(e.api)));
        if (acting.length === 0 || tool.guards.audit.length > 0) continue;
        const effects = [...new Set(acting.map((e) => `${e.kind}s (${e.api})`))].slice(0, 3).join(', ');
        yield {
          messageId: 'toolAction',
          data: { tool: tool.name, framework: tool.framework, effects },
          path: file.path,
          range: tool.range,
          anchor: `tool:${tool.name}`,
          confidence: 'medium',
          properties: { framework: tool.framework, effects: acting.map((e) => e.kind).join(',') },
        };
      }
    }
  },
});
