import { HIGH_RISK_EFFECTS, defineRule, looksLikeTestPath, type LlmAgent, withDispatchedTools } from '../src/rule-api.js';

type MessageId = 'noApproval';

export default defineRule<MessageId>({
  id: 'SOC2-013',
  slug: 'agent-tool-without-approval',
  title: 'High-risk agent tool without approval gate',
  description:
    'A tool that deletes records, moves money, sends messages, runs commands or changes permissions can be called by the model whenever its output says so, including after a prompt injection. PI1.1 expects processing to be authorised and accurate, CC6.3 expects actions to be granted by role: a human approval step or a role check on the user the agent acts for is the control for high-risk operations.',
  remediation:
    "Put a human in the loop for high-risk tools (Vercel AI SDK `needsApproval`, OpenAI Agents `needs_approval`, LangGraph `interrupt()` / `interrupt_before`, an explicit approval request), or check the acting user's role or permission inside the tool before it acts; keep destructive tools out of autonomous agents.",
  severity: 'high',
  confidence: 'medium',
  controls: ['PI1.1', 'CC6.3'],
  cwe: ['CWE-862', 'CWE-285'],
  languages: ['javascript', 'typescript', 'python'],
  messages: {
    noApproval:
      "Agent tool `{{tool}}` ({{framework}}, {{via}}) {{effects}}, and the model can call it with no approval step and no role check. Require human approval or check the acting user's permission before it acts.",
  },
  *check({ files: scanned }) {
    const files = withDispatchedTools(scanned);
    // Agents that pause for a human before tools (interrupt_before, human_input_mode="ALWAYS", needsApproval …).
    const approving: LlmAgent[] = files.flatMap((f) => f.llm?.agents ?? []).filter((a) => a.guards.approval.length > 0);
    const approvedNames = new Set(approving.flatMap((a) => a.tools));
    for (const file of files) {
      if (!file.llm || looksLikeTestPath(file.path)) continue;
      for (const tool of file.llm.tools) {
        const risky = tool.effects.filter((e) => HIGH_RISK_EFFECTS.includes(e.kind));
        if (risky.length === 0) continue;
        if (tool.guards.approval.length > 0 || tool.guards.roleCheck.length > 0) continue;
        if (approvedNames.has(tool.name) || (tool.binding && approvedNames.has(tool.binding))) continue;
        const effects = [
          ...new Set(
            risky.map(
              (e) =>
                `${e.kind === 'exec' ? 'executes' : e.kind === 'pay' ? 'pays' : e.kind === 'send' ? 'sends' : e.kind === 'delete' ? 'deletes' : 'changes permissions'} (${e.api})`,
            ),
          ),
        ]
          .slice(0, 3)
          .join(', ');
        yield {
          messageId: 'noApproval',
          data: { tool: tool.name, framework: tool.framework, via: tool.via, effects },
          path: file.path,
          range: tool.range,
          anchor: `tool-approval:${tool.name}`,
          confidence: risky.some((e) => e.kind === 'exec' || e.kind === 'pay') ? 'high' : 'medium',
          properties: { framework: tool.framework, effects: risky.map((e) => e.kind).join(',') },
        };
      }
    }
  },
});
