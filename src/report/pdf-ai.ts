import type { Finding } from '../types.js';
import type { SecretsHistory } from '../controls/secrets-history.js';
import type { ReportModel } from './report-model.js';
import { bullets, heading, type Layout, paragraph, table } from './pdf-layout.js';

/**
 * The PDF's AI section (issue 19): the `agents` inventory (LLM calls, agents, tools and the guards found around
 * them) and the SOC2-011..015 findings with the controls they map to. Findings are printed in full under their
 * controls; here they are counted and located.
 */

const AI_RULE_IDS = ['SOC2-011', 'SOC2-012', 'SOC2-013', 'SOC2-014', 'SOC2-015'];
const MAX_ROWS = 200;

const list = (items: readonly string[]) => (items.length === 0 ? '-' : items.join(', '));

export function historyCoverText(h: SecretsHistory & { examined: true }): string {
  const scope = `commits reachable from ${h.head.slice(0, 12)}${h.since !== undefined ? ` after ${h.since}` : ''}`;
  return h.secrets === 0
    ? `examined (${scope}): no secret found`
    : `examined (${scope}): ${h.secrets} secret${h.secrets === 1 ? '' : 's'} in ${h.files} file${h.files === 1 ? '' : 's'} (see CC6.1)`;
}

export function aiSection(layout: Layout, m: ReportModel): void {
  const { doc } = layout;
  const ai = m.ai;
  const findings: Finding[] = m.topRisks.filter((f) => AI_RULE_IDS.includes(f.ruleId));
  if (!ai || (ai.rows.length === 0 && findings.length === 0)) {
    heading(layout, 'AI agents and LLM calls', 1, { newPage: false });
    paragraph(
      doc,
      ai
        ? 'No LLM call, agent or tool was found in the production code (OpenAI, Anthropic, Google, Bedrock, Mistral, Cohere, Ollama, LiteLLM, LangChain/LangGraph, LlamaIndex, Vercel AI SDK, OpenAI Agents, CrewAI, AutoGen, Pydantic AI and MCP are recognised); SOC2-011..015 had nothing to check.'
        : 'The AI inventory was not gathered for this report.',
      { size: 9.5 },
    );
    return;
  }
  heading(layout, 'AI agents and LLM calls', 1);
  paragraph(doc, ai.summary, { size: 9.5 });
  const rules = m.rules.filter((r) => AI_RULE_IDS.includes(r.id));
  bullets(
    doc,
    rules.map((r) => {
      const of = findings.filter((f) => f.ruleId === r.id);
      return `${r.id} ${r.title} (${r.controls.join(', ')}): ${r.enabled ? `${of.length} open finding${of.length === 1 ? '' : 's'}${of.length > 0 ? `, first at ${of[0]!.location.path}:${of[0]!.location.startLine}` : ''}` : 'did not run'}`;
    }),
    { size: 8.5 },
  );
  if (ai.tracing.length > 0) paragraph(doc, `Tracing installed: ${ai.tracing.map((t) => `${t.what} (${t.path})`).join('; ')}`, { size: 8.5 });
  if (ai.rows.length === 0) return;
  table(
    doc,
    [
      { header: 'Type', width: 0.07 },
      { header: 'Provider', width: 0.11 },
      { header: 'Name / model', width: 0.15 },
      { header: 'Location', width: 0.19, mono: true },
      { header: 'Tools / does', width: 0.14 },
      { header: 'Limits', width: 0.12 },
      { header: 'Guards found', width: 0.22 },
    ],
    ai.rows.slice(0, MAX_ROWS).map((r) => {
      const guards = [
        r.audit.length ? `audit: ${list(r.audit)}` : '',
        r.redaction.length ? `redaction: ${list(r.redaction)}` : '',
        r.approval.length ? `approval: ${list(r.approval)}` : '',
        r.roleCheck.length ? `role check: ${list(r.roleCheck)}` : '',
        r.killSwitch.length ? `kill switch: ${list(r.killSwitch)}` : '',
      ].filter(Boolean);
      return [
        r.type,
        r.provider,
        r.model ? `${r.name}\n${r.model}` : r.name,
        `${r.path}:${r.line}`,
        list(r.type === 'tool' ? r.effects : r.tools),
        r.type === 'tool' ? '-' : list(r.limits),
        guards.join('\n') || 'none found',
      ];
    }),
    { size: 7 },
  );
  if (ai.rows.length > MAX_ROWS)
    paragraph(doc, `… and ${ai.rows.length - MAX_ROWS} more rows: ai-agents.json of \`evidence export\` has them all.`, { size: 8.5 });
}
