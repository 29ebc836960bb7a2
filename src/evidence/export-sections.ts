import type { Finding } from '../types.js';
import { type SecretsHistory, historyReason } from '../controls/secrets-history.js';
import { type AiInventory, aiRowJson } from '../report/report-model.js';

/**
 * Two files of `evidence export` beside the scan results: the AI section (issue 19: the `agents` inventory and
 * the SOC2-011..015 findings with their controls) and the secrets-in-history summary (issue 15: CC6.1/CC6.6).
 * Pure: same input, same bytes. Snippets are the findings' own (already masked); raw prompts are never held.
 */

export const AI_RULES: Readonly<Record<string, string>> = {
  'SOC2-011': 'LLM and agent actions without an audit trail',
  'SOC2-012': 'sensitive data sent to an LLM without redaction',
  'SOC2-013': 'high-risk agent tools without an approval gate',
  'SOC2-014': 'unbounded agents (no step, token or time limit, no kill switch)',
  'SOC2-015': 'model output trusted as code or command',
};

function findingRow(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    controls: f.controls,
    path: f.location.path,
    line: f.location.startLine,
    message: f.message,
    fingerprint: f.fingerprint,
    ...(f.suppression ? { suppressed: f.suppression.kind } : {}),
  };
}

/** The AI findings of a scan (SOC2-011..015), in the scan's order. */
export function aiFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.ruleId in AI_RULES);
}

export function aiEvidence(ai: AiInventory, findings: readonly Finding[], rulesRun: readonly string[]) {
  const mine = aiFindings(findings);
  const entry = (r: AiInventory['rows'][number]) => ({ type: r.type, ...aiRowJson(r) });
  return {
    summary: ai.summary,
    testFilesNotListed: ai.testFiles,
    tracing: ai.tracing,
    inventory: ai.rows.map(entry),
    rules: Object.entries(AI_RULES).map(([id, title]) => {
      const of = mine.filter((f) => f.ruleId === id);
      return {
        id,
        title,
        ran: rulesRun.includes(id),
        controls: [...new Set(of.flatMap((f) => f.controls))].sort(),
        openFindings: of.filter((f) => !f.suppression).length,
      };
    }),
    findings: mine.map(findingRow),
  };
}

/** The history file: the summary, the sentence CC6.1/CC6.6 carry, and every history finding (masked). */
export function historyEvidence(history: SecretsHistory | undefined, findings: readonly Finding[]) {
  const found = findings.filter((f) => f.properties?.history === true);
  return {
    ...(history ?? { examined: false }),
    statement: historyReason(history),
    controls: ['CC6.1', 'CC6.6'],
    findings: found.map((f) => ({
      ...findingRow(f),
      commit: String(f.properties?.commit ?? ''),
      authorDate: String(f.properties?.authorDate ?? ''),
      snippet: f.snippet,
    })),
  };
}
